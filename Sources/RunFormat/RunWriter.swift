import Foundation
import HDF5

/// Writes a run file in the layout of FORMAT.md: create it with the run's description, then append one snapshot
/// (or a batch) at a time; each append ends with a flush unless told not to, so a killed writer leaves every
/// flushed snapshot readable.
public final class RunWriter {
    public let path: String
    public let layers: [LayerDescription]
    private let file: H5File
    private let root: H5Group
    private var snapshotSets: [String: H5Dataset] = [:]
    private let snapshotIndex: H5Dataset
    private let iterationIndex: H5Dataset
    private let lossSet: H5Dataset
    private var weightSets: [H5Dataset] = []
    /// Each layer group's copy of `/step` (format 1.2; nil in older files), kept as long as the layer's weights.
    private var layerStepSets: [H5Dataset?] = []
    public private(set) var snapshotCount: Int
    public private(set) var iterationCount: Int
    /// The snapshots and per-update losses that the last successful flush put in the file.
    private var durableSnapshots = 0
    private var durableIterations = 0
    /// Writes large weight chunks past the page cache, where the file system allows it (made at the first append).
    private var directWriter: H5DirectChunkWriter?
    private var directWriterChecked = false
    /// Small layers' weights of a batch of snapshots, gathered for one write (reused).
    private var gathered: [Double] = []

    /// Data inputs of at least this many values (8 MiB) are stored deflated.
    static let compressedDataValues = 1 << 20

    /// Weight chunks at least this large go through `H5DirectChunkWriter`.
    static let directChunkBytes = 1 << 20

    /// Snapshots per weight chunk: a layer's snapshot of less than `sharedChunkBytes` shares its chunk with the
    /// next ones, up to that size. With one chunk per snapshot, a small network's writer thread paid HDF5's chunk
    /// bookkeeping and one `pwrite` per snapshot and layer, more CPU time than training (every:10, 5-50-1). The
    /// chunk is allocated once and rewritten in place as snapshots fill it, with the same bytes where rows are
    /// already written, so a kill in the middle of a rewrite changes no completed snapshot. Compressed layers keep
    /// one snapshot per chunk: a deflated chunk moves when it is rewritten.
    static let sharedChunkBytes = 64 << 10

    static func snapshotsPerChunk(rowBytes: Int, compressed: Bool) -> Int {
        compressed || rowBytes >= sharedChunkBytes ? 1 : sharedChunkBytes / max(1, rowBytes)
    }

    /// Creates a new run file. Fails if `path` exists unless `overwrite` is set.
    ///
    /// `live` (the default, what `condense train` writes): HDF5's latest format, switched to SWMR writing once the
    /// first snapshot (with the optimizer state) has created every object, and linked in at `path` only then. In
    /// SWMR mode HDF5 orders each flush's metadata writes so that the file on disk is always consistent, so a kill
    /// in the middle of a flush cannot tear it (a plain file's flush writes its metadata in no guaranteed order),
    /// and readers can follow the run. `live: false` writes the older plain format (superblock 2, no SWMR), linked
    /// in once its description is flushed: what condense wrote before every run was live, kept for tests of
    /// resuming such files and for writers that need HDF5 1.8 readers.
    public static func create(path: String, layers: [LayerDescription], commandLine: String, configJSON: String?,
                              seed: UInt64?, lossKind: String, train: Dataset?, test: Dataset?,
                              overwrite: Bool = false, compression: Int? = nil, live: Bool = true,
                              creator: String = "condense \(RunFileFormat.toolVersion)") throws -> RunWriter {
        // Made under a hidden name and linked in at `path` later, so a killed writer never leaves a half-made file
        // there (and `--force` replaces the old run only then).
        let file = try H5File.create(path, mode: overwrite ? .truncate : .exclusive, singleWriterMultipleReaders: live,
                                     publishingLater: true)
        do {
            return try populate(file, layers: layers, commandLine: commandLine, configJSON: configJSON, seed: seed,
                                lossKind: lossKind, train: train, test: test, compression: compression, live: live,
                                creator: creator)
        } catch {
            // Nothing half-written may look like a run: the file made (or truncated) here goes again, while its
            // lock is held, so never another writer's.
            file.closeRemovingFile()
            throw error
        }
    }

