import Foundation
import HDF5
import RunFormat
import XCTest

/// The writer and reader agree with each other and with FORMAT.md, independently of the trainer.
final class RunFileRoundTripTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runformat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let layers = [
        LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 2, width: 3, hasBias: true,
                         activation: "tanh", multiplicity: 1),
        LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 3, width: 1, hasBias: false),
    ]

    func makeRun(_ name: String, snapshots: Int) throws -> (String, [[Double]]) {
        let path = dir.appendingPathComponent(name).path
        let train = Dataset(x: [0, 1, 2, 3], y: [5, 6], n: 2, inputDim: 2, outputDim: 1)
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 7,
                                     lossKind: "half_sum", train: train, test: nil)
        var written: [[Double]] = []
        for s in 0..<snapshots {
            let hidden = (0..<9).map { Double(s * 100 + $0) }, readout = [1.5, -2, 0.25, 0] + [Double(s)]
            written.append(hidden + readout.prefix(4))
            let losses = [Double](repeating: Double(s), count: s == 0 ? 0 : 3)
            try hidden.withUnsafeBufferPointer { h in
                try Array(readout.prefix(4)).withUnsafeBufferPointer { r in
                    try losses.withUnsafeBufferPointer { l in
                        try w.appendSnapshot(SnapshotRecord(step: s * 3, epoch: Double(s * 3), wallTime: 0.1,
                                                            trainLoss: 1 / Double(s + 1), testLoss: .nan,
                                                            learningRate: 0.01),
                                             weights: [h, r], stepLosses: l, optimizer: nil)
                    }
                }
            }
        }
        try w.setStatus(.completed)
        try w.close()
        return (path, written)
    }

    /// `appendSnapshots` (what the trainer's writer thread uses when snapshots queue up) stores exactly what the
    /// same snapshots appended one by one store: weights, scalars, step losses, indices.
    func testBatchedAppendEqualsOneByOne() throws {
        let (single, written) = try makeRun("single.h5", snapshots: 4)
        let path = dir.appendingPathComponent("batched.h5").path
        let train = Dataset(x: [0, 1, 2, 3], y: [5, 6], n: 2, inputDim: 2, outputDim: 1)
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 7,
                                     lossKind: "half_sum", train: train, test: nil)
        let records = (0..<4).map {
            SnapshotRecord(step: $0 * 3, epoch: Double($0 * 3), wallTime: 0.1, trainLoss: 1 / Double($0 + 1),
                           testLoss: .nan, learningRate: 0.01)
        }
        // Snapshot 0 alone, then 1…3 in one batch.
        let hidden0 = Array(written[0].prefix(9)), readout0 = Array(written[0].suffix(4))
        try hidden0.withUnsafeBufferPointer { h in
            try readout0.withUnsafeBufferPointer { r in
                try w.appendSnapshot(records[0], weights: [h, r], stepLosses: UnsafeBufferPointer(start: nil, count: 0),
                                     optimizer: nil)
            }
        }
        let hidden = written[1...].flatMap { $0.prefix(9) }, readout = written[1...].flatMap { $0.suffix(4) }
        let losses: [Double] = [1, 1, 1, 2, 2, 2, 3, 3, 3]
        try hidden.withUnsafeBufferPointer { h in
            try readout.withUnsafeBufferPointer { r in
                try losses.withUnsafeBufferPointer { l in
                    try w.appendSnapshots(Array(records[1...]), weights: [h, r], stepLosses: l, optimizer: nil)
                }
            }
        }
        try w.setStatus(.completed)
        try w.close()
        let a = try RunReader(path: single), b = try RunReader(path: path)
        defer { try? a.close(); try? b.close() }
        XCTAssertEqual(b.snapshotCount, 4)
        XCTAssertEqual(try b.steps(), try a.steps())
        XCTAssertEqual(try b.stepLosses(), try a.stepLosses())
        for name in ["epoch", "wall_time", "train_loss", "learning_rate"] {
            XCTAssertEqual(try b.snapshotVariable(name), try a.snapshotVariable(name), name)
        }
        for s in 0..<4 {
            for l in 0..<2 { XCTAssertEqual(try b.weights(layer: l, snapshot: s), try a.weights(layer: l, snapshot: s)) }
        }
    }

    func testWrittenSnapshotsReadBackExactly() throws {
        let (path, written) = try makeRun("a.h5", snapshots: 4)
        let r = try RunReader(path: path)
        XCTAssertEqual(r.layers, layers)
        XCTAssertEqual(r.snapshotCount, 4)
        XCTAssertEqual(try r.steps(), [0, 3, 6, 9])
        XCTAssertEqual(r.status, .completed)
        XCTAssertEqual(r.seed, 7)
        XCTAssertEqual(try r.stepLosses(), [1, 1, 1, 2, 2, 2, 3, 3, 3])
        for s in 0..<4 {
            XCTAssertEqual(try r.weights(layer: 0, snapshot: s) + r.weights(layer: 1, snapshot: s), written[s])
        }
        XCTAssertEqual(try r.data("train")?.x, [0, 1, 2, 3])
        XCTAssertNil(try r.data("test"))
        XCTAssertThrowsError(try r.weights(layer: 0, snapshot: 4))
    }

    func testReopenAppendsAfterTheStoredSnapshots() throws {
        let (path, _) = try makeRun("b.h5", snapshots: 2)
        let w = try RunWriter.reopen(path: path)
        XCTAssertEqual(w.snapshotCount, 2)
        let h = [Double](repeating: 9, count: 9), o = [Double](repeating: 8, count: 4), l = [4.0]
        try h.withUnsafeBufferPointer { h in
            try o.withUnsafeBufferPointer { o in
                try l.withUnsafeBufferPointer { l in
                    try w.appendSnapshot(SnapshotRecord(step: 10, epoch: 10, wallTime: 1, trainLoss: 0, testLoss: 0,
                                                        learningRate: 0.01), weights: [h, o], stepLosses: l, optimizer: nil)
                }
            }
        }
        try w.close()
        let r = try RunReader(path: path)
        XCTAssertEqual(try r.steps(), [0, 3, 10])
        XCTAssertEqual(try r.weights(layer: 0, snapshot: 2), h)
        XCTAssertEqual(try r.stepLosses()?.count, 4)
    }

    /// A small layer's snapshots share 64 KiB chunks (a chunk per snapshot cost a small network's writer more CPU
    /// than its training): batches that start and end inside a chunk, a truncation into the middle of one and a
    /// reopened writer appending after it all read back exactly, and a large layer keeps one snapshot per chunk.
    func testSmallLayersShareChunksAcrossBatchesTruncationAndReopen() throws {
        let layers = [
            self.layers[0],            // 3 × 3 values, 72 B per snapshot: 910 per chunk
            LayerDescription(name: "layer_2", kind: .hidden, index: 2, fanIn: 3, width: 2_500, hasBias: true,
                             activation: "tanh", multiplicity: 1),            // 80 KB per snapshot: 1 per chunk
            LayerDescription(name: "readout", kind: .readout, index: 3, fanIn: 2_500, width: 1, hasBias: false),
        ]                              // 2 501 values, 20 KB per snapshot: 3 per chunk
        let path = dir.appendingPathComponent("shared.h5").path
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 7,
                                     lossKind: "half_sum", train: nil, test: nil)
        func weights(_ s: Int) -> [[Double]] {
            [(0..<9).map { Double(s * 1000 + $0) }, (0..<10_000).map { Double(s) + Double($0) / 16 },
             (0..<2_501).map { Double(-s - $0) }]
        }
        func append(_ range: Range<Int>, to w: RunWriter) throws {
            let records = range.map {
                SnapshotRecord(step: $0, epoch: Double($0), wallTime: 0, trainLoss: 0, testLoss: 0, learningRate: 0.1)
            }
            let all = range.map(weights)
            try withExtendedLifetime(all) {
                let views = (0..<3).map { l in all.map { s in s[l].withUnsafeBufferPointer { $0 } } }
                try [Double]().withUnsafeBufferPointer { losses in
                    try w.appendSnapshots(records, layerWeights: views, stepLosses: losses, optimizer: nil)
                }
            }
        }
        // 910 snapshots of the 3 × 3 layer fit in a chunk: batches of 1, 600, 700 and 3 cross its first boundary.
        for range in [0..<1, 1..<601, 601..<1301, 1301..<1304] { try append(range, to: w) }
        try w.truncate(snapshots: 1000, iterations: 0)
        try w.close()
        let again = try RunWriter.reopen(path: path)
        try append(1000..<1010, to: again)
        try again.close()

        let r = try RunReader(path: path)
        XCTAssertEqual(r.snapshotCount, 1010)
        XCTAssertEqual(try r.steps(), (0..<1010).map { $0 })
        for s in [0, 1, 600, 601, 909, 910, 911, 999, 1000, 1005, 1009] {
            let expected = weights(s)
            for l in 0..<3 { XCTAssertEqual(try r.weights(layer: l, snapshot: s), expected[l], "layer \(l) snapshot \(s)") }
        }
        let file = try H5File.open(path)
        let g = try file.root.openGroup("layers")
        XCTAssertEqual(try g.openGroup("layer_1").openDataset("weights").chunkShape, [910, 3, 3])
        XCTAssertEqual(try g.openGroup("layer_2").openDataset("weights").chunkShape, [1, 2_500, 4])
        XCTAssertEqual(try g.openGroup("readout").openDataset("weights").chunkShape, [3, 1, 2_501])
    }

    func testOptimizerStateRoundTrips() throws {
        let path = dir.appendingPathComponent("c.h5").path
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "", configJSON: nil, seed: nil,
                                     lossKind: "mean", train: nil, test: nil)
        let state = OptimizerSnapshot(kind: "adam", step: 0, optimizerSteps: 0, buffers: ["exp_avg": [1, 2], "exp_avg_sq": [3, 4]],
                                      rngDropout: [1, UInt64.max, 3], rngShuffle: [4, 5], batchOrder: [1, 0], batchCursor: 1)
        let h = [Double](repeating: 0, count: 9), o = [Double](repeating: 0, count: 4)
        try h.withUnsafeBufferPointer { h in
            try o.withUnsafeBufferPointer { o in
                try w.appendSnapshot(SnapshotRecord(step: 0, epoch: 0, wallTime: 0, trainLoss: 1, testLoss: .nan,
                                                    learningRate: 1), weights: [h, o],
                                     stepLosses: UnsafeBufferPointer(start: nil, count: 0), optimizer: state)
            }
        }
        try w.close()
        let r = try RunReader(path: path)
        var stored = try XCTUnwrap(try r.optimizerState())
        XCTAssertEqual(stored.generation, 1)
        stored.generation = 0
        XCTAssertEqual(stored, state)
    }

    /// Two checkpoints written in turn; the newer one then torn (a buffer changed under its commit record): the
    /// reader offers only the older one, whose checksum still matches.
    func testTornCheckpointIsPassedOverForTheOlderOne() throws {
        let path = dir.appendingPathComponent("torn.h5").path
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "", configJSON: nil, seed: nil,
                                     lossKind: "mean", train: nil, test: nil)
        let h = [Double](repeating: 0, count: 9), o = [Double](repeating: 0, count: 4)
        for step in [0, 1, 2] {
            let state = OptimizerSnapshot(kind: "sgd", step: step, optimizerSteps: step,
                                          buffers: ["momentum_buffer": [Double(step), 1]], rngDropout: [], rngShuffle: [],
                                          batchOrder: [], batchCursor: 0)
            try h.withUnsafeBufferPointer { h in
                try o.withUnsafeBufferPointer { o in
                    try w.appendSnapshot(SnapshotRecord(step: step, epoch: 0, wallTime: 0, trainLoss: 1, testLoss: .nan,
                                                        learningRate: 1), weights: [h, o],
                                         stepLosses: UnsafeBufferPointer(start: nil, count: 0), optimizer: state)
                }
            }
        }
        try w.close()
        var r = try RunReader(path: path)
        XCTAssertEqual(try r.optimizerCheckpoints().map(\.step), [2, 1])
        try r.close()
        // Step 2's checkpoint is the one with generation 3: tear it.
        let f = try H5File.open(path, writable: true)
        for slot in OptimizerCheckpoint.slots {
            let g = try f.root.openGroup("optimizer/\(slot)")
            if try g.int64Attribute("generation") == 3 { try g.openDataset("momentum_buffer").write([9.0, 9.0]) }
        }
        try f.close()
        r = try RunReader(path: path)
        defer { try? r.close() }
        XCTAssertEqual(try r.optimizerCheckpoints().map(\.step), [1])
        XCTAssertEqual(try r.optimizerState()?.buffers["momentum_buffer"], [1, 1])
    }

    func testForeignMinimalFileIsReadable() throws {
        // Only what FORMAT.md requires: format attributes and one layer's weights; no steps, no attributes.
        let path = dir.appendingPathComponent("foreign.h5").path
        let f = try H5File.create(path)
        try f.root.setAttribute("format", "condense.run")
        try f.root.setAttribute("format_version", "1.3")
        let layer = try f.root.createGroup("layers").createGroup("hidden")
        try layer.write("weights", (0..<24).map(Double.init), shape: [2, 4, 3])
        try f.close()
        let r = try RunReader(path: path)
        XCTAssertEqual(r.layers.count, 1)
        XCTAssertEqual(r.layers[0].width, 4)
        XCTAssertEqual(r.layers[0].fanIn, 2)
        XCTAssertEqual(try r.steps(), [0, 1])
        XCTAssertEqual(try r.weights(layer: 0, snapshot: 1).first, 12)
    }

    func testRefusesFilesThatAreNotRunFiles() throws {
        let text = dir.appendingPathComponent("t.h5").path
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunReader(path: text)) { XCTAssertTrue("\($0)".contains("not an HDF5 file")) }
        let plain = dir.appendingPathComponent("p.h5").path
        try H5File.create(plain).close()
        XCTAssertThrowsError(try RunReader(path: plain)) { XCTAssertTrue("\($0)".contains("not a condense run file")) }
        let future = dir.appendingPathComponent("f.h5").path
        let f = try H5File.create(future)
        try f.root.setAttribute("format", "condense.run")
        try f.root.setAttribute("format_version", "2.0")
        try f.close()
        XCTAssertThrowsError(try RunReader(path: future)) { XCTAssertTrue("\($0)".contains("2.0")) }
    }
}
