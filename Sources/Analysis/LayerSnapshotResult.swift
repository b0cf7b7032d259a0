/// One layer at one snapshot: the summary and the measures around it.
public struct LayerSnapshotResult: Sendable {
    /// Index of the layer in the run's layers.
    public var layerIndex: Int
    public var position: Int
    public var snapshot: Int
    public var step: Int
    public var summary: CondensationSummary
    public var relativeDistance: Double
    /// Outgoing weight per neuron (norm of the next layer's column), nil when the file has no next layer.
    public var outgoing: [Double]?
    /// Layers with one-dimensional input: θ = sign(b)·arccos(w/√(w²+b²)) and A = |a|·√(w²+b²) per neuron.
    public var theta: [Double]?
    public var amplitude: [Double]?
    /// The counts at every threshold of `RunAnalysisOptions.thresholds` (τ's own included), ascending τ.
    public var thresholdCounts: [ThresholdCount]

    /// What the verdict is decided on: the counts at τ, unless the clusters at τ do not hold the layer (covered
    /// share below the hold level) while those at the loosest threshold checked reach the hold level. That is a
    /// *loose group*, neurons spread too widely around their directions for τ (pairwise cosines 0.8–0.95, as
    /// while a layer is still collapsing): it is judged at the loosest threshold, and `isLoose` says so.
    public var decision: ThresholdCount {
        let primary = ThresholdCount(summary)
        guard !primary.reachesHold, let loosest = thresholdCounts.first, loosest.tau < primary.tau,
              loosest.reachesHold else { return primary }
        return loosest
    }

    /// Whether `decision` was taken at a looser threshold than τ.
    public var isLoose: Bool { decision.tau != summary.options.cosineThreshold }

    /// Whether the per-neuron data was dropped (`compacted()`): counts, shares and directions stay.
    public var isCompact: Bool { summary.isCompact }

    /// The row without per-neuron data (labels, members, outgoing weights, θ and A).
    public func compacted() -> LayerSnapshotResult {
        var r = self
        r.summary = summary.compacted()
        r.outgoing = nil; r.theta = nil; r.amplitude = nil
        return r
    }
}
