import Foundation
import LinearAlgebra
import Model
import RunFormat

/// The training loop. `run()` below reads top to bottom as a list of phases, one comment each; the rest has a file
/// of its own:
///
/// | file | holds |
/// |---|---|
/// | `Trainer+NewRun.swift` | a new run (`init(config:path:…)`) and a run without a file (`init(inMemory:)`) |
/// | `Trainer+Resume.swift` | `init(resuming:)`: continuing a run file from its newest usable checkpoint |
/// | `Trainer+Batches.swift` | the next batch, the losses and accuracies of whole data sets |
/// | `Trainer+Snapshots.swift` | when a snapshot is taken, which snapshots carry the optimizer state, the writer thread |
///
/// Every snapshot goes to the run file with its parameters (on a writer thread, `SnapshotPipeline`), and the
/// checkpoints among them with the optimizer and generator states, so a run can be resumed from its last
/// checkpoint; one stopped by a signal it can catch loses at most the work since its last snapshot, and one
/// killed outright at most the snapshots not yet flushed as well.
public final class Trainer {
    public let config: TrainingConfig
    public let path: String

    // MARK: - Settings of the process that trains (none changes a bit of the run)

    /// Whether each snapshot is in the file, as a checkpoint, before training goes on (`--sync-snapshots`); by
    /// default a writer thread writes them while training continues (`SnapshotPipeline`).
    public var synchronousSnapshots = false
    /// Seconds of training between two checkpoints (`isCheckpoint`, `Trainer+Snapshots.swift`).
    public var checkpointInterval: Double = 1
    /// An optimizer state of at most this many bytes goes with every snapshot, whatever `checkpointInterval` says
    /// (`isCheckpoint`). The crash tests lower it, so that a small network takes the path of a large one.
    public var smallStateBytes = Trainer.defaultSmallStateBytes
    /// The longest a snapshot waits for the writer thread to start a batch (seconds); 0 writes each at once.
    public var snapshotMaxDelay = SnapshotPipeline.defaultMaxDelay
    /// The bytes of snapshots that may wait for the writer thread (`SnapshotPipeline.slotCount`); a seed batch
    /// divides the default among its networks.
    var snapshotQueueBytes = SnapshotPipeline.queueBytes
    /// Interrupt check, polled once per step (the CLI wires it to SIGINT and SIGTERM).
    public var shouldStop: () -> Bool = { false }
    /// Called about every `progressInterval` seconds of training.
    public var onProgress: ((TrainingProgress) -> Void)?
    /// The crash tests' faults (none unless the caller sets them).
    public var faultInjection = FaultInjection()

    // MARK: - The loop

    /// Trains until the configured step count, the loss threshold, divergence or an interrupt.
    public func run() throws -> TrainingSummary {
        do { return try loop() } catch {
            abandon(after: error)
            throw error
        }
    }

    private func loop() throws -> TrainingSummary {
        // Start the clock; step 0's snapshot, unless a resumed file already holds it.
        try begin()
        var outcome = (status: RunStatus.completed, message: "")
        while step < config.steps {
            if let stop = try advance() { outcome = stop; break }
        }
        return try finish(outcome)
    }

    /// One pass of the loop (`SeedBatch` calls it for many trainers in turn): nil to go on, or why the run stops here.
    func advance() throws -> (status: RunStatus, message: String)? {
        // Stop when asked (SIGINT, SIGTERM, a sweep runner gone); the final snapshot follows below.
        if shouldStop() { return (.interrupted, "interrupted at step \(step)") }
        // Take a batch: the whole training set, or the next slice of a shuffled epoch.
        let (y, n) = nextBatch()
        // Forward pass, loss and backward pass (dropout draws from its own stream).
        let loss = lossAndGradient(y, n)
        // A snapshot that waited for this pass takes its training loss from it.
        try takeWaitingSnapshot(trainLoss: loss)
        // Stop on a non-finite loss (the final snapshot is marked diverged) or at the loss threshold.
        if let stop = stopReason(loss: loss) { return stop }
        // Update the parameters at this step's learning rate; the gradient is left at +0.
        update(loss: loss, rows: n)
        // Snapshot when the schedule says so.
        try snapshotIfDue()
        // The crash tests' kill, then progress for whoever shows it.
        if step == faultInjection.killAfterStep { kill(getpid(), SIGKILL) }
        reportProgress(loss: loss)
        return nil
    }