    private static func populate(_ file: H5File, layers: [LayerDescription], commandLine: String, configJSON: String?,
                                 seed: UInt64?, lossKind: String, train: Dataset?, test: Dataset?,
                                 compression: Int?, live: Bool, creator: String) throws -> RunWriter {
        let path = file.path
        let root = file.root
        try root.setAttribute("format", RunFileFormat.name)
        try root.setAttribute("format_version", RunFileFormat.version)
        try root.setAttribute("creator", creator)
        try root.setAttribute("command_line", commandLine)
        if let configJSON { try root.setAttribute("config", configJSON) }
        if let seed { try root.setAttribute("seed", Int64(bitPattern: seed)) }
        try root.setAttribute("status", RunStatus.running.rawValue)
        try root.setAttribute("status_message", "")
        try root.setAttribute("created_utc", UTCTimestamp.string())

        // The snapshot dimension is named `step` (format 1.2): `/step`, the training step of each snapshot, is its
        // dimension scale, so netCDF readers select snapshots by step (`.sel(step=100)`), and `/snapshot` (0, 1, …)
        // is an ordinary variable along it. Every scale is attached here, before the first snapshot: a live file
        // switches to SWMR after it, and SWMR allows no new attributes (attaching writes DIMENSION_LIST and
        // REFERENCE_LIST); appending later only extends datasets.
        // The attachments are collected and written together at the end (`DimensionScaleAttachments`: one write per
        // attribute instead of a rewrite per attachment).
        var scales = DimensionScaleAttachments()
        let stepScale = try Self.makeIndex(root, RunFileFormat.snapshotDim)
        let index = try root.createDataset(RunFileFormat.snapshotIndexName, type: .int64, shape: [0], maxShape: [nil],
                                           chunk: [256])
        Self.attach(stepScale, to: index, dimension: 0, in: &scales)
        for name in RunFileFormat.snapshotVariables where name != RunFileFormat.snapshotDim {
            let type: H5ElementType = name == "diverged" ? .uint8 : .float64
            let ds = try root.createDataset(name, type: type, shape: [0], maxShape: [nil], chunk: [256])
            Self.attach(stepScale, to: ds, dimension: 0, in: &scales)
            if name.hasSuffix("loss") { try ds.setAttribute("loss_kind", lossKind) }
        }
        let iteration = try Self.makeIndex(root, RunFileFormat.iterationDim, chunk: 4096)
        let loss = try root.createDataset("loss", type: .float64, shape: [0], maxShape: [nil], chunk: [4096])
        Self.attach(iteration, to: loss, dimension: 0, in: &scales)
        try loss.setAttribute("loss_kind", lossKind)

        let layersGroup = try root.createGroup("layers")
        try layersGroup.setAttribute("order", layers.map(\.name))
        for layer in layers {
            let g = try layersGroup.createGroup(layer.name)
            try g.setAttribute("kind", layer.kind.rawValue)
            try g.setAttribute("index", layer.index)
            try g.setAttribute("fan_in", layer.fanIn)
            try g.setAttribute("width", layer.width)
            try g.setAttribute("has_bias", layer.hasBias)
            if layer.kind == .hidden {
                try g.setAttribute("activation", layer.activation ?? "")
                try g.setAttribute("multiplicity", Int64(layer.multiplicity ?? -1))
                try g.setAttribute("residual", layer.residual)
                try g.setAttribute("dropout", layer.dropout)
            } else {
                try g.setAttribute("output_scale", layer.outputScale)
            }
            let rowDim = layer.kind == .hidden ? RunFileFormat.neuronDim : RunFileFormat.outputDim
            let rows = try g.write(rowDim, (0..<layer.width).map(Int64.init))
            try rows.makeDimensionScale(rowDim)
            let labels = (0..<layer.fanIn).map { "w\($0 + 1)" } + ["b"]
            let comps = try g.write(RunFileFormat.componentDim, labels)
            try comps.makeDimensionScale(RunFileFormat.componentDim)
            // Chunks of 1 MiB or more are allocated on extension and written past the page cache (see
            // `appendSnapshots`); smaller ones keep HDF5's NaN fill for rows a killed writer extended but did not
            // write.
            let chunkBytes = layer.width * layer.components * MemoryLayout<Double>.size
            let rowsPerChunk = snapshotsPerChunk(rowBytes: chunkBytes, compressed: compression != nil)
            let w = try g.createDataset("weights", type: .float64, shape: [0, layer.width, layer.components],
                                        maxShape: [nil, layer.width, layer.components],
                                        chunk: [rowsPerChunk, layer.width, layer.components], deflate: compression,
                                        allocateOnExtend: compression == nil && chunkBytes >= Self.directChunkBytes)
            // The group's own copy of `/step` as the scale of the weights' snapshot dimension: netCDF readers that
            // open one group (`xr.open_dataset(path, group="layers/layer_1")`) see only that group's coordinates.
            let layerStep = try Self.makeIndex(g, RunFileFormat.snapshotDim)
            Self.attach(layerStep, to: w, dimension: 0, in: &scales)
            Self.attach(rows, to: w, dimension: 1, in: &scales)
            Self.attach(comps, to: w, dimension: 2, in: &scales)
        }
        if train != nil || test != nil {
            let data = try root.createGroup("data")
            if let train { try Self.writeData(train, into: try data.createGroup("train"), scales: &scales) }
            if let test { try Self.writeData(test, into: try data.createGroup("test"), scales: &scales) }
        }
        try scales.write()
        try file.flush()
        // A plain file is linked in now; a live one once SWMR writing has started (`appendUnchecked`): until then
        // its flushes are plain ones, which a kill could tear.
        if !live { try file.publish() }
        return try RunWriter(path: path, file: file, layers: layers, live: live)
    }

