import Foundation
import HDF5
import RunFormat
import XCTest

/// Files that break FORMAT.md's promises are refused in one line instead of read silently: a weights dataset with
/// fewer snapshots than /step was cut to the shorter, a decreasing /step was analyzed, a shorter per-snapshot
/// variable crashed `inspect`, and a FIFO was "not an HDF5 file" (after a blocking open elsewhere).
final class RunReaderValidationTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A run of `snapshots` snapshots (steps 0, 3, 6, …) of a 2-3-1 network, then `damage` applied to the file.
    func run(_ name: String, snapshots: Int = 4, damage: (H5Group) throws -> Void = { _ in }) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let layers = [LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 2, width: 3, hasBias: true,
                                       activation: "tanh", multiplicity: 1),
                      LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 3, width: 1, hasBias: false)]
        let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 7,
                                     lossKind: "half_sum", train: Dataset(x: [0, 1, 2, 3], y: [5, 6], n: 2, inputDim: 2, outputDim: 1),
                                     test: nil)
        for s in 0..<snapshots {
            let hidden = [Double](repeating: Double(s), count: 9), readout = [1.0, 2, 3, 4]
            try hidden.withUnsafeBufferPointer { h in
                try readout.withUnsafeBufferPointer { r in
                    try [Double]().withUnsafeBufferPointer { l in
                        try w.appendSnapshot(SnapshotRecord(step: s * 3, epoch: 0, wallTime: 0, trainLoss: 1, testLoss: .nan,
                                                            learningRate: 0.1), weights: [h, r], stepLosses: l, optimizer: nil)
                    }
                }
            }
        }
        try w.setStatus(.completed)
        try w.close()
        let f = try H5File.open(path, writable: true)
        try damage(f.root)
        try f.close()
        return path
    }

    func failure(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    func testFewerWeightRowsThanStepsIsRefused() throws {
        let path = try run("short.h5") { root in
            let w = try root.openGroup("layers").openGroup("layer_1").openDataset("weights")
            try w.extend(to: [2, 3, 3])
        }
        XCTAssertEqual(failure { _ = try RunReader(path: path) },
                       "\(path): /layers/layer_1/weights holds 2 snapshots but /step has 4; the file is damaged or not in the documented layout")
        // A row ahead of /step is what a killed writer leaves: read as the snapshots /step counts.
        let ahead = try run("ahead.h5") { root in try root.openDataset("step").extend(to: [3]) }
        XCTAssertEqual(try RunReader(path: ahead).snapshotCount, 3)
    }

    func testStepsMustIncrease() throws {
        let path = try run("decreasing.h5") { root in try root.openDataset("step").writeSlab([Int64(2)], start: [2], count: [1]) }
        let reader = try RunReader(path: path)
        XCTAssertEqual(failure { _ = try reader.steps() },
                       "\(path): /step is not strictly increasing (snapshot 2 has step 2 after 3); the file is damaged or not in the documented layout")
        let negative = try run("negative.h5") { root in try root.openDataset("step").writeSlab([Int64(-1)], start: [0], count: [1]) }
        XCTAssertTrue(failure { _ = try RunReader(path: negative).steps() }.contains("/step starts at -1"))
    }

    func testShortSnapshotVariableIsRefused() throws {
        let path = try run("loss.h5") { root in try root.openDataset("train_loss").extend(to: [1]) }
        XCTAssertEqual(failure { _ = try RunReader(path: path) },
                       "\(path): /train_loss holds 1 values but the file has 4 snapshots; the file is damaged or not in the documented layout")
    }

    func testOnlyRegularFilesAreOpened() throws {
        let fifo = dir.appendingPathComponent("fifo.h5").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(failure { _ = try RunReader(path: fifo) }, "\(fifo): is a FIFO, not a regular file")
        XCTAssertEqual(failure { _ = try RunReader(path: dir.path) }, "\(dir.path): is a directory, not a run file")
        XCTAssertEqual(RunReader.writerState(path: fifo), .unreadable)
    }
}
