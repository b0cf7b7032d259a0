import Foundation
import HDF5

/// Names and limits of the `/analysis` group (FORMAT.md).
public enum AnalysisLayout {
    public static let groupName = "analysis"
    /// Clusters stored per layer and snapshot (the largest ones); counts cover all of them.
    public static let maxClusters = 32
    public static let clusterDim = "cluster"
    /// The stored heat maps' dimension (format 1.2), indexed by their training steps like every snapshot dimension;
    /// `heatmap`, the run-file snapshot index of each (before 1.2 the dimension itself), lies along it.
    public static let heatmapDim = "heatmap_step"
    public static let heatmapSnapshotName = "heatmap"
    /// The two axes of a heatmap: positions in the cluster order (`order`); two names, so no dimension repeats.
    public static let rowDim = "row"
    public static let columnDim = "column"
    /// The second axis of the orientation-by-orientation block matrix.
    public static let otherClusterDim = "cluster_column"
    /// The cosine thresholds at which counts are repeated (`threshold_orientations`, `threshold_lines`).
    public static let thresholdDim = "threshold"
    /// The version of the analysis layout (and of `condense analyze --json`), stored as `/analysis@schema`.
    public static let schema = "condense.analysis/2"
    /// Where an in-place analysis is written until it is complete (FORMAT.md, "What a reader may rely on after a
    /// crash"); then one rename makes it `/analysis`.
    public static let incomingName = "analysis.incoming"
    /// Prefixes of the groups an interrupted or replaced analysis leaves behind: never read, moved aside under the
    /// first free `-<k>` name, and removed by a later analysis once its own analysis reads back whole (unlinked,
    /// not freed: freeing a half-written group can crash HDF5).
    public static let discardedPrefix = "analysis.discarded"
    public static let replacedPrefix = "analysis.replaced"
}

/// Writes `condense analyze` results: into the run file itself (replacing an older `/analysis`), or into a file
/// of its own that names its source run. Results go in by snapshot position, so they may be computed in any order.
///
/// In the run file, the new analysis is written beside the old one, under `analysis.incoming`, and switched in by
/// `close()` with two link renames and one flush; the old one is deleted by the next analysis (and only if it
/// reads back whole), whose writes then reuse its space. HDF5 has no transactions, but a rename changes one small link record, so a kill at any moment leaves
/// `/analysis` either the previous complete analysis or the new complete one.
public final class AnalysisWriter {
    private let file: H5File
    private let ownsFile: Bool
    private let group: H5Group
    private let layers: [LayerDescription]
    private var layerGroups: [H5Group] = []
    private var sets: [[String: H5Dataset]] = []
    public let snapshotCount: Int
    private let thresholdCount: Int
    /// The training step of each analyzed snapshot, and of each run-file snapshot index analyzed.
    private let steps: [Int]
    private let stepOfSnapshot: [Int: Int]

    /// In the run file that `reader` has open for writing.
    public convenience init(into reader: RunReader, snapshots: [Int], steps: [Int], optionsJSON: String,
                            thresholds: [Double] = [], attributes: [(String, Double)] = []) throws {
        guard reader.file.isWritable else {
            throw RunFileError.write("\(reader.path): opened read-only; cannot store the analysis in it")
        }
        try self.init(file: reader.file, ownsFile: false, source: nil, layers: reader.layers, snapshots: snapshots,
                      steps: steps, optionsJSON: optionsJSON, thresholds: thresholds, attributes: attributes)
    }

    /// In a new file `path` (replaced when `overwrite`), naming `source` as the analyzed run.
    public convenience init(path: String, source: String, overwrite: Bool, layers: [LayerDescription],
                            snapshots: [Int], steps: [Int], optionsJSON: String, thresholds: [Double] = [],
                            attributes: [(String, Double)] = []) throws {
        // Made under a hidden name beside `path` and put there by `close()` once complete, so a kill leaves at
        // `path` the previous file or nothing, never a torn analysis (FORMAT.md, "after a crash").
        let file = try H5File.create(path, mode: overwrite ? .truncate : .exclusive, publishingLater: true)
        do {
            try file.root.setAttribute("format", "condense.analysis")
            try file.root.setAttribute("format_version", RunFileFormat.version)
            try self.init(file: file, ownsFile: true, source: source, layers: layers, snapshots: snapshots,
                          steps: steps, optionsJSON: optionsJSON, thresholds: thresholds, attributes: attributes)
        } catch {
            file.closeRemovingFile()
            throw error
        }
    }