    /// Reopens an existing run file for appending (`--resume`): new snapshots go after the stored ones. A file in
    /// HDF5's latest format (every file condense writes since runs are live) is switched to SWMR writing at once,
    /// before anything in it changes, so every change of the resume is crash-safe and followable; a file of the
    /// older plain format cannot be, and is appended to plainly (a kill inside one of its flushes can still tear
    /// it), unless `requireLive` is set: then it is refused.
    public static func reopen(path: String, requireLive: Bool = false) throws -> RunWriter {
        // A killed writer leaves the file marked open for writing (its flushed snapshots are consistent): the
        // reader opens it as it can (SWMR, or clearing a plain writer's mark), and the writer clears a SWMR mark.
        let reader = try RunReader(path: path)
        let layers = reader.layers
        try reader.close()
        let marked = (H5File.writerMark(path) ?? .none) != .none
        let file = try H5File.open(path, writable: true, clearingWriterMark: marked)
        let live = file.supportsSingleWriterMultipleReaders
        if requireLive && !live {
            try? file.close()
            throw RunFileError.write("\(path): was written by an older condense in the plain HDF5 format, which cannot be written live (SWMR); resume it without --live (its new snapshots are then appended plainly)")
        }
        // SWMR first, so that even the repairs below (coordinates a killed writer extended) and the cut-back of
        // the resume are SWMR flushes. A file without the two checkpoints (an older one) starts once its first
        // new snapshot has made them.
        var following = false
        if live, file.root.isGroup("optimizer"),
           let g = try? file.root.openGroup("optimizer"), OptimizerCheckpoint.slots.allSatisfy({ g.isGroup($0) }) {
            do { try file.startSingleWriterMultipleReaders() } catch {
                try? file.close()
                throw RunFileError.write("\(path): cannot be written live (\(error))")
            }
            following = true
        }
        return try RunWriter(path: path, file: file, layers: layers, live: live, following: following)
    }

    /// Whether the file is written in SWMR mode (readers may follow it, and a kill inside a flush leaves it
    /// consistent) from the first snapshot on: every new file, and a resumed one in HDF5's latest format.
    public let live: Bool
    /// Whether SWMR writing has started.
    public private(set) var following = false

    private init(path: String, file: H5File, layers: [LayerDescription], live: Bool, following: Bool = false) throws {
        self.path = path
        self.live = live
        self.following = following
        self.file = file
        self.root = file.root
        self.layers = layers
        snapshotIndex = try root.openDataset(RunFileFormat.snapshotIndexName)
        iterationIndex = try root.openDataset(RunFileFormat.iterationDim)
        lossSet = try root.openDataset("loss")
        for name in RunFileFormat.snapshotVariables { snapshotSets[name] = try root.openDataset(name) }
        for name in RunFileFormat.accuracyVariables where root.isDataset(name) { snapshotSets[name] = try root.openDataset(name) }
        let layersGroup = try root.openGroup("layers")
        for layer in layers {
            let g = try layersGroup.openGroup(layer.name)
            weightSets.append(try g.openDataset("weights"))
            layerStepSets.append(g.isDataset(RunFileFormat.snapshotDim) ? try g.openDataset(RunFileFormat.snapshotDim) : nil)
        }
        snapshotCount = try root.openDataset("step").shape[0]
        iterationCount = lossSet.shape[0]
        durableSnapshots = snapshotCount
        durableIterations = iterationCount
        // A killed writer may have extended a coordinate but not its data; trust the data.
        try snapshotIndex.extend(to: [snapshotCount])
        try iterationIndex.extend(to: [iterationCount])
        for (ds, steps) in zip(weightSets, layerStepSets) { try steps?.extend(to: [ds.shape[0]]) }
    }

