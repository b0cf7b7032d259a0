/// A layer's summary over time, written as attributes of its analysis group.
public struct LayerStageRecord: Sendable {
    /// p, or nil when undefined.
    public var multiplicity: Int?
    /// Snapshot positions (in the analysis' snapshot axis) of the initial stage, or nil when never condensed.
    public var initialStage: ClosedRange<Int>?
    public var initialOrientations: Int
    public var initialLines: Int
    public var initialVerdict: String
    /// Whether the stage's count held still for the settle length; why the stage ended ("" without a stage).
    public var settled: Bool
    public var endedBy: String
    /// The stage's most frequent count at each threshold, and whether they are all equal.
    public var thresholdStable: Bool
    public var countsByThreshold: [(tau: Double, orientations: Int)]
    public init(multiplicity: Int?, initialStage: ClosedRange<Int>?, initialOrientations: Int, initialLines: Int,
                initialVerdict: String, settled: Bool = false, endedBy: String = "", thresholdStable: Bool = true,
                countsByThreshold: [(tau: Double, orientations: Int)] = []) {
        self.multiplicity = multiplicity; self.initialStage = initialStage
        self.initialOrientations = initialOrientations; self.initialLines = initialLines
        self.initialVerdict = initialVerdict; self.settled = settled; self.endedBy = endedBy
        self.thresholdStable = thresholdStable; self.countsByThreshold = countsByThreshold
    }
}
