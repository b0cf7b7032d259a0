import Foundation
import HDF5
import LinearAlgebra
import Model
import RunFormat

/// What a finished (or stopped) training run reports.
public struct TrainingSummary: Sendable {
    public var path: String
    public var status: RunStatus
    public var message: String
    public var steps: Int
    public var snapshots: Int
    public var trainLoss: Double
    public var testLoss: Double
    public var wallTime: Double
    public var stepsPerSecond: Double
}

/// The losses of one snapshot, as an in-memory trainer keeps them (`Trainer.history`).
public struct LossRecord: Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    /// NaN without a test set.
    public var testLoss: Double
}

/// Progress as the trainer reports it to whoever shows it.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var loss: Double
    public var stepsPerSecond: Double
}

/// The training loop, readable top to bottom: set up once (data, network, parameters, optimizer, workspaces),
/// then for each step take a batch, compute loss and gradient, check for divergence, update, and snapshot on
/// schedule. Every snapshot goes to the run file with the optimizer state (on a writer thread, `SnapshotPipeline`),
/// so a run can be resumed from its last one; one stopped by a signal it can catch loses at most the work since
/// its last snapshot, and one killed outright at most the snapshots not yet flushed as well.
public final class Trainer {
    public let config: TrainingConfig
    public let path: String

    private let network: Network
    private let parameters: Parameters
    /// ∂loss/∂θ of the current step; +0 between steps (the optimizer clears it as it reads it).
    private let gradient: Parameters
    private let optimizer: Optimizer
    private let train: Dataset
    private let test: Dataset?
    private let batchSize: Int
    private let batchWorkspace: Workspace
    private let trainWorkspace: Workspace
    private let testWorkspace: Workspace?
    /// The threads that share each step (nil: training runs on the calling thread alone).
    private let team: WorkerTeam?
    private var batchX: [Double]
    private var batchY: [Double]
    private var dropoutRNG: Xoshiro256
    private var shuffleRNG: Xoshiro256
    private var order: [Int]
    private var cursor: Int
    private var step: Int
    private var samplesSeen: Double
    private var wallOffset: Double
    private let snapshotSteps: [Int]
    private var stepLosses: [Double]
    /// nil for an in-memory trainer (`init(inMemory:)`): snapshots then only append to `history`.
    private let writer: RunWriter?
    /// The train and test loss at every snapshot step, in order (kept by every trainer).
    public private(set) var history: [LossRecord] = []

    /// Whether each snapshot is in the file before training goes on (`--sync-snapshots`). By default a writer
    /// thread appends and flushes snapshots while training continues (`SnapshotPipeline`): every stop but a
    /// SIGKILL drains it first, and a SIGKILL loses at most the few snapshots still queued.
    public var synchronousSnapshots = false

    /// Seconds of training between two snapshots that carry the optimizer state (checkpoints, from which a resume
    /// continues); the first and the last snapshot always do, and with `synchronousSnapshots`, an interval ≤ 0 or
    /// a state of at most `smallStateBytes` every one does. The state is as large as the parameters times the
    /// optimizer's buffers (Adam: 2), so copying and writing it at every snapshot of a large network costs more
    /// than the snapshot itself; a run killed outright is resumed from its last checkpoint and computes the later
    /// snapshots again, bit for bit.
    public var checkpointInterval: Double = 1

    /// An optimizer state this small (bytes) goes with every snapshot whatever `checkpointInterval` says: copying
    /// it costs the trainer less than a microsecond and the writer stores only a batch's last one, so small
    /// networks resume from their very last flushed snapshot.
    public static let smallStateBytes = 1 << 20

    /// Interrupt check (polled once per step); the CLI wires it to SIGINT/SIGTERM.
    public var shouldStop: () -> Bool = { false }
    /// Called about every 0.2 s of training.
    public var onProgress: ((TrainingProgress) -> Void)?

    static let initStream: UInt64 = 1
    static let shuffleStream: UInt64 = 3
    static let dropoutStream: UInt64 = 4

