import Foundation
import HDF5

/// Reads a run file of the layout in FORMAT.md, written by condense or by anyone else's code.
///
/// Opening checks that the file is HDF5, is a run file and has a major version this reader knows; everything
/// else is read on demand, one snapshot at a time, so memory stays proportional to one snapshot.
public final class RunReader {
    public let path: String
    public let formatVersion: String
    public let layers: [LayerDescription]
    let file: H5File
    private let root: H5Group
    private var weightSets: [H5Dataset]

    /// Whether this reader follows a live writer (SWMR): `refresh()` then shows the snapshots appended since.
    public let isFollowing: Bool

    /// Opens a run file; `writable` keeps it open for writing so the analysis can be stored in it. `following`
    /// opens a file that a training run is still writing, as a SWMR reader.
    ///
    /// A run whose writer was killed still carries HDF5's "open for writing" mark (every run is written in SWMR
    /// mode): read-only it is opened as a SWMR reader, which sees every flushed snapshot (`isFollowing` is then
    /// true); for writing, once this process holds the file's writer lock (so no writer is alive), the mark is
    /// cleared first, as `h5clear -s --increment=0` does. The plain mark a killed in-place analyze leaves (SWMR readers refuse
    /// it) is cleared so even for reading.
    public init(path: String, writable: Bool = false, following: Bool = false) throws {
        self.path = path
        switch FileKind(path: path) {
        case .missing: throw RunFileError.open("\(path): no such file")
        case .directory: throw RunFileError.open("\(path): is a directory, not a run file")
        case .other: throw RunFileError.open("\(path): \(FileKind(path: path).notRegularDescription ?? "is not a regular file")")
        case .regular: break
        }
        guard H5File.isHDF5(path) else { throw RunFileError.open("\(path): not an HDF5 file") }
        var follows = following
        do {
            do { file = try H5File.open(path, writable: writable && !following, followingWriter: following) }
            catch let e as HDF5Error where !following && Self.classify(e) == .writingLive && !H5WriterLock.isHeld(path) {
                // A killed writer's mark (a live writer holds the lock).
                if writable {
                    file = try H5File.open(path, writable: true, clearingWriterMark: true)
                } else if let swmr = try? H5File.open(path, followingWriter: true) {
                    file = swmr
                    follows = true
                } else {
                    // Marked open for writing by a writer that was not in SWMR mode (an in-place analyze, or a
                    // plain resume, killed on a latest-format file): no SWMR reader may open it. Its mark is
                    // cleared under the writer lock (as `h5clear -s --increment=0` does) and the file opened normally.
                    try H5File.open(path, writable: true, clearingWriterMark: true).close()
                    file = try H5File.open(path)
                }
            }
        } catch let e as HDF5Error {
            switch Self.classify(e) {
            case .writingLive:
                throw RunFileError.busy("\(path): a live training run is still writing it; follow it with condense analyze --follow, or wait for it to finish")
            case .writingLocked:
                throw RunFileError.busy("\(path): a training run is still writing it; wait for it to finish")
            default:
                throw RunFileError.open("\(path): cannot open (\(e.description)); if a training run is still writing it, wait for it to finish")
            }
        }
        isFollowing = follows
        root = file.root
        guard root.hasAttribute("format"), (try? root.stringAttribute("format")) == RunFileFormat.name else {
            throw RunFileError.open("\(path): not a condense run file (no root attribute format = \"\(RunFileFormat.name)\")")
        }
        let version = (try? root.stringAttribute("format_version")) ?? ""
        formatVersion = version
        guard let major = Int(version.split(separator: ".").first ?? "") else {
            throw RunFileError.version("\(path): run file has no readable format_version (found \"\(version)\")")
        }
        guard major == RunFileFormat.major else {
            throw RunFileError.version("\(path): run file format version \(version) is not supported by this condense (reads \(RunFileFormat.major).x); use a newer condense")
        }
        guard root.isGroup("layers") else { throw RunFileError.malformed("\(path): run file has no /layers group") }
        let layersGroup = try root.openGroup("layers")
        var names: [String]
        if layersGroup.hasAttribute("order") {
            names = try layersGroup.stringArrayAttribute("order")
        } else {
            names = try layersGroup.memberNames()
        }
        var layers: [LayerDescription] = []
        var sets: [H5Dataset] = []
        for (i, name) in names.enumerated() {
            guard layersGroup.isGroup(name) else { throw RunFileError.malformed("\(path): layer '\(name)' listed but missing") }
            let g = try layersGroup.openGroup(name)
            guard g.isDataset("weights") else { throw RunFileError.malformed("\(path): layer '\(name)' has no weights dataset") }
            let w = try g.openDataset("weights")
            let shape = w.shape
            guard shape.count == 3 else {
                throw RunFileError.malformed("\(path): /layers/\(name)/weights has shape \(shape), expected (snapshot, neuron, fan_in + 1)")
            }
            let kindText = (try? g.stringAttribute("kind")) ?? (name == LayerDescription.readoutName ? "readout" : "hidden")
            guard let kind = LayerDescription.Kind(rawValue: kindText) else {
                throw RunFileError.malformed("\(path): layer '\(name)' has unknown kind '\(kindText)'")
            }
            let fanIn = g.hasAttribute("fan_in") ? Int(try g.int64Attribute("fan_in")) : shape[2] - 1
            let width = g.hasAttribute("width") ? Int(try g.int64Attribute("width")) : shape[1]
            guard fanIn + 1 == shape[2], width == shape[1] else {
                throw RunFileError.malformed("\(path): layer '\(name)' says width \(width), fan_in \(fanIn) but its weights have shape \(shape)")
            }
            let p = g.hasAttribute("multiplicity") ? Int(try g.int64Attribute("multiplicity")) : -1
            layers.append(LayerDescription(
                name: name, kind: kind,
                index: g.hasAttribute("index") ? Int(try g.int64Attribute("index")) : i + 1,
                fanIn: fanIn, width: width,
                hasBias: g.hasAttribute("has_bias") ? try g.boolAttribute("has_bias") : true,
                activation: g.hasAttribute("activation") ? try g.stringAttribute("activation") : nil,
                multiplicity: p >= 1 ? p : nil,
                residual: g.hasAttribute("residual") ? try g.boolAttribute("residual") : false,
                dropout: g.hasAttribute("dropout") ? try g.doubleAttribute("dropout") : 0,
                outputScale: g.hasAttribute("output_scale") ? try g.doubleAttribute("output_scale") : 1))
            sets.append(w)
        }
        // Our writer appends a snapshot's weights before its step (and cuts back in the other order), so a file
        // with fewer weight rows than steps is damaged or wrongly written: once it was silently cut to the shorter.
        if root.isDataset("step"), let steps = try? root.openDataset("step").shape.first {
            for (d, w) in zip(layers, sets) where w.shape[0] < steps {
                throw RunFileError.malformed("\(path): /layers/\(d.name)/weights holds \(w.shape[0]) snapshots but /step has \(steps); "
                                   + "the file is damaged or not in the documented layout")
            }
            // The per-snapshot variables are appended before /step too.
            for name in RunFileFormat.snapshotVariables where name != "step" && root.isDataset(name) {
                if let rows = try? root.openDataset(name).shape.first, rows < steps {
                    throw RunFileError.malformed("\(path): /\(name) holds \(rows) values but the file has \(steps) snapshots; "
                                       + "the file is damaged or not in the documented layout")
                }
            }
        }
        self.layers = layers
        self.weightSets = sets
    }

