import Foundation
import Model
import RunFormat
import XCTest
@testable import Training

/// `SeedBatch` (`condense train --seeds`): every network trained in the batch leaves the run file its seed gives
/// alone — every snapshot's weights, the step losses, the train and test losses and the optimizer state, bit for
/// bit — for the small net, two hidden layers, mini-batch SGD with momentum and Adam, on one and on several worker
/// threads; and lists and groups that cannot work are refused before a file is written.
final class SeedBatchTests: ScratchDirectoryTestCase {
    /// Everything a run file holds that training computes, as bit patterns: per snapshot the step, every layer's
    /// weights, train and test loss; the per-update losses; the last checkpoint's optimizer buffers and generators.
    private func contents(_ path: String) throws -> [String: [UInt64]] {
        let r = try RunReader(path: path)
        defer { try? r.close() }
        var out: [String: [UInt64]] = [:]
        out["steps"] = try r.steps().map { UInt64($0) }
        for s in 0..<r.snapshotCount {
            for l in 0..<r.layers.count { out["w\(s).\(l)"] = try r.weights(layer: l, snapshot: s).map(\.bitPattern) }
        }
        out["train_loss"] = try XCTUnwrap(r.snapshotVariable("train_loss")).map(\.bitPattern)
        out["test_loss"] = try XCTUnwrap(r.snapshotVariable("test_loss")).map(\.bitPattern)
        out["step_losses"] = try XCTUnwrap(r.stepLosses()).map(\.bitPattern)
        out["status"] = Array(r.statusText.utf8).map { UInt64($0) }
        if let state = try r.optimizerState() {
            for (name, buffer) in state.buffers { out["opt.\(name)"] = buffer.map(\.bitPattern) }
            out["rng"] = state.rngDropout + state.rngShuffle
            out["order"] = state.batchOrder.map { UInt64($0) }
        }
        return out
    }

    /// Trains `seeds` as one batch on `threads` workers and each seed alone, and compares the files.
    @discardableResult
    private func assertBatchEqualsSingles(_ c: TrainingConfig, seeds: [UInt64], threads: Int,
                                          file: StaticString = #filePath, line: UInt = #line) throws -> [RunStatus] {
        let paths = seeds.map { path("batch-\(threads)-seed\($0).h5") }
        let batch = try SeedBatch(config: c, seeds: seeds, paths: paths, threads: threads,
                                  commandLine: { s, p in "condense train --seed \(s) -o \(p)" })
        let results = batch.run()
        XCTAssertEqual(results.count, seeds.count, file: file, line: line)
        var previous: [String: [UInt64]]?
        var statuses: [RunStatus] = []
        for (k, seed) in seeds.enumerated() {
            let summary = try results[k].get()
            var single = c
            single.seed = seed
            let alone = path("single-\(threads)-seed\(seed).h5")
            let s = try Trainer(config: single, path: alone, commandLine: "test").run()
            XCTAssertEqual(summary.status, s.status, file: file, line: line)
            XCTAssertEqual(summary.steps, s.steps, file: file, line: line)
            statuses.append(s.status)
            XCTAssertEqual(summary.trainLoss.bitPattern, s.trainLoss.bitPattern, file: file, line: line)
            let batched = try contents(paths[k]), reference = try contents(alone)
            XCTAssertEqual(batched.keys.sorted(), reference.keys.sorted(), "seed \(seed)", file: file, line: line)
            for key in reference.keys.sorted() {
                XCTAssertEqual(batched[key], reference[key], "seed \(seed): \(key) differs", file: file, line: line)
            }
            XCTAssertGreaterThan(reference.count, 6, file: file, line: line)
            if let previous { XCTAssertNotEqual(previous["w1.0"], batched["w1.0"], "two seeds trained alike") }
            previous = batched
        }
        return statuses
    }

    /// The paper's 5-50-1 tanh, full batch, Adam; step 0's snapshot takes its loss from the first forward pass.
    func testSmallNetFullBatchAdamEqualsSingleRuns() throws {
        let c = config { $0.steps = 60; $0.snapshots = .every(7) }
        XCTAssertEqual(try assertBatchEqualsSingles(c, seeds: [1, 2, 3], threads: 1), [.completed, .completed, .completed])
        try assertBatchEqualsSingles(c, seeds: [4, 9, 5, 11, 6], threads: 2)
    }

    /// Two hidden layers with dropout on mini-batches (every generator and the batch order move), Adam.
    func testTwoHiddenLayersMiniBatchAdamEqualsSingleRuns() throws {
        let c = config {
            $0.architecture.hiddenWidths = [12, 9]
            $0.architecture.activations = ["tanh", "xtanh"]
            $0.architecture.dropout = [0.1, 0]
            $0.batchSize = 16
            $0.optimizer = .adam(lr: 0.01)
            $0.steps = 45
            $0.snapshots = .logSpaced(6)
        }
        try assertBatchEqualsSingles(c, seeds: [3, 1, 8], threads: 2)
    }

    /// Mini-batch SGD with momentum and a step-decay learning rate, one hidden layer.
    func testMiniBatchSGDEqualsSingleRuns() throws {
        let c = config {
            $0.architecture.hiddenWidths = [20]
            $0.batchSize = 24
            $0.optimizer = .sgd(lr: 0.05, momentum: 0.9)
            $0.learningRateSchedule = .stepDecay(every: 10, factor: 0.5)
            $0.steps = 40
            $0.snapshots = .explicit([0, 3, 17, 40])
        }
        try assertBatchEqualsSingles(c, seeds: [2, 7], threads: 2)
    }

