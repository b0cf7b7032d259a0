import Analysis
import RunFormat

/// What `sweep collect` takes from one finished run: its final training loss and, per hidden layer, the counts at
/// the last analyzed snapshot and the initial stage's. They come from a fresh analysis (`RunAnalyzer`) or from
/// the run's stored `/analysis` when that is the analysis collect would make (`SweepCollector.reuseRefusal`); both
/// give the same values.
public struct CollectedRun: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public var name: String
        /// At the last analyzed snapshot (nil when none was analyzed).
        public var last: LastSnapshot?
        /// The initial stage's settled counts and verdict; nil without a stage.
        public var initial: InitialStage?
    }

    /// One layer at the last analyzed snapshot: the condensed orientations and lines counted at τ, m_eff/m, RD,
    /// and the verdict within the series.
    public struct LastSnapshot: Sendable, Equatable {
        public var orientations: Int
        public var lines: Int
        public var effectiveRatio: Double
        public var relativeDistance: Double
        public var verdict: String
    }

    public struct InitialStage: Sendable, Equatable {
        public var orientations: Int
        public var lines: Int
        public var verdict: String
    }

    public var loss: Double
    public var layers: [Layer]
    /// Whether the values were read from the run's stored `/analysis` rather than analyzed now.
    public var reused: Bool

    /// From a fresh analysis.
    public init(loss: Double, analyses: [LayerAnalysis]) {
        self.loss = loss
        reused = false
        layers = analyses.map { a in
            let last = a.rows.last.map { row in
                LastSnapshot(orientations: row.summary.condensedOrientationCount, lines: row.summary.condensedLineCount,
                             effectiveRatio: row.effectiveRatio, relativeDistance: row.relativeDistance,
                             verdict: a.verdict(at: a.rows.count - 1).text)
            }
            var initial: InitialStage? = nil
            if let stage = a.stage, let verdict = a.stageVerdict {
                initial = InitialStage(orientations: stage.count, lines: stage.lines, verdict: verdict.text)
            }
            return Layer(name: a.layer.name, last: last, initial: initial)
        }
    }

    /// From a stored analysis: the counts at τ in the last analyzed snapshot's row (`threshold_orientations`, as
    /// a fresh analysis' summary counts them), the stage from the layer's attributes.
    public init(loss: Double, stored: StoredAnalysisSummary) {
        self.loss = loss
        reused = true
        layers = stored.layers.map { l in
            var initial: InitialStage? = nil
            if let orientations = l.initialOrientations, let lines = l.initialLines {
                initial = InitialStage(orientations: orientations, lines: lines, verdict: l.initialVerdict)
            }
            return Layer(name: l.name,
                         last: LastSnapshot(orientations: l.finalOrientationsAtTau, lines: l.finalLinesAtTau,
                                            effectiveRatio: l.finalEffectiveRatio,
                                            relativeDistance: l.finalRelativeDistance, verdict: l.finalVerdict),
                         initial: initial)
        }
    }
}