    /// Appends one snapshot: the scalars, then every layer's weights (row-major (width, fan_in + 1), bias last),
    /// in `layers` order, then (unless `flush` is false) flushes. `stepLosses` are the per-update losses since the
    /// previous snapshot. Give the optimizer state with the snapshot that flushes: only the state of the file's
    /// last snapshot is kept.
    public func appendSnapshot(_ record: SnapshotRecord, weights: [UnsafeBufferPointer<Double>],
                               stepLosses: UnsafeBufferPointer<Double>, optimizer: OptimizerSnapshot?,
                               flush: Bool = true) throws {
        try appendSnapshots([record], weights: weights, stepLosses: stepLosses, optimizer: optimizer, flush: flush)
    }

    /// Appends `records.count` consecutive snapshots at once (one extension and one write per dataset, which is
    /// what makes frequent snapshots of small networks cheap): `weights[l]` holds layer l's weights of every one of
    /// them, snapshot after snapshot; `stepLosses` the per-update losses since the previous snapshot in the file;
    /// `optimizer` the state at the last of them.
    public func appendSnapshots(_ records: [SnapshotRecord], weights: [UnsafeBufferPointer<Double>],
                                stepLosses: UnsafeBufferPointer<Double>, optimizer: OptimizerSnapshot?,
                                flush: Bool = true) throws {
        precondition(weights.count == layers.count)
        let k = records.count
        let perSnapshot = zip(layers, weights).map { layer, w in
            let chunk = layer.width * layer.components
            precondition(w.count == k * chunk, "weights of \(layer.name) have wrong size")
            return (0..<k).map { UnsafeBufferPointer(rebasing: w[($0 * chunk)..<(($0 + 1) * chunk)]) }
        }
        try appendSnapshots(records, layerWeights: perSnapshot, stepLosses: stepLosses, optimizer: optimizer,
                            flush: flush)
    }

    /// `appendSnapshots` with each snapshot's weights where they are: `layerWeights[l][j]` is layer l of snapshot j.
    /// Large layers are written chunk by chunk straight from these buffers (past the page cache, without a copy
    /// when a buffer starts on a page boundary); small ones are gathered into one write per dataset.
    ///
    /// When a write or the flush fails (a full disk), the file is cut back to the snapshots of the last successful
    /// flush before the error is rethrown, so no snapshot whose data never reached the disk (read back as NaN
    /// fill) stays in it, and the checkpoint being written is not the one kept.
    public func appendSnapshots(_ records: [SnapshotRecord], layerWeights: [[UnsafeBufferPointer<Double>]],
                                stepLosses: UnsafeBufferPointer<Double>, optimizer: OptimizerSnapshot?,
                                flush: Bool = true) throws {
        do {
            try appendUnchecked(records, layerWeights: layerWeights, stepLosses: stepLosses, optimizer: optimizer,
                                flush: flush)
        } catch {
            rollBack()
            throw error
        }
    }

    /// Cuts the snapshots back to those of the last successful flush (best effort: the disk may refuse this
    /// too; a resume then still passes over a checkpoint whose snapshot is incomplete). Only `step`, the commit
    /// record of the snapshots, is shortened: a reader counts snapshots by it, and shrinking the weight datasets
    /// as well was seen (tmpfs, HDF5 1.10.8) to lose the last flushed snapshot's readout chunk, still held by
    /// HDF5's write buffers. `--resume` cuts the rest back later, when there is space.
    private func rollBack() {
        pendingSlot = nil
        guard durableSnapshots < snapshotCount, let step = snapshotSets["step"] else { return }
        try? step.extend(to: [durableSnapshots])
        try? file.flush()
    }