    public func close() throws { try file.close() }

    /// Who else has a run file open, as far as opening it tells.
    public enum WriterState: Equatable, Sendable {
        /// No file at the path (yet).
        case absent
        /// Nobody is writing it: it opens normally.
        case closed
        /// A `--live` (SWMR) writer has it open, or one was killed without closing it: follow it.
        case writingLive
        /// A writer holds it locked (not live): it cannot be read until that writer closes it.
        case writingLocked
        /// It exists but is not HDF5, or fails to open for another reason.
        case unreadable
    }

    /// Tries to open `path` read-only and says what stood in the way (opens and closes it at once).
    public static func writerState(path: String) -> WriterState {
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        guard H5File.isHDF5(path) else { return .unreadable }
        do {
            try H5File.open(path).close()
            return .closed
        } catch let e as HDF5Error {
            return classify(e)
        } catch { return .unreadable }
    }

    private static func classify(_ e: HDF5Error) -> WriterState {
        if e.message.contains("SWMR mode") { return .writingLive }
        if e.message.contains("another process has it open for writing") { return .writingLocked }
        return .unreadable
    }

    /// A following reader re-reads the extents, so `snapshotCount` and the reads include every flushed append.
    public func refresh() throws {
        guard isFollowing else { return }
        for w in weightSets { try w.refresh() }
        for name in RunFileFormat.snapshotVariables where root.isDataset(name) { try root.openDataset(name).refresh() }
    }

    // MARK: - Root attributes

