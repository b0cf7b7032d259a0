import Analysis
import RunFormat

extension SweepCollector {
    /// Why a run's stored analysis is not the one `collect` would make with `options`, or nil when it is. It is
    /// when all of these hold:
    /// - it was written by this version of condense (`/analysis@creator`) in the current layout (`@schema`);
    /// - its options (`/analysis@options`) equal collect's, key by key, except the heat maps' size
    ///   (`RunAnalysisOptions.countsAlike`): the same thresholds, levels, settle and checked thresholds;
    /// - collect analyzes every snapshot, and the stored analysis covers exactly the run's snapshots now: its
    ///   `snapshot` indices are 0…n−1 for the run's n and its steps are the run's steps (a run that gained or
    ///   lost snapshots since, e.g. resumed, is analyzed again).
    /// The per-layer values are then the same as a fresh analysis gives (tested), since the analysis is
    /// deterministic in the weights and the options.
    public static func reuseRefusal(_ stored: StoredAnalysisSummary, reader: RunReader,
                                    options: RunAnalysisOptions) throws -> String? {
        let ours = "condense \(RunFileFormat.toolVersion)"
        if stored.creator != ours { return "written by \(stored.creator), not \(ours)" }
        if stored.schema != AnalysisLayout.schema { return "layout \(stored.schema), not \(AnalysisLayout.schema)" }
        if !options.countsAlike(storedJSON: stored.optionsJSON) { return "made with other options" }
        if options.snapshots != nil { return "collect analyzes chosen snapshots only" }
        let n = reader.snapshotCount
        if stored.snapshots != Array(0..<n) {
            return "covers \(stored.snapshots.count) snapshots, the run has \(n)"
        }
        if stored.steps != (try reader.steps()) { return "its snapshots' steps differ from the run's" }
        return nil
    }
}