    private func appendUnchecked(_ records: [SnapshotRecord], layerWeights: [[UnsafeBufferPointer<Double>]],
                                 stepLosses: UnsafeBufferPointer<Double>, optimizer: OptimizerSnapshot?,
                                 flush: Bool) throws {
        precondition(layerWeights.count == layers.count)
        let k = records.count
        guard k > 0 else { return }
        try reserveSpace(snapshots: k, losses: stepLosses.count, optimizer: optimizer)
        if stepLosses.count > 0 {
            let start = iterationCount
            try iterationIndex.append((start..<start + stepLosses.count).map(Int64.init), rows: stepLosses.count)
            try lossSet.append(stepLosses, rows: stepLosses.count)
            iterationCount += stepLosses.count
        }
        try snapshotIndex.append((snapshotCount..<snapshotCount + k).map(Int64.init), rows: k)
        let steps = records.map { Int64($0.step) }
        for (l, (layer, (ds, ws))) in zip(layers, zip(weightSets, layerWeights)).enumerated() {
            let chunk = layer.width * layer.components
            let rowStart = ds.shape[0]
            precondition(ws.count == k && ws.allSatisfy { $0.count == chunk }, "weights of \(layer.name) have wrong size")
            if chunk * MemoryLayout<Double>.size >= Self.directChunkBytes, let direct = directChunkWriter() {
                // Large chunks: extend (which allocates them), then write each past the page cache, which on the
                // project's machine took the writer thread's CPU time per 8 MB chunk from 3.6-16 ms to ~0.3 ms.
                let start = rowStart
                try ds.extend(to: [start + k, layer.width, layer.components])
                for (j, one) in ws.enumerated() where try !direct.writeChunk(one, of: ds, at: [start + j, 0, 0]) {
                    try ds.writeSlab(one, start: [start + j, 0, 0], count: [1, layer.width, layer.components])
                }
            } else if k == 1 {
                try ds.append(ws[0], rows: 1)
            } else {
                gathered.removeAll(keepingCapacity: true)
                for w in ws { gathered.append(contentsOf: w) }
                try gathered.withUnsafeBufferPointer { try ds.append($0, rows: k) }
            }
            // The layer's copy of the steps, beside the rows just written (before `/step`, the commit record).
            if let layerStep = layerStepSets[l] {
                try layerStep.extend(to: [rowStart + k])
                try layerStep.writeSlab(steps, start: [rowStart], count: [k])
            }
        }
        try snapshotSets["epoch"]!.append(records.map(\.epoch), rows: k)
        try snapshotSets["wall_time"]!.append(records.map(\.wallTime), rows: k)
        try snapshotSets["train_loss"]!.append(records.map(\.trainLoss), rows: k)
        try snapshotSets["test_loss"]!.append(records.map(\.testLoss), rows: k)
        try appendAccuracy(records, rows: k)
        try snapshotSets["learning_rate"]!.append(records.map(\.learningRate), rows: k)
        try snapshotSets["diverged"]!.append(records.map { Int64($0.diverged ? 1 : 0) }, rows: k)
        // `step` last: readers count snapshots by it, so a torn write never shows a half snapshot.
        try snapshotSets["step"]!.append(steps, rows: k)
        snapshotCount += k
        if let optimizer { try writeOptimizer(optimizer) }
        guard flush else { return }
        try file.flush()
        committed()
        try startFollowingIfReady()
        // A new file goes to its name once the first snapshot is in it (and, live, SWMR writing has started).
        if !file.isPublished { try file.publish() }
    }

    /// Starts SWMR writing on a live file once every object exists. SWMR allows no new objects, so a new file
    /// starts after the first snapshot has created the optimizer checkpoints (and, for classification, the
    /// accuracy variables); a resumed one at once, before anything in it changes.
    private func startFollowingIfReady() throws {
        guard live, !following else { return }
        try openSlots()
        guard !slotGroups.isEmpty else { return }
        do { try file.startSingleWriterMultipleReaders() } catch {
            throw RunFileError.write("\(path): cannot be written live (\(error))")
        }
        following = true
    }

    /// Replaces the stored optimizer state (that of the file's last snapshot, when a writer appended that snapshot
    /// without it) and flushes.
    public func setOptimizerState(_ optimizer: OptimizerSnapshot) throws {
        do {
            try reserveSpace(snapshots: 0, losses: 0, optimizer: optimizer)
            try writeOptimizer(optimizer)
            try file.flush()
            committed()
        } catch {
            pendingSlot = nil
            throw error
        }
    }

    /// Cuts the file back to its first `snapshots` snapshots and first `iterations` per-update losses, and flushes.
    /// A resumed run uses it when its writer was killed after appending snapshots newer than the stored optimizer
    /// state: it continues from the state's snapshot and computes the later ones again, bit for bit.
    public func truncate(snapshots: Int, iterations: Int) throws {
        precondition(snapshots >= 0 && snapshots <= snapshotCount && iterations >= 0 && iterations <= iterationCount,
                     "truncate(\(snapshots), \(iterations)) beyond \(snapshotCount) snapshots and \(iterationCount) iterations")
        // `step` first: readers count snapshots by it, so a torn truncation never shows a snapshot without data.
        try snapshotSets["step"]!.extend(to: [snapshots])
        for (name, ds) in snapshotSets where name != "step" { try ds.extend(to: [snapshots] + ds.shape.dropFirst()) }
        for ds in weightSets { try ds.extend(to: [snapshots] + ds.shape.dropFirst()) }
        for ds in layerStepSets { try ds?.extend(to: [snapshots]) }
        try snapshotIndex.extend(to: [snapshots])
        try lossSet.extend(to: [iterations])
        try iterationIndex.extend(to: [iterations])
        snapshotCount = snapshots
        iterationCount = iterations
        try file.flush()
        durableSnapshots = snapshots
        durableIterations = iterations
    }

