/// The condensed counts of a layer at one snapshot when counted with cosine threshold `tau`, and whether the
/// covered share reaches the entry and hold levels there.
public struct ThresholdCount: Sendable, Equatable {
    public var tau: Double
    public var orientations: Int
    public var lines: Int
    public var coveredShare: Double
    public var reachesEntry: Bool
    public var reachesHold: Bool
    /// Share of the kept neurons outside the condensed orientations at this threshold.
    public var stragglerShare: Double
    public init(tau: Double, orientations: Int, lines: Int, coveredShare: Double, reachesEntry: Bool, reachesHold: Bool,
                stragglerShare: Double) {
        self.tau = tau; self.orientations = orientations; self.lines = lines; self.coveredShare = coveredShare
        self.reachesEntry = reachesEntry; self.reachesHold = reachesHold; self.stragglerShare = stragglerShare
    }

    init(_ s: CondensationSummary) {
        self.init(tau: s.options.cosineThreshold, orientations: s.condensedOrientationCount, lines: s.condensedLineCount,
                  coveredShare: s.coveredShare, reachesEntry: s.reachesEntry, reachesHold: s.reachesHold,
                  stragglerShare: s.stragglerShare)
    }
}