    /// A file of its own that was never completed (an error on the way) is removed, not left half-written.
    deinit {
        if ownsFile && !file.isPublished { file.closeRemovingFile() }
    }

    /// `thresholds`: the cosine thresholds of the repeated counts (ascending); `attributes`: every threshold and
    /// level of the analysis by name, stored as numeric attributes of `/analysis` beside the `options` JSON.
    private init(file: H5File, ownsFile: Bool, source: String?, layers: [LayerDescription], snapshots: [Int],
                 steps: [Int], optionsJSON: String, thresholds: [Double], attributes: [(String, Double)]) throws {
        self.file = file
        self.ownsFile = ownsFile
        self.layers = layers
        snapshotCount = snapshots.count
        self.steps = steps
        stepOfSnapshot = Dictionary(zip(snapshots, steps), uniquingKeysWith: { first, _ in first })
        let root = file.root
        if ownsFile {
            group = try root.createGroup(AnalysisLayout.groupName)
        } else {
            // What a killed analyze left is moved aside, never opened (it may be half-written).
            if root.contains(AnalysisLayout.incomingName) {
                try root.move(AnalysisLayout.incomingName, to: Self.freeName(root, AnalysisLayout.discardedPrefix))
            }
            // The analysis the previous run replaced is deleted now, if it reads back whole, and the deletion
            // flushed before anything new is written: the new analysis then reuses its space (HDF5 1.10 reuses
            // freed space only within the session that frees it), so the file holds at most two analyses.
            var deleted = false
            for name in try root.memberNames() where name.hasPrefix(AnalysisLayout.replacedPrefix + "-") {
                guard let old = try? root.openGroup(name), old.isReadableThroughout() else { continue }
                try root.remove(name)
                deleted = true
            }
            if deleted { try file.flush() }
            group = try root.createGroup(AnalysisLayout.incomingName)
            try file.flush()
        }
        try group.setAttribute("creator", "condense \(RunFileFormat.toolVersion)")
        try group.setAttribute("created_utc", UTCTimestamp.string())
        try group.setAttribute("options", optionsJSON)
        try group.setAttribute("schema", AnalysisLayout.schema)
        for (name, value) in attributes { try group.setAttribute(name, value) }
        if let source { try group.setAttribute("source", source) }
        self.thresholdCount = thresholds.count
        let s = snapshots.count
        // The analysis' own snapshot dimension, `analyzed_step` (format 1.2): its scale holds the training steps
        // of the analyzed snapshots, so netCDF readers select them by step (`.sel(analyzed_step=100)`), and its
        // name differs from the run's `step` so that an analysis of a subset (another length) sits in the same
        // netCDF tree as the run. `snapshot` (the run-file snapshot index) and `step` (the steps again, as written
        // before 1.2) are ordinary variables along it.
        let analyzed = try group.write(RunFileFormat.analyzedStepDim, steps.map(Int64.init))
        try analyzed.makeDimensionScale(RunFileFormat.analyzedStepDim)
        try analyzed.setAttribute("long_name", "training step of each analyzed snapshot")
        let index = try group.write(RunFileFormat.snapshotIndexName, snapshots.map(Int64.init))
        try Self.attach(analyzed, to: index, 0)
        try index.setAttribute("long_name", "run-file snapshot index of each analyzed snapshot")
        let step = try group.write("step", steps.map(Int64.init))
        try Self.attach(analyzed, to: step, 0)
        let k = AnalysisLayout.maxClusters
        let threshold = try group.write(AnalysisLayout.thresholdDim, thresholds.isEmpty ? [Double.nan] : thresholds)
        try threshold.makeDimensionScale(AnalysisLayout.thresholdDim)
        try threshold.setAttribute("long_name", "cosine threshold of the repeated counts")
        for layer in layers where layer.kind == .hidden {
            let g = try group.createGroup(layer.name)
            let width = layer.width, comps = layer.components
            let neuron = try g.write(RunFileFormat.neuronDim, (0..<width).map(Int64.init))
            try neuron.makeDimensionScale(RunFileFormat.neuronDim)
            let component = try g.write(RunFileFormat.componentDim, (0..<layer.fanIn).map { "w\($0 + 1)" } + ["b"])
            try component.makeDimensionScale(RunFileFormat.componentDim)
            let cluster = try g.write(AnalysisLayout.clusterDim, (0..<k).map(Int64.init))
            try cluster.makeDimensionScale(AnalysisLayout.clusterDim)
            // The group's own copy of `analyzed_step`: netCDF readers that open one group see only its coordinates.
            let analyzed = try g.write(RunFileFormat.analyzedStepDim, steps.map(Int64.init))
            try analyzed.makeDimensionScale(RunFileFormat.analyzedStepDim)
            var d: [String: H5Dataset] = [:]
            func make(_ name: String, _ type: H5ElementType, _ dims: [H5Dataset], _ shape: [Int]) throws {
                let ds = try g.createDataset(name, type: type, shape: shape,
                                             chunk: [1] + shape.dropFirst().map { max($0, 1) })
                for (i, scale) in dims.enumerated() { try Self.attach(scale, to: ds, i) }
                d[name] = ds
            }
            for name in ["kept", "non_finite", "negligible", "unclustered", "orientations", "lines",
                         "condensed_orientations", "condensed_lines"] {
                try make(name, .int64, [analyzed], [s])
            }
            try make("verdict", .string, [analyzed], [s])
            try make("condensed", .int64, [analyzed], [s])
            for name in ["effective_ratio", "relative_distance", "top_share", "predicted_cosine", "covered_share",
                         "straggler_share", "straggler_amplitude_share", "decided_threshold"] {
                try make(name, .float64, [analyzed], [s])
            }
            let t = max(1, thresholds.count)
            try make("threshold_orientations", .int64, [analyzed, threshold], [s, t])
            try make("threshold_lines", .int64, [analyzed, threshold], [s, t])
            try make("label", .int64, [analyzed, neuron], [s, width])
            try make("line_label", .int64, [analyzed, neuron], [s, width])
            try make("cluster_size", .int64, [analyzed, cluster], [s, k])
            try make("cluster_condensed", .int64, [analyzed, cluster], [s, k])
            try make("cluster_line", .int64, [analyzed, cluster], [s, k])
            for name in ["cluster_share", "cluster_amplitude_share", "cluster_mean_angle"] {
                try make(name, .float64, [analyzed, cluster], [s, k])
            }
            try make("cluster_direction", .float64, [analyzed, cluster, component], [s, k, comps])
            if layer.fanIn == 1 {
                try make("theta", .float64, [analyzed, neuron], [s, width])
                try make("amplitude", .float64, [analyzed, neuron], [s, width])
            }
            layerGroups.append(g)
            sets.append(d)
        }
        try file.flush()
    }

