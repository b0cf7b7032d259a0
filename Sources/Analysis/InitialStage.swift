/// Whether a layer is condensed at each snapshot of a series: a Schmitt trigger on the covered share. The layer
/// becomes condensed at a snapshot that reaches the entry level and stays condensed while the share reaches the
/// hold level (lower), so a share that wanders around one level does not make the verdict alternate.
public func condensedStates(reachesEntry: [Bool], reachesHold: [Bool]) -> [Bool] {
    precondition(reachesEntry.count == reachesHold.count, "condensedStates: \(reachesEntry.count) vs \(reachesHold.count) flags")
    var state = false
    return zip(reachesEntry, reachesHold).map { entry, hold in
        state = state ? hold : entry
        return state
    }
}

/// The *initial condensation stage* of a layer in a series of snapshots: the first period in which the layer is
/// condensed and its condensed-orientation count has *settled*, i.e. stays the same over `settle` consecutive
/// snapshots. P1's bound 2p is a statement about this stage; P3 reports that the count grows afterwards.
///
/// The stage starts at the first snapshot of the first such run (so snapshots taken while several groups are
/// still merging into one do not count), keeps that count, and lasts until the layer stops being condensed
/// (after the hysteresis of `condensedStates`), or the count rises above it for `settle` consecutive snapshots
/// (growth: the stage ends before the first of them), or the series ends. Shorter excursions of the count,
/// up or down, stay inside the stage. When the count never holds still for `settle` snapshots, the last run of
/// equal counts that reaches the end of the series is reported, marked unsettled.
public struct InitialStage: Sendable, Equatable {
    /// Why the stage ended.
    public enum End: String, Sendable, Equatable, CaseIterable {
        /// The count rose above `count` for `settle` snapshots from snapshot `end + 1` (a rise in the last
        /// `settle − 1` snapshots cannot yet be told from an excursion and does not end the stage).
        case growth
        /// Snapshot `end + 1` is not condensed.
        case lostCondensation
        /// The series ended while the stage lasted.
        case endOfSeries
    }

    /// First and last snapshot index of the stage (inclusive).
    public let start: Int
    public let end: Int
    /// The settled condensed-orientation count and the condensed-line count at `start`.
    public let count: Int
    public let lines: Int
    /// Whether the count held still for `settle` snapshots (false: the series ended first).
    public let settled: Bool
    public let endedBy: End

    /// Finds the stage, or nil when no snapshot is condensed (or the count never settles before the layer
    /// stops being condensed).
    /// - Precondition: the arrays have one entry per snapshot; `settle ≥ 1`.
    public init?(counts: [Int], lines: [Int], condensed: [Bool], settle: Int) {
        precondition(counts.count == condensed.count && lines.count == counts.count && settle >= 1,
                     "InitialStage: \(counts.count) counts, \(lines.count) line counts, \(condensed.count) flags, settle \(settle)")
        let n = counts.count
        /// Whether snapshots t..<t+length exist, are condensed and pass `test` on their counts.
        func run(_ t: Int, _ length: Int, where test: (Int) -> Bool) -> Bool {
            t + length <= n && (t..<(t + length)).allSatisfy { condensed[$0] && test(counts[$0]) }
        }
        var found: (start: Int, settled: Bool)? = nil
        for t in 0..<n where condensed[t] && run(t, settle, where: { $0 == counts[t] }) {
            found = (t, true)
            break
        }
        if found == nil, n > 0, condensed[n - 1] {
            var t = n - 1
            while t > 0 && condensed[t - 1] && counts[t - 1] == counts[n - 1] { t -= 1 }
            found = (t, false)
        }
        guard let (start, settled) = found else { return nil }
        self.start = start
        self.settled = settled
        let value = counts[start]
        count = value
        self.lines = lines[start]
        var end = start
        var reason = End.endOfSeries
        var t = start + 1
        while t < n {
            if !condensed[t] { reason = .lostCondensation; break }
            if counts[t] > value && run(t, settle, where: { $0 > value }) { reason = .growth; break }
            end = t
            t += 1
        }
        self.end = end
        endedBy = reason
    }
}