    /// Starts a new run written to `path`; `live` writes it so that readers can follow it while it trains (SWMR).
    /// With `threads` > 1 the large layers' products, activations and the optimizer's update are shared by a
    /// `WorkerTeam` of that many threads, each calling BLAS on its own block (so BLAS itself should run on one
    /// thread): the parameters are the same bits for any thread count.
    public convenience init(config: TrainingConfig, path: String, commandLine: String, overwrite: Bool = false,
                            live: Bool = false, threads: Int = 1) throws {
        let start = try Self.fresh(config)
        try ResourceEstimate.checkDisk(start.config, path: path,
                                       snapshots: start.config.snapshots.countBound(total: start.config.steps),
                                       steps: start.config.steps, replacing: overwrite)
        let writer = try Self.createWriter(config: start.config, network: start.network, path: path,
                                           commandLine: commandLine, overwrite: overwrite, train: start.train,
                                           test: start.test, live: live)
        try self.init(config: start.config, path: path, network: start.network, parameters: start.parameters,
                      train: start.train, test: start.test, writer: writer, resume: nil, startStep: 0, wallOffset: 0,
                      threads: threads)
    }

    /// A trainer that writes no file: the same data, initialization and loop as a run, with the losses of each
    /// snapshot step (`config.snapshots`) kept in `history`. `path` is empty.
    public convenience init(inMemory config: TrainingConfig) throws {
        let start = try Self.fresh(config)
        try self.init(config: start.config, path: "", network: start.network, parameters: start.parameters,
                      train: start.train, test: start.test, writer: nil, resume: nil, startStep: 0, wallOffset: 0)
    }

    /// A new run's data, resolved configuration, network and initialized parameters.
    private static func fresh(_ config: TrainingConfig) throws
        -> (config: TrainingConfig, train: Dataset, test: Dataset?, network: Network, parameters: Parameters) {
        var config = config
        let (train, test) = try DataLoading.load(config.data, seed: config.seed, preprocessing: config.preprocessing)
        // A zero size means "as the data says" (the CLI leaves them to the data).
        if config.architecture.inputDim == 0 { config.architecture.inputDim = train.inputDim }
        if config.architecture.outputDim == 0 { config.architecture.outputDim = train.outputDim }
        try config.validate()
        try Self.checkShapes(config.architecture, train, test)
        try ResourceEstimate.check(config, trainRows: train.n, testRows: test?.n ?? 0)
        let parameters = Parameters(architecture: config.architecture)
        var initRNG = Xoshiro256(seed: config.seed, stream: Self.initStream)
        try InitScheme.initialize(parameters, hidden: config.hiddenInit, readout: config.readoutInit, rng: &initRNG)
        let network = try Network(architecture: config.architecture)
        return (config, train, test, network, parameters)
    }