    private func hiddenIndex(_ layer: Int) -> Int {
        precondition(layers[layer].kind == .hidden, "only hidden layers are analyzed")
        return layers[..<layer].filter { $0.kind == .hidden }.count
    }

    /// Stores the result of layer `layer` (index into the run's layers) at snapshot position `position`.
    public func write(_ r: LayerAnalysisRecord, layer: Int, position: Int) throws {
        let h = hiddenIndex(layer)
        let d = sets[h]
        let width = layers[layer].width, comps = layers[layer].components, k = AnalysisLayout.maxClusters
        precondition(r.labels.count == width && r.lineLabels.count == width)
        func scalar(_ name: String, _ v: Int) throws { try d[name]!.writeSlab([Int64(v)], start: [position], count: [1]) }
        func real(_ name: String, _ v: Double) throws { try d[name]!.writeSlab([v], start: [position], count: [1]) }
        try scalar("kept", r.kept)
        try scalar("non_finite", r.nonFiniteCount)
        try scalar("negligible", r.negligibleCount)
        try scalar("unclustered", r.unclusteredCount)
        try scalar("orientations", r.orientations)
        try scalar("lines", r.lines)
        try scalar("condensed_orientations", r.condensedOrientations)
        try scalar("condensed_lines", r.condensedLines)
        try d["verdict"]!.writeSlab([r.verdict], start: [position], count: [1])
        try scalar("condensed", r.condensed ? 1 : 0)
        try real("covered_share", r.coveredShare)
        try real("straggler_share", r.stragglerShare)
        try real("straggler_amplitude_share", r.stragglerAmplitudeShare)
        try real("decided_threshold", r.decidedThreshold)
        let t = max(1, thresholdCount)
        func fill(_ v: [Int64]) -> [Int64] { Array(v.prefix(t)) + Array(repeating: -1, count: max(0, t - v.count)) }
        try d["threshold_orientations"]!.writeSlab(fill(r.thresholdOrientations), start: [position, 0], count: [1, t])
        try d["threshold_lines"]!.writeSlab(fill(r.thresholdLines), start: [position, 0], count: [1, t])
        try real("effective_ratio", r.effectiveRatio)
        try real("relative_distance", r.relativeDistance)
        try real("top_share", r.topShare)
        try real("predicted_cosine", r.predictedCosine)
        try d["label"]!.writeSlab(r.labels, start: [position, 0], count: [1, width])
        try d["line_label"]!.writeSlab(r.lineLabels, start: [position, 0], count: [1, width])
        func padded(_ v: [Double], _ n: Int) -> [Double] { Array(v.prefix(n)) + Array(repeating: .nan, count: max(0, n - v.count)) }
        let sizes = Array(r.clusterSize.prefix(k)) + Array(repeating: Int64(0), count: max(0, k - r.clusterSize.count))
        try d["cluster_size"]!.writeSlab(sizes, start: [position, 0], count: [1, k])
        func codes(_ v: [Int64], _ past: Int64) -> [Int64] { Array(v.prefix(k)) + Array(repeating: past, count: max(0, k - v.count)) }
        try d["cluster_condensed"]!.writeSlab(codes(r.clusterCondensed, 0), start: [position, 0], count: [1, k])
        try d["cluster_line"]!.writeSlab(codes(r.clusterLine, -1), start: [position, 0], count: [1, k])
        try d["cluster_share"]!.writeSlab(padded(r.clusterShare, k), start: [position, 0], count: [1, k])
        try d["cluster_amplitude_share"]!.writeSlab(padded(r.clusterAmplitudeShare, k), start: [position, 0], count: [1, k])
        try d["cluster_mean_angle"]!.writeSlab(padded(r.clusterMeanAngle, k), start: [position, 0], count: [1, k])
        try d["cluster_direction"]!.writeSlab(padded(r.clusterDirection, k * comps), start: [position, 0, 0],
                                              count: [1, k, comps])
        if let theta = r.theta, let amplitude = r.amplitude, let t = d["theta"], let a = d["amplitude"] {
            try t.writeSlab(theta, start: [position, 0], count: [1, width])
            try a.writeSlab(amplitude, start: [position, 0], count: [1, width])
        }
    }