    public var creator: String { (try? root.stringAttribute("creator")) ?? "" }
    public var commandLine: String { (try? root.stringAttribute("command_line")) ?? "" }
    public var configJSON: String? { try? root.stringAttribute("config") }
    public var seed: UInt64? { (try? root.int64Attribute("seed")).map { UInt64(bitPattern: $0) } }
    public var statusText: String { (try? root.stringAttribute("status")) ?? "unknown" }
    public var status: RunStatus? { RunStatus(rawValue: statusText) }
    public var statusMessage: String { (try? root.stringAttribute("status_message")) ?? "" }

    // MARK: - Snapshots

    /// Snapshots complete in every layer (a killed writer may leave one layer a row ahead).
    public var snapshotCount: Int {
        var n = weightSets.map { $0.shape[0] }.min() ?? 0
        if root.isDataset("step"), let s = try? root.openDataset("step").shape.first { n = min(n, s) }
        return n
    }

    /// The training step of every snapshot (0, 1, … when the file has no `step`).
    public func steps() throws -> [Int] {
        let n = snapshotCount
        guard root.isDataset("step") else { return Array(0..<n) }
        let steps = try root.openDataset("step").readInt64().prefix(n).map { Int($0) }
        // FORMAT.md: steps are ≥ 0 and strictly increasing; analyses and resumes rely on it.
        if let first = steps.first, first < 0 {
            throw RunFileError.malformed("\(path): /step starts at \(first); steps are counts of updates (≥ 0)")
        }
        if let k = steps.indices.dropFirst().first(where: { steps[$0] <= steps[$0 - 1] }) {
            throw RunFileError.malformed("\(path): /step is not strictly increasing (snapshot \(k) has step \(steps[k]) after "
                               + "\(steps[k - 1])); the file is damaged or not in the documented layout")
        }
        return steps
    }

    /// A per-snapshot float variable (`train_loss`, `test_loss`, `epoch`, `wall_time`, `learning_rate`, and for
    /// classification runs `train_accuracy`, `test_accuracy`), or nil if absent.
    public func snapshotVariable(_ name: String) throws -> [Double]? {
        guard root.isDataset(name) else { return nil }
        let values = try root.openDataset(name).read()
        let n = snapshotCount
        guard values.count >= n else {
            throw RunFileError.malformed("\(path): /\(name) holds \(values.count) values but the file has \(n) snapshots")
        }
        return Array(values.prefix(n))
    }

    /// Per-update losses (`loss`), or nil if absent.
    public func stepLosses() throws -> [Double]? {
        guard root.isDataset("loss") else { return nil }
        return try root.openDataset("loss").read()
    }

    public func lossKind() -> String? {
        guard root.isDataset("train_loss"), let ds = try? root.openDataset("train_loss") else { return nil }
        return try? ds.stringAttribute("loss_kind")
    }

    /// The input-weight-plus-bias vectors of layer `layer` at snapshot `snapshot`: row-major (width, fan_in + 1).
    public func weights(layer: Int, snapshot: Int) throws -> [Double] {
        let d = layers[layer]
        var out = [Double](repeating: 0, count: d.width * d.components)
        try out.withUnsafeMutableBufferPointer { try readWeights(layer: layer, snapshot: snapshot, into: $0) }
        return out
    }

    public func readWeights(layer: Int, snapshot: Int, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        let d = layers[layer]
        guard snapshot >= 0, snapshot < snapshotCount else {
            throw RunFileError.snapshotRange("\(path): snapshot \(snapshot) out of range (file holds \(snapshotCount))")
        }
        try weightSets[layer].readSlab(start: [snapshot, 0, 0], count: [1, d.width, d.components], into: buffer)
    }

    // MARK: - Data and optimizer state

    /// `/data/train` or `/data/test`, or nil when the file has none.
    public func data(_ split: String) throws -> Dataset? {
        guard root.isGroup("data") else { return nil }
        let data = try root.openGroup("data")
        guard data.isGroup(split) else { return nil }
        let g = try data.openGroup(split)
        guard g.isDataset("x"), g.isDataset("y") else { return nil }
        let xs = try g.openDataset("x"), ys = try g.openDataset("y")
        let xShape = xs.shape, yShape = ys.shape
        guard (1...2).contains(xShape.count), (1...2).contains(yShape.count) else {
            throw RunFileError.malformed("\(path): /data/\(split) x has shape \(xShape) and y \(yShape); expected (n,) or (n, d)")
        }
        let n = xShape.first ?? 0
        let d = xShape.count > 1 ? xShape[1] : 1
        let k = yShape.count > 1 ? yShape[1] : 1
        guard yShape.first == n else {
            throw RunFileError.malformed("\(path): /data/\(split) has \(n) inputs but \(yShape.first ?? 0) targets")
        }
        return Dataset(x: try xs.read(), y: try ys.read(), n: n, inputDim: d, outputDim: k,
                          provenance: g.hasAttribute("provenance") ? try g.stringAttribute("provenance") : nil)
    }

