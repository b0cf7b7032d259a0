import RunFormat

/// One hidden layer over all analyzed snapshots.
public struct LayerAnalysis: Sendable {
    public var layer: LayerDescription
    public var layerIndex: Int
    public var rows: [LayerSnapshotResult]
    /// Per row: condensed or not within the series (`condensedStates`: entry and hold levels).
    public var condensed: [Bool]
    public var stage: InitialStage?
    /// Why the p = 1 prediction is missing, when it is.
    public var predictionNote: String?

    /// The verdict of row `i` within the series (on the row's `decision` counts).
    public func verdict(at i: Int) -> CondensationVerdict {
        CondensationVerdict(condensed: condensed[i], orientations: rows[i].decision.orientations,
                            multiplicity: layer.multiplicity)
    }

    /// The initial stage's verdict: its settled count against 2p (nil without a stage).
    public var stageVerdict: CondensationVerdict? {
        stage.map { CondensationVerdict(condensed: true, orientations: $0.count, multiplicity: layer.multiplicity) }
    }

    /// Over the initial stage's snapshots, the most frequent condensed-orientation count at each threshold (ties:
    /// the smaller), ascending τ; empty without a stage.
    public var stageCountsByThreshold: [(tau: Double, orientations: Int)] {
        guard let stage, let first = rows.first?.thresholdCounts else { return [] }
        return first.indices.map { k in
            var frequency: [Int: Int] = [:]
            for r in rows[stage.start...stage.end] { frequency[r.thresholdCounts[k].orientations, default: 0] += 1 }
            let mode = frequency.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
            return (first[k].tau, mode)
        }
    }

    /// Whether the stage's count is the same at every threshold (true without a stage or other thresholds).
    public var thresholdStable: Bool { Set(stageCountsByThreshold.map(\.orientations)).count <= 1 }
}
