import HDF5

/// What a run file's `/analysis` says at the run level, read without its per-neuron data: which analysis it is
/// (creator, schema, options, the snapshots it covers) and, per hidden layer, the counts at the last analyzed
/// snapshot and the initial stage's summary. `sweep collect` reads it to reuse a stored analysis instead of
/// analyzing the run again.
public struct StoredAnalysisSummary: Sendable, Equatable {
    public struct Layer: Sendable, Equatable {
        public var name: String
        /// At the last analyzed snapshot, the condensed orientations and lines counted at τ
        /// (`threshold_orientations` / `threshold_lines` in τ's column).
        public var finalOrientationsAtTau: Int
        public var finalLinesAtTau: Int
        public var finalEffectiveRatio: Double
        public var finalRelativeDistance: Double
        public var finalVerdict: String
        /// `initial_verdict` (written with or without a stage).
        public var initialVerdict: String
        /// The initial stage's settled counts; nil when the layer has no stage (`initial_stage_start` −1).
        public var initialOrientations: Int?
        public var initialLines: Int?
    }

    /// `/analysis@creator` (`condense <version>`), `@schema`, `@options` (JSON).
    public var creator: String
    public var schema: String
    public var optionsJSON: String
    /// `/analysis/snapshot`: the run-file snapshot index of each analyzed snapshot; `analyzed_step` (or `step` in
    /// analyses written before format 1.2): their training steps.
    public var snapshots: [Int]
    public var steps: [Int]
    /// One per hidden layer of the run, in the run's order.
    public var layers: [Layer]

    /// The summary of `reader`'s `/analysis`, or nil when the file has none. Throws `RunFileError` when a part
    /// this summary needs is missing or of the wrong shape (a damaged or foreign analysis).
    public static func read(from reader: RunReader) throws -> StoredAnalysisSummary? {
        let root = reader.file.root
        guard root.isGroup(AnalysisLayout.groupName) else { return nil }
        let g = try root.openGroup(AnalysisLayout.groupName)
        func fail(_ what: String) -> RunFileError { RunFileError.malformed("\(reader.path): /analysis \(what)") }
        func string(_ name: String) throws -> String {
            guard g.hasAttribute(name) else { throw fail("has no '\(name)' attribute") }
            return try g.stringAttribute(name)
        }
        let snapshots = try g.openDataset(RunFileFormat.snapshotIndexName).readInt64().map(Int.init)
        let stepName = g.isDataset(RunFileFormat.analyzedStepDim) ? RunFileFormat.analyzedStepDim : "step"
        let steps = try g.openDataset(stepName).readInt64().map(Int.init)
        let n = snapshots.count
        guard n > 0, steps.count == n else { throw fail("covers no snapshot") }
        guard g.hasAttribute("cosine_threshold") else { throw fail("has no 'cosine_threshold' attribute") }
        let tau = try g.doubleAttribute("cosine_threshold")
        let thresholds = try g.openDataset(AnalysisLayout.thresholdDim).read()
        guard let k = thresholds.firstIndex(of: tau) else { throw fail("has no count at τ = \(tau)") }
        let t = thresholds.count
        let layers = try reader.layers.filter { $0.kind == .hidden }.map { d -> Layer in
            guard g.isGroup(d.name) else { throw fail("has no group for \(d.name)") }
            let l = try g.openGroup(d.name)
            func last(_ name: String, width: Int = 1, column: Int = 0) throws -> (Int64?, Double?, String?) {
                let set = try l.openDataset(name)
                guard set.shape.first == n, (set.shape.count == 1 ? 1 : set.shape[1]) == width else {
                    throw fail("\(d.name)/\(name) has shape \(set.shape), not \(n) × \(width)")
                }
                let start = width == 1 && set.shape.count == 1 ? [n - 1] : [n - 1, column]
                let count = start.count == 1 ? [1] : [1, 1]
                switch set.elementType {
                case .int64?: return (try set.readSlabInt64(start: start, count: count).first, nil, nil)
                case .string?: return (nil, nil, try set.readSlabStrings(start: start, count: count).first)
                default: return (nil, try set.readSlab(start: start, count: count).first, nil)
                }
            }
            func attribute(_ name: String) throws -> Int64 {
                guard l.hasAttribute(name) else { throw fail("\(d.name) has no '\(name)' attribute") }
                return try l.int64Attribute(name)
            }
            guard let orientations = try last("threshold_orientations", width: t, column: k).0,
                  let lines = try last("threshold_lines", width: t, column: k).0,
                  let ratio = try last("effective_ratio").1, let distance = try last("relative_distance").1,
                  let verdict = try last("verdict").2
            else { throw fail("\(d.name) has a per-snapshot variable of the wrong type") }
            var layer = Layer(name: d.name, finalOrientationsAtTau: Int(orientations), finalLinesAtTau: Int(lines),
                              finalEffectiveRatio: ratio, finalRelativeDistance: distance, finalVerdict: verdict,
                              initialVerdict: l.hasAttribute("initial_verdict") ? try l.stringAttribute("initial_verdict") : "")
            if try attribute("initial_stage_start") >= 0 {
                layer.initialOrientations = Int(try attribute("initial_orientations"))
                layer.initialLines = Int(try attribute("initial_lines"))
            }
            return layer
        }
        return StoredAnalysisSummary(creator: try string("creator"), schema: try string("schema"),
                                     optionsJSON: try string("options"), snapshots: snapshots, steps: steps,
                                     layers: layers)
    }
}
