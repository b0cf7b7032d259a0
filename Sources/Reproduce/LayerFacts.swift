import Analysis

/// Everything `reproduce` reads about one hidden layer of one analyzed run, in one place.
///
/// This is the only type of the module that looks inside `LayerAnalysis` (its rows, its initial stage, the
/// verdict). When the Analysis module's notion of the initial stage or of the verdict changes, `init(from:)` is
/// the one place to adapt, and every claim keeps reading the same facts.
public struct LayerFacts: Sendable, Equatable {
    /// The verdict of the initial stage against the bound 2p.
    public enum Verdict: String, Sendable, Equatable {
        case notCondensed = "not condensed"
        case withinBound = "within bound"
        case exceedsBound = "exceeds bound"
        case boundUndefined = "bound undefined"
    }

    /// The initial condensation stage: its first and last analyzed snapshot (as steps) and its counts.
    public struct Stage: Sendable, Equatable {
        public var startStep: Int
        public var endStep: Int
        public var orientations: Int
        public var lines: Int
        public var verdict: Verdict

        public init(startStep: Int, endStep: Int, orientations: Int, lines: Int, verdict: Verdict) {
            self.startStep = startStep; self.endStep = endStep; self.orientations = orientations
            self.lines = lines; self.verdict = verdict
        }
    }

    public var name: String
    /// The activation's multiplicity p at 0 (nil: undefined, as for ReLU).
    public var multiplicity: Int?
    /// Per analyzed snapshot, in order: the training step, condensed orientations and lines, whether the layer
    /// counts as condensed, and RD = ‖W(t) − W(0)‖/‖W(0)‖.
    public var steps: [Int]
    public var orientations: [Int]
    public var lines: [Int]
    public var condensed: [Bool]
    public var relativeDistance: [Double]
    /// nil when the layer is condensed at no analyzed snapshot.
    public var stage: Stage?

    public init(name: String, multiplicity: Int?, steps: [Int], orientations: [Int], lines: [Int],
                condensed: [Bool], relativeDistance: [Double], stage: Stage?) {
        self.name = name; self.multiplicity = multiplicity; self.steps = steps; self.orientations = orientations
        self.lines = lines; self.condensed = condensed; self.relativeDistance = relativeDistance; self.stage = stage
    }

    /// Reads the facts off the analysis: per snapshot the counts the verdict is decided on (`decision`: at τ, or
    /// at the loosest threshold for a loose group) and the layer's condensed state within the series (entry and
    /// hold levels); the initial stage is `LayerAnalysis.stage` (the first period in which the count has
    /// settled), with its settled count, its lines and `stageVerdict`.
    public init(from analysis: LayerAnalysis) {
        let rows = analysis.rows
        var stage: Stage? = nil
        if let s = analysis.stage, let verdict = analysis.stageVerdict,
           rows.indices.contains(s.start), rows.indices.contains(s.end) {
            stage = Stage(startStep: rows[s.start].step, endStep: rows[s.end].step, orientations: s.count,
                          lines: s.lines, verdict: Self.verdict(verdict))
        }
        self.init(name: analysis.layer.name, multiplicity: analysis.layer.multiplicity,
                  steps: rows.map(\.step), orientations: rows.map(\.decision.orientations),
                  lines: rows.map(\.decision.lines), condensed: analysis.condensed,
                  relativeDistance: rows.map(\.relativeDistance), stage: stage)
    }

    static func verdict(_ v: CondensationVerdict) -> Verdict {
        switch v {
        case .notCondensed: return .notCondensed
        case .condensedWithinBound: return .withinBound
        case .exceedsBound: return .exceedsBound
        case .boundUndefined: return .boundUndefined
        }
    }

    /// Position of the analyzed snapshot at `step`, nil when that step was not analyzed.
    public func position(atStep step: Int) -> Int? { steps.firstIndex(of: step) }

    /// Condensed orientations / lines at `step` (nil when not analyzed).
    public func orientations(atStep step: Int) -> Int? { position(atStep: step).map { orientations[$0] } }
    public func lines(atStep step: Int) -> Int? { position(atStep: step).map { lines[$0] } }

    /// At the last analyzed snapshot.
    public var finalOrientations: Int? { orientations.last }
    public var finalLines: Int? { lines.last }
    public var finalRelativeDistance: Double? { relativeDistance.last }
}
