import Model
import RunFormat

/// Continuing a run file: from its newest checkpoint that a snapshot in the file backs, bit for bit.
extension Trainer {
    /// Continues the run in `path` from its last checkpoint with the saved optimizer and generator states.
    /// `steps` replaces the configured total when given. A file in HDF5's latest format (every run condense
    /// writes) is continued live (SWMR); one of the older plain format plainly, or refused with `live`.
    public convenience init(resuming path: String, steps: Int? = nil, live: Bool = false, threads: Int = 1) throws {
        // Whatever a killed writer left (a live file still marked open for writing) is opened as it can be.
        let reader = try RunReader.recovering(path: path)
        guard let json = reader.configJSON else {
            throw TrainingError.run("\(path): has no condense configuration, so it cannot be resumed (written by another tool?)")
        }
        var config = try TrainingConfig.fromJSON(json)
        if let steps { config.steps = steps }
        try config.validate()
        let count = reader.snapshotCount
        guard count > 0 else { throw TrainingError.run("\(path): holds no snapshot to resume from; start it again") }
        let (state, resumeIndex) = try Self.newestUsableCheckpoint(reader, snapshots: count, path: path)
        let stepsDone = state.step
        guard config.steps > stepsDone else {
            throw TrainingError.run("\(path): already at step \(stepsDone) of \(config.steps); pass --steps with a larger total to continue")
        }
        try ResourceEstimate.checkDisk(config, path: path,
                                       snapshots: max(0, config.snapshots.countBound(total: config.steps) - resumeIndex - 1),
                                       steps: config.steps - stepsDone)
        guard let train = try reader.data("train") else { throw TrainingError.run("\(path): has no training data") }
        let test = try reader.data("test")
        try Self.checkShapes(config.architecture, train, test)
        try ResourceEstimate.check(config, trainRows: train.n, testRows: test?.n ?? 0)
        let parameters = Parameters(architecture: config.architecture)
        for (l, _) in reader.layers.enumerated() {
            let values = try reader.weights(layer: l, snapshot: resumeIndex)
            let block = parameters.block(layer: l)
            guard values.count == block.count else {
                throw TrainingError.run("\(path): weights of \(reader.layers[l].name) do not fit the stored configuration")
            }
            for i in 0..<values.count { block[i] = values[i] }
        }
        let walls = try reader.snapshotVariable("wall_time") ?? []
        let wall = resumeIndex < walls.count ? walls[resumeIndex] : 0
        try reader.close()
        let network = try Network(architecture: config.architecture)
        let writer = try RunWriter.reopen(path: path, requireLive: live)
        try writer.keepCheckpoint(generation: state.generation)
        guard writer.iterationCount >= stepsDone else {
            try? writer.close()
            throw TrainingError.run("\(path): holds \(writer.iterationCount) per-step losses but resuming at step \(stepsDone) needs \(stepsDone)")
        }
        // Snapshots and per-step losses a writer killed outright appended after the checkpoint are cut off here
        // and computed again, bit for bit.
        if resumeIndex < count - 1 || writer.iterationCount > stepsDone {
            try writer.truncate(snapshots: resumeIndex + 1, iterations: stepsDone)
        }
        try writer.setConfiguration(try config.jsonString(like: json))
        try self.init(config: config, path: path, network: network, parameters: parameters, train: train,
                      test: test, writer: writer, resume: state, startStep: stepsDone, wallOffset: wall,
                      threads: threads)
        try writer.setStatus(.running)
    }

    /// Puts the saved optimizer buffers, generator states and batch order back (the last step of the designated
    /// initializer).
    func restore(_ s: OptimizerSnapshot) throws {
        do { try optimizer.restoreState(s.buffers.merging(["step": [Double(s.optimizerSteps)]]) { a, _ in a }) }
        catch { throw TrainingError.run("\(path): saved optimizer state does not fit this configuration (\(error))") }
        if !s.rngDropout.isEmpty { dropoutRNG.state = s.rngDropout }
        if !s.rngShuffle.isEmpty { shuffleRNG.state = s.rngShuffle }
        if s.batchOrder.count == train.n { order = s.batchOrder; cursor = s.batchCursor }
    }

    /// The newest complete checkpoint whose snapshot is in the file and finite, with that snapshot's index: a torn
    /// checkpoint (killed in the middle of writing it) is not offered, and one whose snapshot a kill or a full
    /// disk left incomplete is passed over for the older one.
    private static func newestUsableCheckpoint(_ reader: RunReader, snapshots count: Int, path: String) throws
        -> (state: OptimizerSnapshot, index: Int) {
        let checkpoints = try reader.optimizerCheckpoints()
        guard !checkpoints.isEmpty else {
            throw TrainingError.run("\(path): has no complete optimizer state to resume from")
        }
        let steps = try reader.steps()
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
            return (candidate, index)
        }
        throw TrainingError.run("\(path): \(refusal)")
    }
}