    /// Sets the root `status` and `status_message` and flushes.
    public func setStatus(_ status: RunStatus, message: String = "") throws {
        try root.setAttribute("status", status.rawValue)
        try root.setAttribute("status_message", message)
        try file.flush()
    }

    /// Replaces the stored configuration (a resumed run may have a new step total).
    public func setConfiguration(_ json: String) throws {
        try root.setAttribute("config", json)
    }

    /// Marks the last snapshot as the state at which the loss became non-finite.
    public func markLastSnapshotDiverged() throws {
        guard snapshotCount > 0 else { return }
        try snapshotSets["diverged"]!.writeSlab([Int64(1)], start: [snapshotCount - 1], count: [1])
        try file.flush()
    }

    /// Closes the file; a new file closed before its first snapshot is linked in at its name first.
    public func close() throws {
        if file.isOpen && !file.isPublished {
            try file.flush()
            try file.publish()
        }
        try file.close()
    }

    // MARK: - Internals

    /// Reserves the disk space an append is about to use (its weights, per-update losses, scalars and checkpoint,
    /// with room for HDF5's own structures), so that a full disk is found before HDF5 changes anything: a flush
    /// that ran out of space in the middle left chunk indexes pointing past the file's stored end, and readers
    /// failed on `step` ("addr overflow") until the next writer opened the file.
    private func reserveSpace(snapshots k: Int, losses: Int, optimizer: OptimizerSnapshot?) throws {
        let weights = layers.reduce(0) { $0 + $1.width * $1.components }
        // The first checkpoint fills both of its slots.
        let copies = slotGroups.isEmpty ? 2 : 1
        let state = optimizer.map { o in copies * (o.buffers.values.reduce(0) { $0 + $1.count } + o.batchOrder.count + 16) } ?? 0
        // A snapshot that starts a shared chunk allocates all of it (`sharedChunkBytes` at most per layer).
        let shared = layers.count * Self.sharedChunkBytes
        let bytes = 8 * (k * (weights + 16) + 2 * losses + state) + shared
        try file.reserveSpace(growth: bytes + bytes / 8 + (64 << 10))
    }

    private func directChunkWriter() -> H5DirectChunkWriter? {
        // It opens the file by its name, so not before the file is there (a live file's first snapshot).
        guard file.isPublished else { return nil }
        if !directWriterChecked {
            directWriterChecked = true
            directWriter = H5DirectChunkWriter(file: file)
        }
        return directWriter
    }

    private var optimizerGroup: H5Group?
    /// The two checkpoint groups of `/optimizer` and their datasets, once made or opened.
    private var slotGroups: [H5Group] = []
    private var slotSets: [[String: H5Dataset]] = [[:], [:]]
    private var slotBatchOrder: [[Int]?] = [nil, nil]
    /// The checkpoint that holds the newest state a flush has put in the file (never overwritten next), and the
    /// one written since the last flush.
    private var committedSlot: Int?
    private var pendingSlot: Int?
    private var nextGeneration = 1
    /// Optimizer states written by this writer (for the fault injection below).
    private var checkpointWrites = 0

    /// Fault injection for the crash tests, set by the caller before the first write (the trainer passes its
    /// `FaultInjection.killInCheckpoint`): k sends SIGKILL to this process in the middle of writing its k-th
    /// optimizer state (after the first state buffer), as an external `kill -9` may. nil (the default): never.
    public var killInCheckpoint: Int?

    /// A resumed run continues from the checkpoint of `generation` (`RunReader.optimizerCheckpoints`): it is kept,
    /// and the next state goes into the other one.
    public func keepCheckpoint(generation: Int) throws {
        try openSlots()
        for (i, g) in slotGroups.enumerated() where g.hasAttribute("generation") {
            let stored = Int((try? g.int64Attribute("generation")) ?? -1)
            nextGeneration = max(nextGeneration, stored + 1)
            if stored == generation { committedSlot = i }
        }
    }

    /// The checkpoint groups of an existing `/optimizer`, when it has them.
    private func openSlots() throws {
        guard slotGroups.isEmpty, root.isGroup("optimizer") else { return }
        let g = try root.openGroup("optimizer")
        guard OptimizerCheckpoint.slots.allSatisfy({ g.isGroup($0) }) else { return }
        optimizerGroup = g
        slotGroups = try OptimizerCheckpoint.slots.map { try g.openGroup($0) }
    }