    /// Heatmaps of layer `layer`: the cosine-similarity matrices reordered by cluster at chosen snapshots (all of
    /// one size: every neuron, or the same number sampled at each), and the orientation-by-orientation means.
    public func writeSimilarities(_ records: [SimilarityRecord], layer: Int) throws {
        guard !records.isEmpty else { return }
        let g = layerGroups[hiddenIndex(layer)]
        let width = records[0].order.count
        precondition(records.allSatisfy { $0.order.count == width }, "heat maps of one layer have one size")
        let heatmap = try g.write(AnalysisLayout.heatmapDim, records.map { Int64(stepOfSnapshot[$0.snapshot] ?? -1) })
        try heatmap.makeDimensionScale(AnalysisLayout.heatmapDim)
        try heatmap.setAttribute("long_name", "training step of each heatmap")
        let heatmapSnapshot = try g.write(AnalysisLayout.heatmapSnapshotName, records.map { Int64($0.snapshot) })
        try Self.attach(heatmap, to: heatmapSnapshot, 0)
        try heatmapSnapshot.setAttribute("long_name", "run-file snapshot index of each heatmap")
        let row = try g.write(AnalysisLayout.rowDim, (0..<width).map(Int64.init))
        try row.makeDimensionScale(AnalysisLayout.rowDim)
        let column = try g.write(AnalysisLayout.columnDim, (0..<width).map(Int64.init))
        try column.makeDimensionScale(AnalysisLayout.columnDim)
        let order = try g.write("order", records.flatMap(\.order), shape: [records.count, width])
        try Self.attach(heatmap, to: order, 0)
        try Self.attach(row, to: order, 1)
        let cosine = try g.createDataset("similarity", type: .float64, shape: [records.count, width, width],
                                         chunk: [1, width, width])
        for (i, r) in records.enumerated() {
            try cosine.writeSlab(r.cosine, start: [i, 0, 0], count: [1, width, width])
        }
        try Self.attach(heatmap, to: cosine, 0)
        try Self.attach(row, to: cosine, 1)
        try Self.attach(column, to: cosine, 2)
        let k = AnalysisLayout.maxClusters
        if records.allSatisfy({ $0.clusterCosine.count == k * k }) {
            let other = try g.write(AnalysisLayout.otherClusterDim, (0..<k).map(Int64.init))
            try other.makeDimensionScale(AnalysisLayout.otherClusterDim)
            let blocks = try g.write("cluster_similarity", records.flatMap(\.clusterCosine), shape: [records.count, k, k])
            try Self.attach(heatmap, to: blocks, 0)
            try Self.attach(try g.openDataset(AnalysisLayout.clusterDim), to: blocks, 1)
            try Self.attach(other, to: blocks, 2)
        }
    }

