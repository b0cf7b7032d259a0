import Foundation

/// What `condense analyze` is asked to do.
public struct RunAnalysisOptions: Sendable {
    public var condensation: CondensationOptions
    /// Snapshot positions to analyze (nil: all).
    public var snapshots: [Int]?
    /// How many similarity heatmaps per layer: evenly spaced over the analyzed snapshots, plus the start of the
    /// initial stage.
    public var heatmaps: Int
    /// Neurons per stored heat map: a layer wider than this is shown by a sample of this many, drawn from every
    /// orientation in proportion to its size (default 1000: a figure's resolution, 8 MB per heat map; 0: all,
    /// width² · 8 bytes per heat map).
    public var heatmapNeurons: Int
    /// Snapshots analyzed at once (in parallel, one BLAS thread each).
    public var jobs: Int
    /// Consecutive snapshots over which the condensed-orientation count must hold still to start the initial
    /// stage (`InitialStage`); default 3.
    public var settle: Int
    /// Further cosine thresholds at which every layer and snapshot is counted again, to show whether the count
    /// depends on τ; default 0.90 and 0.98 around the default τ = 0.95.
    public var robustnessThresholds: [Double]

    public init(condensation: CondensationOptions = CondensationOptions(), snapshots: [Int]? = nil,
                heatmaps: Int = 3, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, settle: Int = 3,
                robustnessThresholds: [Double] = [0.90, 0.98], heatmapNeurons: Int = 1000) {
        self.condensation = condensation; self.snapshots = snapshots; self.heatmaps = heatmaps
        self.heatmapNeurons = heatmapNeurons
        self.jobs = max(1, jobs); self.settle = settle; self.robustnessThresholds = robustnessThresholds
    }

    /// Every cosine threshold counted: τ and the robustness thresholds, ascending, without repeats.
    public var thresholds: [Double] { Array(Set([condensation.cosineThreshold] + robustnessThresholds)).sorted() }

    /// Throws `AnalysisError.option` naming the first option out of range.
    public func validate() throws {
        try condensation.validate()
        if settle < 1 { throw AnalysisError.option("settle \(settle) must be ≥ 1 snapshot") }
        if heatmapNeurons < 0 { throw AnalysisError.option("heat-map neurons \(heatmapNeurons) must be ≥ 0 (0: all)") }
        for t in robustnessThresholds where !(t > 0 && t < 1) {
            throw AnalysisError.option("robustness threshold \(t) must be in (0, 1)")
        }
    }
}