    /// A run that stops early (at the loss threshold) leaves the batch while the others go on, as it would alone.
    func testARunThatStopsEarlyLeavesTheOthersAsAlone() throws {
        let c = config { $0.steps = 50; $0.snapshots = .every(10); $0.stopLoss = 0 }
        // With a threshold of 0 nothing stops; with the first seed's loss after a few steps, some seeds stop.
        let probe = try Trainer(inMemory: config { $0.steps = 20; $0.snapshots = .every(20); $0.seed = 1 })
        let loss = try probe.run().trainLoss
        var stopping = c
        stopping.stopLoss = loss
        let statuses = try assertBatchEqualsSingles(stopping, seeds: [1, 2, 3], threads: 1)
        XCTAssertEqual(statuses.first, .stopped)
        XCTAssertTrue(statuses.contains(.completed), "\(statuses): no run went on past the one that stopped")
    }

    /// A batch stopped in the middle (as by SIGINT) leaves each file interrupted with a final checkpoint; resumed one
    /// by one with `--resume`'s trainer, every run ends where its straight single run does, bit for bit.
    func testAnInterruptedBatchResumesRunByRunToTheSingleRuns() throws {
        let c = config {
            $0.architecture.hiddenWidths = [12]
            $0.batchSize = 32
            $0.optimizer = .adam(lr: 0.01)
            $0.steps = 60
            $0.snapshots = .every(10)
        }
        let seeds: [UInt64] = [1, 2, 3]
        let paths = seeds.map { path("cut\($0).h5") }
        let batch = try SeedBatch(config: c, seeds: seeds, paths: paths, threads: 1, commandLine: { _, _ in "test" })
        // One poll per network and step, in turn: stops every network after its 25th update.
        let lock = NSLock()
        var polls = 0
        batch.shouldStop = { lock.lock(); defer { lock.unlock() }; polls += 1; return polls > 3 * 25 }
        for result in batch.run() {
            let summary = try result.get()
            XCTAssertEqual(summary.status, .interrupted)
            XCTAssertEqual(summary.steps, 25)
        }
        for (k, seed) in seeds.enumerated() {
            XCTAssertEqual(try Trainer(resuming: paths[k]).run().status, .completed)
            var single = c
            single.seed = seed
            _ = try Trainer(config: single, path: path("straight\(seed).h5"), commandLine: "test").run()
            let resumed = try RunReader(path: paths[k]), straight = try RunReader(path: path("straight\(seed).h5"))
            defer { try? resumed.close(); try? straight.close() }
            XCTAssertEqual(try resumed.steps(), [0, 10, 20, 25, 30, 40, 50, 60])
            XCTAssertEqual(try resumed.stepLosses()?.map(\.bitPattern), try straight.stepLosses()?.map(\.bitPattern))
            for l in 0..<2 {
                XCTAssertEqual(try resumed.weights(layer: l, snapshot: resumed.snapshotCount - 1).map(\.bitPattern),
                               try straight.weights(layer: l, snapshot: straight.snapshotCount - 1).map(\.bitPattern),
                               "seed \(seed), layer \(l)")
            }
        }
    }

    func testSeedListsParseAndRefuseBadInput() throws {
        XCTAssertEqual(try SeedList(parsing: "1-16").seeds, Array(1...16))
        XCTAssertEqual(try SeedList(parsing: "1,3,7-9").seeds, [1, 3, 7, 8, 9])
        XCTAssertEqual(try SeedList(parsing: "5").count, 1)
        XCTAssertEqual(try SeedList(parsing: "0-99999").count, 100_000)
        for bad in ["", " ", "9-3", "1,,2", "1-", "-4", "a", "1-2-3", "1,2,2", "1-5,3", "0-100000",
                    "1-18446744073709551615"] {
            XCTAssertThrowsError(try SeedList(parsing: bad), bad) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains("\n"), text)
                XCTAssertTrue(text.hasPrefix("--seeds"), text)
            }
        }
        XCTAssertTrue("\(String(describing: try? SeedList(parsing: "9-3")))" == "nil")
        XCTAssertEqual(SeedList.path(for: 7, output: "runs/run.h5"), "runs/run-seed7.h5")
        XCTAssertEqual(SeedList.path(for: 7, output: "runs/run"), "runs/run-seed7")
        XCTAssertEqual(SeedList.path(for: 7, output: "runs/"), "runs/run-seed7.h5")
        XCTAssertEqual(SeedList.path(for: 3, output: directory.path), path("run-seed3.h5"))
    }

    /// A group that would not fit in memory is refused before any file exists; the same group fits a larger machine.
    func testTooManyNetworksForMemoryAreRefusedBeforeWriting() throws {
        let c = config { $0.steps = 5 }
        let one = ResourceEstimate.parts(try Trainer.fresh(c).config, trainRows: 80, testRows: 1000).bytes
        let seeds: [UInt64] = Array(1...16)
        let paths = seeds.map { path("m\($0).h5") }
        XCTAssertThrowsError(try SeedBatch(config: c, seeds: seeds, paths: paths, commandLine: { _, _ in "" },
                                           physicalMemory: one * 10)) { error in
            XCTAssertTrue("\(error)".contains("16 networks trained at once"), "\(error)")
        }
        XCTAssertFalse(paths.contains { FileManager.default.fileExists(atPath: $0) })
        XCTAssertNoThrow(try SeedBatch(config: c, seeds: seeds, paths: paths, commandLine: { _, _ in "" },
                                       physicalMemory: one * 17))
        XCTAssertFalse(paths.contains { FileManager.default.fileExists(atPath: $0) })
        XCTAssertThrowsError(try SeedBatch(config: c, seeds: [], paths: [], commandLine: { _, _ in "" }))
        XCTAssertThrowsError(try SeedBatch(config: c, seeds: [1, 2], paths: [paths[0], paths[0]],
                                           commandLine: { _, _ in "" }))
    }
}