    /// Writes the state into the checkpoint that does not hold the newest flushed one, its commit record last.
    /// The first time, both checkpoints are made (a live file can make no objects later) and both get the state.
    private func writeOptimizer(_ s: OptimizerSnapshot) throws {
        try openSlots()
        if slotGroups.isEmpty {
            let g = root.isGroup("optimizer") ? try root.openGroup("optimizer") : try root.createGroup("optimizer")
            try g.setAttribute("kind", s.kind)
            optimizerGroup = g
            slotGroups = try OptimizerCheckpoint.slots.map { try g.createGroup($0) }
            var first = s
            first.generation = 0
            try writeSlot(1, first)
            committedSlot = 1
        }
        let target = committedSlot == 0 ? 1 : 0
        checkpointWrites += 1
        var state = s
        state.generation = nextGeneration
        try writeSlot(target, state)
        nextGeneration += 1
        pendingSlot = target
    }

    private func writeSlot(_ slot: Int, _ s: OptimizerSnapshot) throws {
        let g = slotGroups[slot]
        // Datasets made here (the first checkpoint of a slot) get their scales in one write (see `populate`).
        var scales = DimensionScaleAttachments()
        for (name, values) in s.buffers.sorted(by: { $0.key < $1.key }) {
            try store(slot, name, values, scales: &scales)
            if checkpointWrites == killInCheckpoint && s.generation > 0 { kill(getpid(), SIGKILL) }
        }
        try store(slot, "rng_dropout", s.rngDropout.map { Int64(bitPattern: $0) }, scales: &scales)
        try store(slot, "rng_shuffle", s.rngShuffle.map { Int64(bitPattern: $0) }, scales: &scales)
        if s.batchOrder != slotBatchOrder[slot] || slotSets[slot]["batch_order"] == nil {
            try store(slot, "batch_order", s.batchOrder.map(Int64.init), scales: &scales)
            slotBatchOrder[slot] = s.batchOrder
        }
        try scales.write()
        // The commit record.
        try g.setAttribute("kind", s.kind)
        try g.setAttribute("step", s.step)
        try g.setAttribute("optimizer_steps", s.optimizerSteps)
        try g.setAttribute("batch_cursor", s.batchCursor)
        try g.setAttribute("generation", s.generation)
        try g.setAttribute("checksum", OptimizerCheckpoint.checksum(s))
    }

    /// After a successful flush: the checkpoint just written is the one to keep.
    private func committed() {
        if let pendingSlot { committedSlot = pendingSlot }
        pendingSlot = nil
        durableSnapshots = snapshotCount
        durableIterations = iterationCount
    }

    private func store(_ slot: Int, _ name: String, _ values: [Double],
                       scales: inout DimensionScaleAttachments) throws {
        if let ds = slotSets[slot][name], ds.shape == [values.count] { try ds.write(values); return }
        let g = slotGroups[slot]
        try Self.overwrite(g, name, values, scales: &scales)
        slotSets[slot][name] = try g.openDataset(name)
    }

    private func store(_ slot: Int, _ name: String, _ values: [Int64],
                       scales: inout DimensionScaleAttachments) throws {
        if let ds = slotSets[slot][name], ds.shape == [values.count] { try ds.write(values); return }
        let g = slotGroups[slot]
        try Self.overwrite(g, name, values, scales: &scales)
        slotSets[slot][name] = try g.openDataset(name)
    }

    private static func overwrite(_ g: H5Group, _ name: String, _ values: [Double],
                                  scales: inout DimensionScaleAttachments) throws {
        if g.contains(name) {
            let ds = try g.openDataset(name)
            if ds.shape == [values.count] { try ds.write(values); return }
            try g.remove(name)
        }
        try attachOptimizerIndex(g, to: try g.write(name, values), name: name, count: values.count, scales: &scales)
    }

    private static func overwrite(_ g: H5Group, _ name: String, _ values: [Int64],
                                  scales: inout DimensionScaleAttachments) throws {
        if g.contains(name) {
            let ds = try g.openDataset(name)
            if ds.shape == [values.count] { try ds.write(values); return }
            try g.remove(name)
        }
        try attachOptimizerIndex(g, to: try g.write(name, values), name: name, count: values.count, scales: &scales)
    }

