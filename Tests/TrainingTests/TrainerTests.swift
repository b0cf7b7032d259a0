import Foundation
import Model
import RunFormat
import XCTest
@testable import Training

/// The trainer in this process, without the binary: in-memory and file runs agree, a run is a function of its
/// configuration and seed (not of the thread count), and an interrupted or extended run resumes bit for bit.
/// (The tests that kill a trainer outright drive the binary: `CondenseCLITests.TrainCommandTests`.)
final class TrainerTests: ScratchDirectoryTestCase {
    /// A small network trained on mini-batches with dropout: every generator and the batch order matter.
    private func stochastic(steps: Int) -> TrainingConfig {
        config {
            $0.architecture.hiddenWidths = [12]
            $0.architecture.dropout = [0.2]
            $0.batchSize = 32
            $0.optimizer = .adam(lr: 0.01)
            $0.steps = steps
            $0.snapshots = .every(10)
        }
    }

    /// Every layer's weights at every snapshot, concatenated, as bit patterns.
    private func allWeights(_ path: String) throws -> [UInt64] {
        let r = try RunReader(path: path)
        defer { try? r.close() }
        var all: [UInt64] = []
        for s in 0..<r.snapshotCount {
            for l in 0..<r.layers.count { all += try r.weights(layer: l, snapshot: s).map(\.bitPattern) }
        }
        return all
    }

    private func train(_ c: TrainingConfig, to name: String, threads: Int = 1) throws -> TrainingSummary {
        try Trainer(config: c, path: path(name), commandLine: "test", threads: threads).run()
    }

    func testInMemoryHistoryEqualsTheRunFile() throws {
        let c = config { $0.steps = 40; $0.snapshots = .every(10) }
        let summary = try train(c, to: "run.h5")
        XCTAssertEqual(summary.status, .completed)
        XCTAssertEqual(summary.steps, 40)
        XCTAssertEqual(summary.snapshots, 5)
        let memory = try Trainer(inMemory: c)
        let inMemory = try memory.run()
        XCTAssertEqual(inMemory.trainLoss.bitPattern, summary.trainLoss.bitPattern)
        XCTAssertEqual(inMemory.testLoss.bitPattern, summary.testLoss.bitPattern)
        let r = try RunReader(path: path("run.h5"))
        defer { try? r.close() }
        XCTAssertEqual(memory.history.map(\.step), try r.steps())
        XCTAssertEqual(memory.history.map(\.trainLoss.bitPattern), try XCTUnwrap(r.snapshotVariable("train_loss")).map(\.bitPattern))
        XCTAssertEqual(memory.history.map(\.testLoss.bitPattern), try XCTUnwrap(r.snapshotVariable("test_loss")).map(\.bitPattern))
        XCTAssertEqual(try r.stepLosses()?.count, 40)
        XCTAssertEqual(r.status, .completed)
    }

    func testSameConfigurationAndSeedGiveBitIdenticalParameters() throws {
        var c = stochastic(steps: 30)
        c.architecture.hiddenWidths = [8, 8]
        c.architecture.activations = ["xtanh", "xtanh"]
        c.architecture.dropout = [0.1, 0.1]
        c.batchSize = 16
        _ = try train(c, to: "a.h5")
        _ = try train(c, to: "b.h5")
        c.seed = 2
        _ = try train(c, to: "c.h5")
        let a = try allWeights(path("a.h5")), b = try allWeights(path("b.h5")), other = try allWeights(path("c.h5"))
        XCTAssertEqual(a, b, "reruns differ")
        XCTAssertEqual(a.count, other.count)
        XCTAssertNotEqual(a, other, "another seed gave the same parameters")
    }

    /// The worker team never changes a bit: a network whose layers are cut into neuron blocks (80·300·301
    /// products, see `Workspace.blocks`), with a residual pair and mini-batches, gives the same run on 1, 2 and 3
    /// threads.
    func testThreadCountDoesNotChangeTheRun() throws {
        let c = config {
            $0.architecture.hiddenWidths = [300, 300]
            $0.architecture.activations = ["gelu", "gelu"]
            $0.architecture.dropout = [0, 0]
            $0.architecture.residual = true
            $0.steps = 6
            $0.snapshots = .every(3)
            $0.batchSize = 64
        }
        var runs: [[UInt64]] = []
        for threads in [1, 2, 3] {
            _ = try train(c, to: "t\(threads).h5", threads: threads)
            runs.append(try allWeights(path("t\(threads).h5")))
        }
        XCTAssertEqual(runs[0].count, 3 * (300 * 6 + 300 * 301 + 301))
        XCTAssertEqual(runs[1], runs[0], "2 threads differ")
        XCTAssertEqual(runs[2], runs[0], "3 threads differ")
    }