    /// Continues the run in `path` from its last snapshot with the saved optimizer and generator states.
    /// `steps` replaces the configured total when given.
    public convenience init(resuming path: String, steps: Int? = nil, live: Bool = false, threads: Int = 1) throws {
        // A live run that was killed still carries its writer mark: read it as a follower.
        let writerState = RunReader.writerState(path: path)
        let reader: RunReader
        do {
            reader = try RunReader(path: path, following: writerState == .writingLive)
        } catch where writerState == .writingLive {
            // Killed after creating a live file but before its first snapshot switched it to SWMR: marked open for
            // writing, yet not for SWMR, so it cannot be followed. Clear the mark, as the resume would anyway.
            try H5File.open(path, writable: true, clearingWriterMark: true).close()
            reader = try RunReader(path: path)
        }
        guard let json = reader.configJSON else {
            throw TrainingError("\(path): has no condense configuration, so it cannot be resumed (written by another tool?)")
        }
        var config = try TrainingConfig.fromJSON(json)
        if let steps { config.steps = steps }
        try config.validate()
        let count = reader.snapshotCount
        guard count > 0 else { throw TrainingError("\(path): holds no snapshot to resume from; start it again") }
        // The newest complete checkpoint whose snapshot is in the file and finite: a torn checkpoint (killed in the
        // middle of writing it) is not offered, and one whose snapshot a kill or a full disk left incomplete is
        // passed over for the older one. A writer killed outright may also have appended snapshots after the
        // checkpoint: they are cut off below and computed again, bit for bit.
        let checkpoints = try reader.optimizerCheckpoints()
        guard !checkpoints.isEmpty else {
            throw TrainingError("\(path): has no complete optimizer state to resume from")
        }
        let steps = try reader.steps()
        var chosen: (state: OptimizerSnapshot, index: Int)?
        var refusal = ""
        for candidate in checkpoints {
            guard let index = steps.lastIndex(of: candidate.step) else {
                refusal = "optimizer state belongs to step \(candidate.step), which no snapshot holds (last snapshot: step \(steps[count - 1]))"
                continue
            }
            let finite = try reader.layers.indices.allSatisfy { try reader.weights(layer: $0, snapshot: index).allSatisfy(\.isFinite) }
            guard finite else {
                refusal = "parameters at the snapshot of step \(candidate.step) are not finite; cannot resume"
                continue
            }
            chosen = (candidate, index)
            break
        }
        guard let (state, resumeIndex) = chosen else { throw TrainingError("\(path): \(refusal)") }
        let stepsDone = state.step
        guard config.steps > stepsDone else {
            throw TrainingError("\(path): already at step \(stepsDone) of \(config.steps); pass --steps with a larger total to continue")
        }
        try ResourceEstimate.checkDisk(config, path: path,
                                       snapshots: max(0, config.snapshots.countBound(total: config.steps) - resumeIndex - 1),
                                       steps: config.steps - stepsDone)
        guard let trainData = try reader.data("train") else { throw TrainingError("\(path): has no training data") }
        let train = trainData
        let test = try reader.data("test")
        try Self.checkShapes(config.architecture, train, test)
        try ResourceEstimate.check(config, trainRows: train.n, testRows: test?.n ?? 0)
        let parameters = Parameters(architecture: config.architecture)
        for (l, _) in reader.layers.enumerated() {
            let values = try reader.weights(layer: l, snapshot: resumeIndex)
            let block = parameters.block(layer: l)
            guard values.count == block.count else {
                throw TrainingError("\(path): weights of \(reader.layers[l].name) do not fit the stored configuration")
            }
            for i in 0..<values.count { block[i] = values[i] }
        }
        let walls = try reader.snapshotVariable("wall_time") ?? []
        let wall = resumeIndex < walls.count ? walls[resumeIndex] : 0
        try reader.close()
        let network = try Network(architecture: config.architecture)
        let writer = try RunWriter.reopen(path: path, live: live)
        try writer.keepCheckpoint(generation: state.generation)
        guard writer.iterationCount >= stepsDone else {
            try? writer.close()
            throw TrainingError("\(path): holds \(writer.iterationCount) per-step losses but resuming at step \(stepsDone) needs \(stepsDone)")
        }
        if resumeIndex < count - 1 || writer.iterationCount > stepsDone {
            try writer.truncate(snapshots: resumeIndex + 1, iterations: stepsDone)
        }
        try writer.setConfiguration(try config.jsonString(like: json))
        try self.init(config: config, path: path, network: network, parameters: parameters, train: train,
                      test: test, writer: writer, resume: state, startStep: stepsDone, wallOffset: wall,
                      threads: threads)
        try writer.setStatus(.running)
    }

