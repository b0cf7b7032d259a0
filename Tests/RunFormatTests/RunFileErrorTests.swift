import Foundation
import RunFormat
import XCTest

/// `RunFileError`: each kind's line is its text exactly (the CLI prints it as is), and the reader throws the kind a
/// caller can act on: `open` for a path that is no run file, `snapshotRange` for a snapshot it does not hold.
final class RunFileErrorTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runfileerror-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testEachCaseIsItsLine() {
        let cases: [(RunFileError, String)] = [
            (.open("r.h5: no such file"), "r.h5: no such file"),
            (.busy("r.h5: a training run is still writing it; wait for it to finish"),
             "r.h5: a training run is still writing it; wait for it to finish"),
            (.version("r.h5: run file has no readable format_version (found \"x\")"),
             "r.h5: run file has no readable format_version (found \"x\")"),
            (.malformed("r.h5: run file has no /layers group"), "r.h5: run file has no /layers group"),
            (.snapshotRange("r.h5: snapshot 9 out of range (file holds 2)"), "r.h5: snapshot 9 out of range (file holds 2)"),
            (.write("r.h5: opened read-only; cannot store the analysis in it"),
             "r.h5: opened read-only; cannot store the analysis in it"),
        ]
        for (error, line) in cases {
            XCTAssertEqual(error.description, line)
            XCTAssertEqual("\(error)", line)
        }
        XCTAssertNotEqual(RunFileError.open("x"), RunFileError.malformed("x"))
    }

    func testReaderThrowsItsKind() throws {
        let missing = dir.appendingPathComponent("missing.h5").path
        XCTAssertThrowsError(try RunReader(path: missing)) {
            XCTAssertEqual($0 as? RunFileError, .open("\(missing): no such file"))
        }
        XCTAssertThrowsError(try RunReader(path: dir.path)) {
            XCTAssertEqual($0 as? RunFileError, .open("\(self.dir.path): is a directory, not a run file"))
        }
        let text = dir.appendingPathComponent("text.h5").path
        try "not hdf5\n".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunReader(path: text)) {
            XCTAssertEqual($0 as? RunFileError, .open("\(text): not an HDF5 file"))
        }

        let path = dir.appendingPathComponent("run.h5").path
        let layers = [LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 2, width: 3, hasBias: true,
                                       activation: "tanh", multiplicity: 1),
                      LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 3, width: 1, hasBias: false)]
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 7,
                                     lossKind: "half_sum",
                                     train: Dataset(x: [0, 1, 2, 3], y: [5, 6], n: 2, inputDim: 2, outputDim: 1), test: nil)
        let hidden = [Double](repeating: 1, count: 9), readout = [1.0, 2, 3, 4]
        try hidden.withUnsafeBufferPointer { h in
            try readout.withUnsafeBufferPointer { r in
                try [Double]().withUnsafeBufferPointer { l in
                    try w.appendSnapshot(SnapshotRecord(step: 0, epoch: 0, wallTime: 0, trainLoss: 1, testLoss: .nan,
                                                        learningRate: 0.1), weights: [h, r], stepLosses: l, optimizer: nil)
                }
            }
        }
        try w.setStatus(.completed)
        try w.close()
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        XCTAssertThrowsError(try reader.weights(layer: 0, snapshot: 3)) {
            XCTAssertEqual($0 as? RunFileError, .snapshotRange("\(path): snapshot 3 out of range (file holds 1)"))
        }
    }
}