    /// The end of a run: the final state always lands in the file (marked when it diverged), then the run's status.
    func finish(_ outcome: (status: RunStatus, message: String)) throws -> TrainingSummary {
        let wall = wallTime
        try finalSnapshot(wall: wall, diverged: outcome.status == .diverged)
        try writer?.setStatus(outcome.status, message: outcome.message)
        let (trainLoss, testLoss) = evaluateLosses()
        try writer?.close()
        return TrainingSummary(path: path, status: outcome.status, message: outcome.message, steps: step,
                               snapshots: writer?.snapshotCount ?? history.count, trainLoss: trainLoss,
                               testLoss: testLoss, wallTime: wall,
                               stepsPerSecond: Double(step - loopStartStep) / max(wall - wallOffset, 1e-9))
    }

    /// After an error: the writer thread stopped and the file marked failed with the error's text.
    func abandon(after error: Error) {
        pipeline?.close()
        pipeline = nil
        try? writer?.setStatus(.failed, message: "\(error)")
    }

    // MARK: - The phases

    func begin() throws {
        writer?.killInCheckpoint = faultInjection.killInCheckpoint
        loopStart = ContinuousClock.now
        loopStartStep = step
        lastReport = 0
        nextSnapshot = snapshotStep(after: step)
        snapshotWaiting = false
        if step == 0 && lastWrittenStep < 0 { try snapshotNowOrWithNextPass(wall: wallOffset) }
    }

    private func lossAndGradient(_ y: [Double], _ n: Int) -> Double {
        y.withUnsafeBufferPointer { yp in
            network.lossAndGradient(stagedRows: n, y: yp, loss: config.loss, parameters: parameters,
                                    gradient: gradient, workspace: batchWorkspace, training: true,
                                    rng: &dropoutRNG, gradientIsZero: true)
        }
    }

    private func stopReason(loss: Double) -> (status: RunStatus, message: String)? {
        guard loss.isFinite else { return (.diverged, "non-finite loss at step \(step)") }
        if let threshold = config.stopLoss, loss <= threshold {
            return (.stopped, "loss \(loss) ≤ \(threshold) at step \(step)")
        }
        return nil
    }

    private func update(loss: Double, rows: Int) {
        stepLosses.append(loss)
        let rate = config.learningRateSchedule.rate(base: config.optimizer.lr, step: step)
        // Leaves the gradient at +0 for the next backward pass (see `Network.backward`'s `gradientIsZero`).
        optimizer.step(parameters: parameters.values, gradient: gradient.values, learningRate: rate,
                       zeroingGradient: true)
        step += 1
        samplesSeen += Double(rows)
    }

    private func reportProgress(loss: Double) {
        guard let onProgress else { return }
        let t = elapsed
        guard t - lastReport >= Self.progressInterval else { return }
        lastReport = t
        onProgress(TrainingProgress(step: step, totalSteps: config.steps, loss: loss,
                                    stepsPerSecond: Double(step - loopStartStep) / max(t, 1e-9)))
    }

    static let progressInterval = 0.2