    private init(config: TrainingConfig, path: String, network: Network, parameters: Parameters, train: Dataset,
                 test: Dataset?, writer: RunWriter?, resume: OptimizerSnapshot?, startStep: Int,
                 wallOffset: Double, threads: Int = 1) throws {
        self.config = config
        self.path = path
        self.network = network
        self.parameters = parameters
        self.gradient = Parameters(architecture: config.architecture)
        self.train = train
        self.test = test
        self.writer = writer
        let b = min(config.batchSize ?? train.n, train.n)
        batchSize = b
        // A team only where training has work to share: a layer cut into blocks for the batches of the steps, or an
        // optimizer update long enough to split. Else (the papers' 5-50-1 networks) a second thread would only
        // wait between steps, and the writer thread, which evaluates the test losses beside training when there is
        // no team, could not: 5-50-1 with `every:10` snapshots and a 1000-point test set took ~2x as long on two
        // threads as on one.
        let shared = [b, train.n].contains { Workspace.sharesWork(config.architecture, rows: $0) }
            || parameters.count >= Optimizer.parallelThreshold
        let team = threads > 1 && shared ? WorkerTeam(size: threads) : nil
        self.team = team
        batchWorkspace = network.makeWorkspace(batchSize: b, team: team)
        trainWorkspace = b == train.n ? batchWorkspace : network.makeWorkspace(batchSize: train.n, team: team)
        testWorkspace = test.map { network.makeWorkspace(batchSize: $0.n, team: team) }
        batchX = [Double](repeating: 0, count: b * train.inputDim)
        batchY = [Double](repeating: 0, count: b * train.outputDim)
        optimizer = Optimizer(config: config.optimizer, parameterCount: parameters.count, team: team)
        dropoutRNG = Xoshiro256(seed: config.seed, stream: Self.dropoutStream)
        shuffleRNG = Xoshiro256(seed: config.seed, stream: Self.shuffleStream)
        order = Array(0..<train.n)
        cursor = train.n     // forces a shuffle before the first mini-batch
        step = startStep
        // Samples used by `startStep` updates: whole epochs of n, then full batches of the current one (an
        // epoch's last batch may be shorter, so step × batch / n is not it).
        let stepsPerEpoch = (train.n + b - 1) / b
        samplesSeen = Double(startStep / stepsPerEpoch) * Double(train.n)
            + Double(min((startStep % stepsPerEpoch) * b, train.n))
        self.wallOffset = wallOffset
        snapshotSteps = config.snapshots.steps(total: config.steps)
        lastWrittenStep = resume == nil ? -1 : startStep
        lastStateStep = lastWrittenStep
        stepLosses = []
        // The losses wait here only until the next snapshot hands them to the writer.
        stepLosses.reserveCapacity(min(config.steps - startStep + 1, 1 << 16))
        if let s = resume {
            do { try optimizer.restoreState(s.buffers.merging(["step": [Double(s.optimizerSteps)]]) { a, _ in a }) }
            catch { throw TrainingError("\(path): saved optimizer state does not fit this configuration (\(error))") }
            if !s.rngDropout.isEmpty { dropoutRNG.state = s.rngDropout }
            if !s.rngShuffle.isEmpty { shuffleRNG.state = s.rngShuffle }
            if s.batchOrder.count == train.n { order = s.batchOrder; cursor = s.batchCursor }
        }
    }

    // MARK: - The loop

    /// Trains until the configured step count, the loss threshold, divergence or an interrupt.
    public func run() throws -> TrainingSummary {
        do { return try loop() } catch {
            pipeline?.close()
            pipeline = nil
            try? writer?.setStatus(.failed, message: "\(error)")
            throw error
        }
    }

    /// Fault injection for the kill-and-resume tests: `CONDENSE_KILL_AFTER_STEP=k` sends SIGKILL to this process
    /// right after update k, exactly as an external `kill -9` would land between two snapshots.
    private let killAfterStep = ProcessInfo.processInfo.environment["CONDENSE_KILL_AFTER_STEP"].flatMap { Int($0) }

    private func loop() throws -> TrainingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let startStep = step
        var nextSnapshot = snapshotSteps.firstIndex { $0 > step } ?? snapshotSteps.count
        // With full batch and no dropout the loss of the next update's forward pass IS the training loss of the
        // snapshot (same parameters, same data, no random draws), so a due snapshot waits for that pass instead
        // of paying for its own. Otherwise it is written at once (its generator states must not move first).
        let fused = config.batchSize == nil && config.architecture.dropout.allSatisfy { $0 == 0 }
        var pending = false
        // Step 0's snapshot, unless a resumed file already holds it (a run killed before its second snapshot).
        if step == 0 && lastWrittenStep < 0 {
            if fused { pending = true } else { try snapshot(wall: wallOffset) }
        }
        var status = RunStatus.completed
        var message = ""
        var lastReport = 0.0