    /// The newest complete optimizer checkpoint, or nil when the file has none (see `optimizerCheckpoints`).
    public func optimizerState() throws -> OptimizerSnapshot? { try optimizerCheckpoints().first }

    /// The optimizer checkpoints that are complete, newest first: of the two in `/optimizer`
    /// (`OptimizerCheckpoint`) those that read back whole and whose checksum matches; a torn one (its writer
    /// killed or out of disk in the middle) is left out. A file written before checkpoints were double-buffered
    /// has one state directly in `/optimizer`, which cannot be checked (generation 0).
    public func optimizerCheckpoints() throws -> [OptimizerSnapshot] {
        guard root.isGroup("optimizer") else { return [] }
        let g = try root.openGroup("optimizer")
        let slots = OptimizerCheckpoint.slots.filter { g.isGroup($0) }
        if slots.isEmpty {
            guard g.hasAttribute("step") else { return [] }
            return [try Self.readState(g, kind: try g.stringAttribute("kind"))]
        }
        var found: [OptimizerSnapshot] = []
        for name in slots {
            guard let slot = try? g.openGroup(name), slot.hasAttribute("checksum"),
                  let state = try? Self.readState(slot, kind: try slot.stringAttribute("kind")),
                  let stored = try? slot.int64Attribute("checksum"),
                  stored == OptimizerCheckpoint.checksum(state) else { continue }
            found.append(state)
        }
        return found.sorted { $0.generation > $1.generation }
    }

    /// One stored state: the attributes and datasets of `g` (a checkpoint group, or `/optimizer` of older files).
    private static func readState(_ g: H5Group, kind: String) throws -> OptimizerSnapshot {
        var buffers: [String: [Double]] = [:]
        let reserved: Set<String> = ["rng_dropout", "rng_shuffle", "batch_order", RunFileFormat.parameterDim,
                                     RunFileFormat.rngWordDim, RunFileFormat.batchPositionDim]
        for name in try g.memberNames() where !reserved.contains(name) && g.isDataset(name) {
            buffers[name] = try g.openDataset(name).read()
        }
        func words(_ name: String) throws -> [UInt64] {
            g.isDataset(name) ? try g.openDataset(name).readInt64().map { UInt64(bitPattern: $0) } : []
        }
        var state = OptimizerSnapshot(
            kind: kind, step: Int(try g.int64Attribute("step")),
            optimizerSteps: Int(try g.int64Attribute("optimizer_steps")), buffers: buffers,
            rngDropout: try words("rng_dropout"), rngShuffle: try words("rng_shuffle"),
            batchOrder: g.isDataset("batch_order") ? try g.openDataset("batch_order").readInt64().map { Int($0) } : [],
            batchCursor: g.hasAttribute("batch_cursor") ? Int(try g.int64Attribute("batch_cursor")) : 0)
        state.generation = g.hasAttribute("generation") ? Int(try g.int64Attribute("generation")) : 0
        return state
    }
}

extension RunReader {
    /// The stored analysis of each hidden layer (its over-time summary), or nil when the file has no `/analysis`.
    public func storedAnalysis() throws -> [(layer: String, stage: LayerStageRecord)]? {
        guard file.root.isGroup(AnalysisLayout.groupName) else { return nil }
        let group = try file.root.openGroup(AnalysisLayout.groupName)
        return try layers.filter { $0.kind == .hidden && group.isGroup($0.name) }.map { d in
            let g = try group.openGroup(d.name)
            func int(_ name: String) throws -> Int { g.hasAttribute(name) ? Int(try g.int64Attribute(name)) : -1 }
            let p = try int("multiplicity"), start = try int("initial_stage_start"), end = try int("initial_stage_end")
            return (d.name, LayerStageRecord(
                multiplicity: p >= 1 ? p : nil, initialStage: start >= 0 && end >= start ? start...end : nil,
                initialOrientations: max(try int("initial_orientations"), 0), initialLines: max(try int("initial_lines"), 0),
                initialVerdict: g.hasAttribute("initial_verdict") ? try g.stringAttribute("initial_verdict") : ""))
        }
    }
}