    /// The layer's summary over time.
    public func writeStage(_ s: LayerStageRecord, layer: Int) throws {
        let g = layerGroups[hiddenIndex(layer)]
        try g.setAttribute("multiplicity", Int64(s.multiplicity ?? -1))
        try g.setAttribute("bound_orientations", Int64(s.multiplicity.map { 2 * $0 } ?? -1))
        try g.setAttribute("initial_stage_start", Int64(s.initialStage?.lowerBound ?? -1))
        try g.setAttribute("initial_stage_end", Int64(s.initialStage?.upperBound ?? -1))
        func step(_ position: Int?) -> Int64 { position.map { steps.indices.contains($0) ? Int64(steps[$0]) : -1 } ?? -1 }
        try g.setAttribute("initial_stage_start_step", step(s.initialStage?.lowerBound))
        try g.setAttribute("initial_stage_end_step", step(s.initialStage?.upperBound))
        try g.setAttribute("initial_orientations", Int64(s.initialOrientations))
        try g.setAttribute("initial_lines", Int64(s.initialLines))
        try g.setAttribute("initial_verdict", s.initialVerdict)
        try g.setAttribute("initial_stage_settled", Int64(s.settled ? 1 : 0))
        try g.setAttribute("initial_stage_ended_by", s.endedBy)
        try g.setAttribute("initial_threshold_stable", Int64(s.thresholdStable ? 1 : 0))
        try g.setAttribute("initial_orientations_by_threshold", s.countsByThreshold.map { Int64($0.orientations) })
    }

    public func flush() throws { try file.flush() }

    /// Completes the analysis: in a file of its own, flushes it, puts it at its name (one rename) and closes it; in
    /// the run file, switches it in as `/analysis`: the previous one renamed to `analysis.replaced-<k>`, the new
    /// one renamed in, one flush (the commit point). The next in-place analysis deletes the replaced one if it
    /// reads back whole; then, once the new analysis reads back whole, the other leftovers go.
    public func close() throws {
        try file.flush()
        if ownsFile {
            try file.publish()
            try file.close()
            return
        }
        let root = file.root
        var replaced: String? = nil
        if root.contains(AnalysisLayout.groupName) {
            let aside = Self.freeName(root, AnalysisLayout.replacedPrefix)
            do { try root.move(AnalysisLayout.groupName, to: aside) } catch {
                throw RunFileError.write("\(file.path): its /analysis is damaged beyond renaming (\(error)); the new analysis is not stored; write it to a file of its own with -o FILE")
            }
            replaced = aside
        }
        try root.move(AnalysisLayout.incomingName, to: AnalysisLayout.groupName)
        try file.flush()
        // The analysis just replaced is deleted by the next in-place analysis, before it writes, so that its space
        // is reused (see `init`). The other leftovers — what killed or failed analyses left
        // (`analysis.discarded-<k>`) and replaced analyses too damaged for `init` to delete — go now, once the new
        // analysis reads back whole: unlinked without being freed. Freeing walks every structure below them, and
        // HDF5 1.10.8 crashed (abort on a double free, a bad pointer, in about 1 run in 4) freeing the leftover of
        // an analyze that had run out of disk, although every dataset in it read back whole. Their space stays
        // unused (`h5repack` reclaims it); they are the partial analyses of interrupted runs.
        let leftovers = try root.memberNames().filter {
            $0.hasPrefix(AnalysisLayout.discardedPrefix + "-") || ($0.hasPrefix(AnalysisLayout.replacedPrefix + "-") && $0 != replaced)
        }
        guard !leftovers.isEmpty, (try? root.openGroup(AnalysisLayout.groupName))?.isReadableThroughout() == true else { return }
        for name in leftovers { try? root.unlinkKeepingStorage(name) }
        try file.flush()
    }

    /// `prefix-1`, `prefix-2`, …: the first name not taken in `root`.
    private static func freeName(_ root: H5Group, _ prefix: String) -> String {
        var k = 1
        while root.contains("\(prefix)-\(k)") { k += 1 }
        return "\(prefix)-\(k)"
    }

    private static func attach(_ scale: H5Dataset, to ds: H5Dataset, _ dimension: Int) throws {
        try ds.attach(scale: scale, toDimension: dimension)
        try ds.setDimensionLabel(String(scale.name.split(separator: "/").last ?? ""), forDimension: dimension)
    }
}
