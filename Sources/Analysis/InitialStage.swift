/// The *initial condensation stage* of a layer in a series of snapshots: it starts at the first
/// condensed snapshot and lasts while the layer stays condensed and its condensed-orientation count
/// does not exceed the count at the start (dips are allowed: a transiently unresolved cluster is
/// not a new stage). P1's bound 2p is a statement about this stage; P3 reports that the count grows
/// afterwards.
public struct InitialStage: Sendable, Equatable {
    /// Why the stage ended.
    public enum End: String, Sendable, Equatable, CaseIterable {
        /// The count rose above `count` at snapshot `end + 1`.
        case growth
        /// Snapshot `end + 1` is not condensed.
        case lostCondensation
        /// The series ended while the stage lasted.
        case endOfSeries
    }

    /// First and last snapshot index of the stage (inclusive).
    public let start: Int
    public let end: Int
    /// Condensed-orientation count at `start`, the largest during the stage.
    public let count: Int
    public let endedBy: End

    /// Finds the stage, or nil when no snapshot is condensed.
    /// - Precondition: `counts.count == condensed.count`.
    public init?(counts: [Int], condensed: [Bool]) {
        precondition(counts.count == condensed.count,
                     "InitialStage: \(counts.count) counts for \(condensed.count) condensed flags")
        guard let start = condensed.firstIndex(of: true) else { return nil }
        self.start = start
        count = counts[start]
        var end = start
        var reason = End.endOfSeries
        for t in (start + 1)..<max(start + 1, counts.count) {
            if !condensed[t] { reason = .lostCondensation; break }
            if counts[t] > counts[start] { reason = .growth; break }
            end = t
        }
        self.end = end
        endedBy = reason
    }
}