    /// Stopped between two snapshots (as by SIGINT), resumed: every snapshot as in the straight run, bit for bit.
    func testInterruptedRunResumesBitIdentically() throws {
        let c = stochastic(steps: 60)
        _ = try train(c, to: "full.h5")
        let cut = try Trainer(config: c, path: path("cut.h5"), commandLine: "test")
        var polls = 0
        cut.shouldStop = { polls += 1; return polls > 37 }
        let stopped = try cut.run()
        XCTAssertEqual(stopped.status, .interrupted)
        XCTAssertEqual(stopped.steps, 37)
        let resumed = try Trainer(resuming: path("cut.h5")).run()
        XCTAssertEqual(resumed.status, .completed)
        // The interrupted run's final snapshot (step 37) stays in the file, between 30 and 40.
        let r = try RunReader(path: path("cut.h5"))
        XCTAssertEqual(try r.steps(), [0, 10, 20, 30, 37, 40, 50, 60])
        try r.close()
        let full = try RunReader(path: path("full.h5"))
        let last = try full.weights(layer: 0, snapshot: full.snapshotCount - 1).map(\.bitPattern)
        try full.close()
        let again = try RunReader(path: path("cut.h5"))
        XCTAssertEqual(try again.weights(layer: 0, snapshot: again.snapshotCount - 1).map(\.bitPattern), last)
        XCTAssertEqual(try again.stepLosses()?.count, 60)
        try again.close()
    }

    func testResumeCanExtendARun() throws {
        _ = try train(config { $0.steps = 20 }, to: "grow.h5")
        _ = try Trainer(resuming: path("grow.h5"), steps: 40).run()
        _ = try train(config { $0.steps = 40 }, to: "straight.h5")
        XCTAssertEqual(try allWeights(path("grow.h5")), try allWeights(path("straight.h5")))
    }

    func testResumeRefusesAFinishedRun() throws {
        _ = try train(config { $0.steps = 10 }, to: "done.h5")
        XCTAssertThrowsError(try Trainer(resuming: path("done.h5"))) {
            XCTAssertTrue("\($0)".contains("already at step 10 of 10"), "\($0)")
        }
    }

    func testStopLossEndsTheRunWithAFinalSnapshot() throws {
        let c = config {
            $0.data = .builtin(target: .sin1d, n: nil, nTest: nil, inputDim: nil)
            $0.architecture.hiddenWidths = [20]
            $0.hiddenInit = .gaussian(std: 0.5)
            $0.readoutInit = .gaussian(std: 0.5)
            $0.optimizer = .adam(lr: 0.01)
            $0.steps = 5000
            $0.stopLoss = 0.1
            $0.snapshots = .logSpaced(5)
        }
        let summary = try train(c, to: "stop.h5")
        XCTAssertEqual(summary.status, .stopped)
        let r = try RunReader(path: path("stop.h5"))
        defer { try? r.close() }
        XCTAssertEqual(r.status, .stopped)
        let steps = try r.steps()
        XCTAssertLessThan(steps.last!, 5000)
        XCTAssertLessThanOrEqual(try XCTUnwrap(r.snapshotVariable("train_loss")).last!, 0.1)
        // Every update before the stop had a loss above the threshold.
        let losses = try XCTUnwrap(r.stepLosses())
        XCTAssertTrue(losses.allSatisfy { $0 > 0.1 })
        XCTAssertEqual(losses.count, steps.last!)
    }

    /// An optimizer state of at most `smallStateBytes` goes with every snapshot; above it (as a large network's
    /// state, or any with the size set to 0, as the kill tests do) with the first and the last only, when
    /// checkpoints are far apart.
    func testOnlyStatesAboveTheSmallSizeWaitForTheCheckpointInterval() throws {
        let c = config { $0.steps = 60; $0.snapshots = .every(10); $0.optimizer = .adam(lr: 0.01) }
        let trainer = try Trainer(config: c, path: path("large.h5"), commandLine: "test")
        trainer.checkpointInterval = 1000
        trainer.lastCheckpointWall = 0   // as if a checkpoint had been taken at 0 s
        XCTAssertEqual(trainer.smallStateBytes, Trainer.defaultSmallStateBytes)
        XCTAssertTrue(trainer.isCheckpoint(wall: 1, forced: false), "a small state goes with every snapshot")
        trainer.smallStateBytes = 0
        XCTAssertFalse(trainer.isCheckpoint(wall: 1, forced: false))
        trainer.lastCheckpointWall = -.infinity   // none yet, as before the first snapshot
        XCTAssertEqual(try trainer.run().status, .completed)
        let r = try RunReader(path: path("large.h5"))
        defer { try? r.close() }
        XCTAssertEqual(try r.optimizerCheckpoints().map(\.step), [60, 0])
    }

    /// The crash tests' fault injection is a parameter, off unless set: a run with the default value completes,
    /// and the writer's delay is the trainer's setting.
    func testFaultInjectionIsOffByDefault() throws {
        let trainer = try Trainer(config: config { $0.steps = 5 }, path: path("plain.h5"), commandLine: "test")
        XCTAssertEqual(trainer.faultInjection, FaultInjection())
        trainer.snapshotMaxDelay = 0
        XCTAssertEqual(try trainer.run().status, .completed)
    }
}