        while step < config.steps {
            if shouldStop() { status = .interrupted; message = "interrupted at step \(step)"; break }
            let (x, y, n) = nextBatch()
            let loss = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    network.lossAndGradient(x: xp, y: yp, n: n, loss: config.loss, parameters: parameters,
                                            gradient: gradient, workspace: batchWorkspace, training: true,
                                            rng: &dropoutRNG, gradientIsZero: true)
                }
            }
            if pending {
                try snapshot(wall: wallOffset + elapsed(), trainLoss: loss)
                pending = false
            }
            guard loss.isFinite else {
                status = .diverged
                message = "non-finite loss at step \(step)"
                break
            }
            if let threshold = config.stopLoss, loss <= threshold {
                status = .stopped
                message = "loss \(loss) ≤ \(threshold) at step \(step)"
                break
            }
            stepLosses.append(loss)
            let rate = config.learningRateSchedule.rate(base: config.optimizer.lr, step: step)
            // Leaves the gradient at +0 for the next backward pass (see `Network.backward`'s `gradientIsZero`).
            optimizer.step(parameters: parameters.values, gradient: gradient.values, learningRate: rate,
                           zeroingGradient: true)
            step += 1
            samplesSeen += Double(n)
            if nextSnapshot < snapshotSteps.count && snapshotSteps[nextSnapshot] == step {
                if fused { pending = true } else { try snapshot(wall: wallOffset + elapsed()) }
                nextSnapshot += 1
            }
            if step == killAfterStep { kill(getpid(), SIGKILL) }
            if let onProgress {
                let t = elapsed()
                if t - lastReport >= 0.2 {
                    lastReport = t
                    onProgress(TrainingProgress(step: step, totalSteps: config.steps, loss: loss,
                                                stepsPerSecond: Double(step - startStep) / max(t, 1e-9)))
                }
            }
        }
        let wall = wallOffset + elapsed()
        // The final state always lands in the file, marked when it diverged.
        if lastWrittenStep != step {
            try snapshot(wall: wall, diverged: status == .diverged, checkpoint: true)
            try finishPipeline()
        } else {
            try finishPipeline()
            if status == .diverged { try writer?.markLastSnapshotDiverged() }
            // No update since that snapshot, so the current state is its state.
            if let writer, lastStateStep != step {
                var state = OptimizerSnapshot(kind: config.optimizer.kind.rawValue, step: 0, optimizerSteps: 0,
                                              buffers: [:], rngDropout: [], rngShuffle: [], batchOrder: [],
                                              batchCursor: 0)
                fillOptimizerState(&state)
                try writer.setOptimizerState(state)
                lastStateStep = step
            }
        }
        try writer?.setStatus(status, message: message)
        let (trainLoss, testLoss) = evaluateLosses()
        try writer?.close()
        return TrainingSummary(path: path, status: status, message: message, steps: step,
                               snapshots: writer?.snapshotCount ?? history.count, trainLoss: trainLoss, testLoss: testLoss,
                               wallTime: wall, stepsPerSecond: Double(step - startStep) / max(wall - wallOffset, 1e-9))
    }

    // MARK: - Pieces

    private var lastWrittenStep = -1
    /// The step of the last snapshot written with the optimizer state (a checkpoint), and when it was taken.
    private var lastStateStep = -1
    private var lastCheckpointWall = -Double.infinity

    /// The next batch: the whole training set, or the next `batchSize` samples of the current shuffled epoch
    /// (a shorter last batch, as PyTorch's DataLoader without drop_last).
    private func nextBatch() -> ([Double], [Double], Int) {
        if batchSize == train.n && config.batchSize == nil { return (train.x, train.y, train.n) }
        if cursor >= train.n {
            // Fisher–Yates with the shuffle stream, once per epoch.
            for i in stride(from: train.n - 1, to: 0, by: -1) {
                let j = Int(shuffleRNG.nextUniform() * Double(i + 1))
                order.swapAt(i, j)
            }
            cursor = 0
        }
        let n = min(batchSize, train.n - cursor)
        let d = train.inputDim, k = train.outputDim
        for r in 0..<n {
            let src = order[cursor + r]
            for c in 0..<d { batchX[r * d + c] = train.x[src * d + c] }
            for c in 0..<k { batchY[r * k + c] = train.y[src * k + c] }
        }
        cursor += n
        return (batchX, batchY, n)
    }

    private func loss(_ d: Dataset, _ ws: Workspace) -> Double {
        d.x.withUnsafeBufferPointer { x in
            d.y.withUnsafeBufferPointer { y in
                network.loss(x: x, y: y, n: d.n, loss: config.loss, parameters: parameters, workspace: ws)
            }
        }
    }

    private func trainingLoss() -> Double { loss(train, trainWorkspace) }

    /// Whether snapshots record accuracies: a classification run (cross-entropy, or one-hot labels) with ≥ 2 outputs.
    private var classifies: Bool {
        config.architecture.outputDim >= 2 && (config.loss == .crossEntropy || config.preprocessing?.labels == .oneHot)
    }

    /// The share of `d` classified correctly at the current parameters (an inference pass of its own in `ws`).
    private func accuracy(_ d: Dataset, _ ws: Workspace) -> Double {
        Self.accuracy(network, d, parameters, ws)
    }

    static func accuracy(_ network: Network, _ d: Dataset, _ p: Parameters, _ ws: Workspace) -> Double {
        d.x.withUnsafeBufferPointer { x in
            d.y.withUnsafeBufferPointer { y in
                Accuracy.share(output: network.forward(x, n: d.n, parameters: p, workspace: ws), target: y, n: d.n,
                               outputDim: d.outputDim)
            }
        }
    }

    /// NaN without a test set.
    private func testSetLoss() -> Double {
        guard let test, let ws = testWorkspace else { return .nan }
        return loss(test, ws)
    }

    private func evaluateLosses(trainLoss known: Double? = nil) -> (Double, Double) {
        (known ?? trainingLoss(), testSetLoss())
    }

    /// The writer thread of a run with a file, started at the first snapshot (when BLAS's thread count is set).
    private var pipeline: SnapshotPipeline?

    /// The optimizer's and generators' state now, into `state`'s reused buffers.
    private func fillOptimizerState(_ state: inout OptimizerSnapshot) {
        optimizer.copyBuffers(into: &state.buffers)
        state.step = step
        state.optimizerSteps = optimizer.stepCount
        state.rngDropout = dropoutRNG.state
        state.rngShuffle = shuffleRNG.state
        state.batchOrder = order
        state.batchCursor = cursor
    }

    private func snapshot(wall: Double, diverged: Bool = false, trainLoss known: Double? = nil,
                          checkpoint force: Bool = false) throws {
        guard let writer else {
            let (trainLoss, testLoss) = evaluateLosses(trainLoss: known)
            history.append(LossRecord(step: step, trainLoss: trainLoss, testLoss: testLoss))
            stepLosses.removeAll(keepingCapacity: true)
            lastWrittenStep = step
            return
        }
        let pipeline = self.pipeline ?? startPipeline(writer)
        let slot = try pipeline.acquire()
        let trainLoss = known ?? trainingLoss()
        slot.needsTestLoss = test != nil && pipeline.computesTestLoss
        let testLoss = slot.needsTestLoss ? Double.nan : testSetLoss()
        slot.record = SnapshotRecord(
            step: step, epoch: samplesSeen / Double(train.n), wallTime: wall, trainLoss: trainLoss,
            testLoss: testLoss,
            learningRate: config.learningRateSchedule.rate(base: config.optimizer.lr, step: step),
            diverged: diverged)
        if classifies {
            slot.record.trainAccuracy = accuracy(train, trainWorkspace)
            if !slot.needsTestLoss, let test, let ws = testWorkspace { slot.record.testAccuracy = accuracy(test, ws) }
        }
        history.append(LossRecord(step: step, trainLoss: trainLoss, testLoss: testLoss))
        slot.historyIndex = history.count - 1
        if let team {
            team.copy(parameters.values.baseAddress!, to: slot.parameters.values.baseAddress!, count: parameters.count)
        } else {
            slot.parameters.assign(from: parameters)
        }
        let checkpoint = force || synchronousSnapshots || checkpointInterval <= 0
            || optimizer.stateBufferCount * optimizer.parameterCount * MemoryLayout<Double>.size <= Self.smallStateBytes
            || wall - lastCheckpointWall >= checkpointInterval
        slot.carriesOptimizerState = checkpoint
        if checkpoint {
            fillOptimizerState(&slot.optimizer)
            lastStateStep = step
            lastCheckpointWall = wall
        }
        slot.stepLosses.removeAll(keepingCapacity: true)
        slot.stepLosses.append(contentsOf: stepLosses)
        pipeline.submit(slot)
        if synchronousSnapshots {
            for (index, loss) in try pipeline.drain() { history[index].testLoss = loss }
        }
        stepLosses.removeAll(keepingCapacity: true)
        lastWrittenStep = step
    }

    /// Training on one thread, the writer thread also evaluates the test losses (on a core training leaves free);
    /// with a team the trainer does, with the team's help.
    private func startPipeline(_ writer: RunWriter) -> SnapshotPipeline {
        var testLoss: ((Parameters) -> Double)?
        if let test, let ws = testWorkspace, team == nil {
            let network = self.network, kind = config.loss
            testLoss = { p in
                test.x.withUnsafeBufferPointer { x in
                    test.y.withUnsafeBufferPointer { y in
                        network.loss(x: x, y: y, n: test.n, loss: kind, parameters: p, workspace: ws)
                    }
                }
            }
        }
        var testAccuracy: ((Parameters) -> Double)?
        if let test, let ws = testWorkspace, team == nil, classifies {
            let network = self.network
            testAccuracy = { p in Self.accuracy(network, test, p, ws) }
        }
        let p = SnapshotPipeline(writer: writer, architecture: config.architecture,
                                 optimizerKind: config.optimizer.kind.rawValue,
                                 optimizerBuffers: optimizer.stateBufferCount, testLoss: testLoss,
                                 testAccuracy: testAccuracy)
        pipeline = p
        return p
    }

    /// Waits until every snapshot is in the file, stops the writer thread and completes `history`.
    private func finishPipeline() throws {
        guard let pipeline else { return }
        defer { pipeline.close(); self.pipeline = nil }
        for (index, loss) in try pipeline.drain() { history[index].testLoss = loss }
    }

    private static func checkShapes(_ a: Architecture, _ train: Dataset, _ test: Dataset?) throws {
        guard train.n > 0 else { throw TrainingError("the training data is empty") }
        guard train.inputDim == a.inputDim else {
            throw TrainingError("the data has \(train.inputDim) input columns but the network expects \(a.inputDim)")
        }
        guard train.outputDim == a.outputDim else {
            throw TrainingError("the data has \(train.outputDim) target columns but the network has \(a.outputDim) outputs")
        }
        if let test, test.inputDim != train.inputDim || test.outputDim != train.outputDim {
            throw TrainingError("the test data has \(test.inputDim)+\(test.outputDim) columns, the training data \(train.inputDim)+\(train.outputDim)")
        }
    }

    private static func createWriter(config: TrainingConfig, network: Network, path: String, commandLine: String,
                                     overwrite: Bool, train: Dataset, test: Dataset?, live: Bool) throws -> RunWriter {
        let a = config.architecture
        var layers: [LayerDescription] = []
        var fanIn = a.inputDim
        for (l, width) in a.hiddenWidths.enumerated() {
            let act = network.activations[l]
            layers.append(LayerDescription(
                name: LayerDescription.hiddenName(l + 1), kind: .hidden, index: l + 1, fanIn: fanIn, width: width,
                hasBias: a.hiddenBias, activation: act.spec, multiplicity: act.multiplicity.p,
                residual: a.isResidual(hiddenLayer: l), dropout: a.dropout.isEmpty ? 0 : a.dropout[l]))
            fanIn = width
        }
        layers.append(LayerDescription(name: LayerDescription.readoutName, kind: .readout,
                                       index: a.hiddenWidths.count + 1, fanIn: fanIn, width: a.outputDim,
                                       hasBias: a.readoutBias, outputScale: a.outputScale))
        // A file that cannot be completed is removed by `RunWriter.create` itself, while it holds its lock.
        return try RunWriter.create(
            path: path, layers: layers, commandLine: commandLine, configJSON: try config.jsonString(),
            seed: config.seed, lossKind: config.loss.runFileName, train: train,
            test: test, overwrite: overwrite, compression: config.compression, live: live)
    }
}
