import LinearAlgebra
import Model
import RunFormat

/// Snapshot and checkpoint policy: when a snapshot is taken, which snapshots carry the optimizer state, and the
/// writer thread that puts them in the run file.
extension Trainer {
    /// With full batch and no dropout the loss of the next update's forward pass IS the training loss of a due
    /// snapshot (same parameters, same data, no random draws), so the snapshot waits for that pass instead of
    /// paying for its own. Otherwise it is written at once (its generator states must not move first).
    var sharesForwardPass: Bool {
        config.batchSize == nil && config.architecture.dropout.allSatisfy { $0 == 0 }
    }

    /// Takes the snapshot of the current step now, or leaves it to the next forward pass (`sharesForwardPass`).
    func snapshotNowOrWithNextPass(wall: Double) throws {
        if sharesForwardPass { snapshotWaiting = true } else { try snapshot(wall: wall) }
    }

    /// The snapshot left to this forward pass, with `trainLoss` as its training loss.
    func takeWaitingSnapshot(trainLoss: Double) throws {
        guard snapshotWaiting else { return }
        try snapshot(wall: wallTime, trainLoss: trainLoss)
        snapshotWaiting = false
    }

    /// The snapshot of the step just reached, when the schedule has one there.
    func snapshotIfDue() throws {
        guard nextSnapshot < snapshotSteps.count && snapshotSteps[nextSnapshot] == step else { return }
        try snapshotNowOrWithNextPass(wall: wallTime)
        nextSnapshot += 1
    }

    /// The state the loop stopped at, in the file as the last snapshot with the optimizer state, and every queued
    /// snapshot flushed. When the last snapshot taken is of this step already, it is only marked diverged (if it
    /// did) and given the optimizer state (if it lacked it): no update came after it.
    func finalSnapshot(wall: Double, diverged: Bool) throws {
        if lastWrittenStep != step {
            try snapshot(wall: wall, diverged: diverged, checkpoint: true)
            try finishPipeline()
            return
        }
        try finishPipeline()
        if diverged { try writer?.markLastSnapshotDiverged() }
        if let writer, lastStateStep != step {
            var state = OptimizerSnapshot(kind: config.optimizer.kind.rawValue, step: 0, optimizerSteps: 0,
                                          buffers: [:], rngDropout: [], rngShuffle: [], batchOrder: [],
                                          batchCursor: 0)
            fillOptimizerState(&state)
            try writer.setOptimizerState(state)
            lastStateStep = step
        }
    }

    /// Whether a snapshot taken at `wall` carries the optimizer state (is a checkpoint, from which a resume
    /// continues): the first and the last snapshot always do; with `synchronousSnapshots`, a `checkpointInterval`
    /// ≤ 0 or a state of at most `smallStateBytes` every one does; else one at most every `checkpointInterval`
    /// seconds of training. The state is as large as the parameters times the optimizer's buffers (Adam: 2), so
    /// copying and writing it at every snapshot of a large network costs more than the snapshot itself; a run
    /// killed outright is resumed from its last checkpoint and computes the later snapshots again, bit for bit.
    func isCheckpoint(wall: Double, forced: Bool) -> Bool {
        forced || synchronousSnapshots || checkpointInterval <= 0
            || optimizer.stateBufferCount * optimizer.parameterCount * MemoryLayout<Double>.size <= smallStateBytes
            || wall - lastCheckpointWall >= checkpointInterval
    }

    /// The default of `smallStateBytes`: an optimizer state this small (bytes) costs the trainer less than a
    /// microsecond to copy and the writer stores only a batch's last one, so small networks resume from their very
    /// last flushed snapshot.
    public static let defaultSmallStateBytes = 1 << 20

    /// The optimizer's and generators' state now, into `state`'s reused buffers.
    func fillOptimizerState(_ state: inout OptimizerSnapshot) {
        optimizer.copyBuffers(into: &state.buffers)
        state.step = step
        state.optimizerSteps = optimizer.stepCount
        state.rngDropout = dropoutRNG.state
        state.rngShuffle = shuffleRNG.state
        state.batchOrder = order
        state.batchCursor = cursor
    }

    /// One snapshot of the current step: its losses into `history` and, with a file, the parameters, the step
    /// losses since the last one and (a checkpoint) the optimizer state into a slot for the writer thread.
    func snapshot(wall: Double, diverged: Bool = false, trainLoss known: Double? = nil,
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
        let checkpoint = isCheckpoint(wall: wall, forced: force)
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
                                 testAccuracy: testAccuracy, maxDelay: snapshotMaxDelay,
                                 queueBytes: snapshotQueueBytes)
        pipeline = p
        return p
    }

    /// Waits until every snapshot is in the file, stops the writer thread and completes `history`.
    func finishPipeline() throws {
        guard let pipeline else { return }
        defer { pipeline.close(); self.pipeline = nil }
        for (index, loss) in try pipeline.drain() { history[index].testLoss = loss }
    }
}