    /// Gives a new `/optimizer` dataset its dimension scale (netCDF readers otherwise see `phony_dim`s): the state
    /// buffers run over `parameter`, the generator states over `rng_word`, the batch order over `batch_position`.
    private static func attachOptimizerIndex(_ g: H5Group, to ds: H5Dataset, name: String, count: Int,
                                             scales: inout DimensionScaleAttachments) throws {
        let dim = RunFileFormat.optimizerDimension(of: name)
        let scale: H5Dataset
        if g.isDataset(dim) { scale = try g.openDataset(dim) } else {
            scale = try g.write(dim, (0..<count).map(Int64.init))
            try scale.makeDimensionScale(dim)
        }
        guard scale.shape == [count] else { return }  // sizes are fixed within a run; never reached in practice
        attach(scale, to: ds, dimension: 0, in: &scales)
    }

    /// Attaches a dimension scale and labels the dimension with the scale's name (h5py's `dims[i].label`).
    private static func attach(_ scale: H5Dataset, to ds: H5Dataset, dimension: Int) throws {
        try ds.attach(scale: scale, toDimension: dimension)
        try ds.setDimensionLabel(Self.dimensionLabel(scale), forDimension: dimension)
    }

    /// `attach`, noted in `scales` to be written with the others.
    private static func attach(_ scale: H5Dataset, to ds: H5Dataset, dimension: Int,
                               in scales: inout DimensionScaleAttachments) {
        scales.attach(scale, to: ds, dimension: dimension, label: Self.dimensionLabel(scale))
    }

    private static func dimensionLabel(_ scale: H5Dataset) -> String {
        String(scale.name.split(separator: "/").last ?? "")
    }

    private static func makeIndex(_ g: H5Group, _ name: String, chunk: Int = 256) throws -> H5Dataset {
        let ds = try g.createDataset(name, type: .int64, shape: [0], maxShape: [nil], chunk: [chunk])
        try ds.makeDimensionScale(name)
        return ds
    }

    private static func writeData(_ d: Dataset, into g: H5Group, scales: inout DimensionScaleAttachments) throws {
        let sample = try g.write(RunFileFormat.sampleDim, (0..<d.n).map(Int64.init))
        try sample.makeDimensionScale(RunFileFormat.sampleDim)
        let input = try g.write(RunFileFormat.inputDim, (0..<d.inputDim).map { "x\($0 + 1)" })
        try input.makeDimensionScale(RunFileFormat.inputDim)
        let output = try g.write(RunFileFormat.outputDim,
                                 (0..<d.outputDim).map { "y\($0 + 1)" })
        try output.makeDimensionScale(RunFileFormat.outputDim)
        let x: H5Dataset
        if d.x.count >= Self.compressedDataValues {
            // An image data set would otherwise cost every run file its full float64 size (Fashion-MNIST: 376 MB);
            // deflated in ~1 MiB row chunks it is a fraction of that, readable by any HDF5 reader.
            let rows = max(1, min(d.n, (1 << 17) / max(1, d.inputDim)))
            x = try g.createDataset("x", type: .float64, shape: [d.n, d.inputDim], chunk: [rows, d.inputDim], deflate: 1)
            try x.write(d.x)
        } else {
            x = try g.write("x", d.x, shape: [d.n, d.inputDim])
        }
        Self.attach(sample, to: x, dimension: 0, in: &scales)
        Self.attach(input, to: x, dimension: 1, in: &scales)
        let y = try g.write("y", d.y, shape: [d.n, d.outputDim])
        Self.attach(sample, to: y, dimension: 0, in: &scales)
        Self.attach(output, to: y, dimension: 1, in: &scales)
        if let provenance = d.provenance { try g.setAttribute("provenance", provenance) }
    }
}

extension RunWriter {
    /// `train_accuracy` and `test_accuracy` of classification runs: created at the first append when its records
    /// carry a training accuracy (so they hold every snapshot), appended whenever they exist (a resumed file
    /// opens them), absent otherwise.
    fileprivate func appendAccuracy(_ records: [SnapshotRecord], rows k: Int) throws {
        if snapshotSets["train_accuracy"] == nil {
            guard snapshotCount == 0, records.contains(where: { !$0.trainAccuracy.isNaN }) else { return }
            for name in RunFileFormat.accuracyVariables {
                let ds = try root.createDataset(name, type: .float64, shape: [0], maxShape: [nil], chunk: [256])
                // The snapshot dimension's scale: `/step`, or `/snapshot` in a file of format 1.0/1.1.
                let step = try root.openDataset(RunFileFormat.snapshotDim)
                try Self.attach(step.isDimensionScale ? step : snapshotIndex, to: ds, dimension: 0)
                snapshotSets[name] = ds
            }
        }
        try snapshotSets["train_accuracy"]!.append(records.map(\.trainAccuracy), rows: k)
        try snapshotSets["test_accuracy"]!.append(records.map(\.testAccuracy), rows: k)
    }
}
