import Foundation
import Model
import RunFormat
import XCTest
@testable import Training

/// A classification run end to end: cross-entropy on one-hot labels read from a CSV, accuracies at every snapshot
/// in the run file (the test set's on the writer thread), and a resume that continues them exactly.
final class ClassificationRunTests: ScratchDirectoryTestCase {
    /// Three classes by the sign pattern of two inputs; 60 training and 30 test points.
    private func config(steps: Int) throws -> TrainingConfig {
        func csv(_ name: String, _ n: Int, _ offset: Double) throws -> String {
            var text = "x1,x2,label\n"
            for i in 0..<n {
                let a = sin(1.7 * Double(i) + offset), b = cos(2.3 * Double(i) + offset)
                text += "\(a),\(b),\(a > 0.3 ? 0 : (b > 0 ? 1 : 2))\n"
            }
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        var c = TrainingConfig.paperDefault
        c.architecture = Architecture(inputDim: 0, hiddenWidths: [16], outputDim: 0, activations: ["tanh"])
        c.hiddenInit = .gaussian(std: 0.5); c.readoutInit = .gaussian(std: 0.5)
        c.optimizer = .adam(lr: 0.02)
        c.loss = .crossEntropy
        c.batchSize = 16
        c.steps = steps
        c.snapshots = .every(10)
        c.data = .file(path: try csv("train.csv", 60, 0), testPath: try csv("test.csv", 30, 0.5), xColumns: nil, yColumns: nil)
        c.preprocessing = DataPreprocessing(labels: .oneHot, classes: 3)
        return c
    }

    func testAccuraciesAreStoredAndResumeContinuesThem() throws {
        let full = directory.appendingPathComponent("full.h5").path
        _ = try Trainer(config: try config(steps: 200), path: full, commandLine: "test").run()
        let r = try RunReader(path: full)
        let train = try XCTUnwrap(r.snapshotVariable("train_accuracy")), test = try XCTUnwrap(r.snapshotVariable("test_accuracy"))
        XCTAssertEqual(train.count, 21); XCTAssertEqual(test.count, 21)
        XCTAssertTrue(train.allSatisfy { (0...1).contains($0) } && test.allSatisfy { (0...1).contains($0) })
        XCTAssertGreaterThan(train.last!, 0.85, "the classes are separable; training should fit them")
        XCTAssertGreaterThan(train.last!, train.first!)
        XCTAssertEqual(r.lossKind(), "cross_entropy")
        // The stored accuracy is the one of the stored parameters.
        let data = try XCTUnwrap(r.data("train"))
        XCTAssertEqual(data.outputDim, 3)
        XCTAssertTrue(data.provenance!.contains("\"labels\":\"one-hot\""))
        let net = try Network(architecture: Architecture(inputDim: 2, hiddenWidths: [16], outputDim: 3, activations: ["tanh"]))
        let p = net.makeParameters()
        for l in 0..<2 {
            let w = try r.weights(layer: l, snapshot: 20)
            for (i, v) in w.enumerated() { p.block(layer: l)[i] = v }
        }
        XCTAssertEqual(Trainer.accuracy(net, data, p, net.makeWorkspace(batchSize: data.n)), train.last!)
        try r.close()

        // Stop at 100, resume to 200: the same accuracies, bit for bit.
        let half = directory.appendingPathComponent("half.h5").path
        _ = try Trainer(config: try config(steps: 100), path: half, commandLine: "test").run()
        _ = try Trainer(resuming: half, steps: 200).run()
        let h = try RunReader(path: half)
        XCTAssertEqual(try h.snapshotVariable("train_accuracy"), train)
        XCTAssertEqual(try h.snapshotVariable("test_accuracy"), test)
        try h.close()
    }

    /// --snapshots every:1epoch over 60 rows in batches of 16 (4 updates per epoch) snapshots every 4 steps, with
    /// the epoch column counting whole epochs there.
    func testSnapshotsEveryEpoch() throws {
        var c = try config(steps: 10)
        c.snapshots = .everyEpochs(1)
        let path = directory.appendingPathComponent("epochs.h5").path
        _ = try Trainer(config: c, path: path, commandLine: "test").run()
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        XCTAssertEqual(try reader.steps(), [0, 4, 8, 10])
        XCTAssertEqual(try reader.snapshotVariable("epoch")?.prefix(3).map { $0 }, [0, 1, 2])
    }

    func testRegressionRunsHaveNoAccuracy() throws {
        var c = try config(steps: 20)
        c.loss = .mean
        c.preprocessing = nil
        let path = directory.appendingPathComponent("reg.h5").path
        _ = try Trainer(config: c, path: path, commandLine: "test").run()
        let r = try RunReader(path: path)
        XCTAssertNil(try r.snapshotVariable("train_accuracy"))
        try r.close()
    }

    func testCrossEntropyNeedsSeveralOutputs() throws {
        var c = try config(steps: 20)
        c.preprocessing = nil
        XCTAssertThrowsError(try Trainer(inMemory: c)) { XCTAssertTrue("\($0)".contains("needs at least 2 outputs")) }
    }
}