    /// Seconds since this process's loop began, and the run's wall time (a resumed run's earlier time included).
    var elapsed: Double {
        let d = ContinuousClock.now - loopStart
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    var wallTime: Double { wallOffset + elapsed }

    // MARK: - State

    // What this run trains, on what.
    let network: Network
    let parameters: Parameters
    /// ∂loss/∂θ of the current step; +0 between steps (the optimizer clears it as it reads it).
    let gradient: Parameters
    let optimizer: Optimizer
    let train: Dataset
    let test: Dataset?
    let batchSize: Int
    let batchWorkspace: Workspace
    let trainWorkspace: Workspace
    let testWorkspace: Workspace?
    /// The threads that share each step (nil: training runs on the calling thread alone).
    let team: WorkerTeam?

    // Where it is: what a checkpoint saves besides the optimizer's buffers, and the loop's clock.
    var batchY: [Double]
    var dropoutRNG: Xoshiro256
    var shuffleRNG: Xoshiro256
    var order: [Int]
    var cursor: Int
    var step: Int
    var samplesSeen: Double
    /// Wall time of the run before this process took it over (a resumed run's).
    let wallOffset: Double
    var loopStart = ContinuousClock.now
    var loopStartStep = 0
    /// Seconds into the loop of the last progress report.
    var lastReport = 0.0

    // Snapshots (`Trainer+Snapshots.swift`).
    /// The snapshot steps of a `log` or `list` schedule (as long as the user wrote it); nil for `every`, whose
    /// next step is computed as training goes (its list grows with the steps: 10⁷ entries for 10⁸ steps).
    let snapshotStepList: [Int]?
    /// The step of the next snapshot due, nil when none is left.
    var nextSnapshot: Int? = 0
    /// A due snapshot waiting for the next forward pass's loss (`sharesForwardPass`).
    var snapshotWaiting = false
    /// The losses of the updates since the last snapshot, handed to the writer with the next one.
    var stepLosses: [Double]
    var lastWrittenStep = -1
    /// The step of the last snapshot written with the optimizer state (a checkpoint), and when it was taken.
    var lastStateStep = -1
    var lastCheckpointWall = -Double.infinity
    /// nil for an in-memory trainer (`init(inMemory:)`): snapshots then only append to `history`.
    let writer: RunWriter?
    /// The writer thread of a run with a file, started at the first snapshot (when BLAS's thread count is set).
    var pipeline: SnapshotPipeline?
    /// The train and test loss at every snapshot step, in order (kept by every trainer).
    public internal(set) var history: [LossRecord] = []

    /// Sets up the loop's state for a run at `startStep` (0, or a resume's checkpoint with its saved state):
    /// workspaces, the optimizer, the generators, the batch order. The public initializers load or make the data,
    /// network and parameters first (`Trainer+NewRun.swift`, `Trainer+Resume.swift`).
    init(config: TrainingConfig, path: String, network: Network, parameters: Parameters, train: Dataset,
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
        let team = Self.team(config.architecture, batchSize: b, rows: train.n, parameters: parameters.count,
                             threads: threads)
        self.team = team
        batchWorkspace = network.makeWorkspace(batchSize: b, team: team)
        trainWorkspace = b == train.n ? batchWorkspace : network.makeWorkspace(batchSize: train.n, team: team)
        testWorkspace = test.map { network.makeWorkspace(batchSize: $0.n, team: team) }
        batchY = [Double](repeating: 0, count: b * train.outputDim)
        optimizer = Optimizer(config: config.optimizer, parameterCount: parameters.count, team: team)
        dropoutRNG = Xoshiro256(seed: config.seed, stream: Self.dropoutStream)
        shuffleRNG = Xoshiro256(seed: config.seed, stream: Self.shuffleStream)
        order = Array(0..<train.n)
        cursor = train.n     // forces a shuffle before the first mini-batch
        step = startStep
        samplesSeen = Self.samplesSeen(steps: startStep, rows: train.n, batchSize: b)
        self.wallOffset = wallOffset
        snapshotStepList = config.snapshots.isList
            ? config.snapshots.steps(total: config.steps, stepsPerEpoch: config.stepsPerEpoch(rows: train.n)) : nil
        lastWrittenStep = resume == nil ? -1 : startStep
        lastStateStep = lastWrittenStep
        stepLosses = []
        // The losses wait here only until the next snapshot hands them to the writer.
        stepLosses.reserveCapacity(min(config.steps - startStep + 1, 1 << 16))
        if let resume { try restore(resume) }
    }
}
