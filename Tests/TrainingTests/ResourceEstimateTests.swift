import Foundation
import Model
import XCTest
@testable import Training

/// Runs too large for the machine fail at the start, in one line.
final class ResourceEstimateTests: XCTestCase {
    private func config(hidden: [Int], optimizer: OptimizerConfig = .adam(lr: 1e-3)) -> TrainingConfig {
        var c = TrainingConfig.paperDefault
        c.architecture = Architecture(inputDim: 5, hiddenWidths: hidden, outputDim: 1,
                                      activations: Array(repeating: "tanh", count: hidden.count))
        c.optimizer = optimizer
        return c
    }

    func testPartsCountWhatTheTrainerAllocates() {
        let c = config(hidden: [1000, 1000])
        let p = ResourceEstimate.parts(c, trainRows: 80, testRows: 1000)
        XCTAssertEqual(p.parameters, Double(c.architecture.parameterCount))
        XCTAssertEqual(p.optimizerBuffers, 2)
        XCTAssertEqual(p.snapshotSlots, Double(SnapshotPipeline.slotCount(parameters: c.architecture.parameterCount,
                                                                          optimizerBuffers: 2)))
        XCTAssertEqual(ResourceEstimate.parts(config(hidden: [50], optimizer: .sgd(lr: 0.1)), trainRows: 80,
                                              testRows: 0).optimizerBuffers, 0)
        XCTAssertEqual(ResourceEstimate.parts(config(hidden: [50], optimizer: .sgd(lr: 0.1, momentum: 0.9)),
                                              trainRows: 80, testRows: 0).optimizerBuffers, 1)
        // 1 008 001 parameters: weights, gradient, two moments, and two slots of weights and moments; each
        // workspace row holds four copies of each 1001-wide hidden layer.
        XCTAssertEqual(p.bytes, 8 * (1_008_001 * 10 + (11 + 3 + 8 * 1001) * 1160), accuracy: 1)
    }

    func testMemoryBeyondTheMachineIsRefused() throws {
        let c = config(hidden: [1000, 1000])
        XCTAssertNoThrow(try ResourceEstimate.check(c, trainRows: 80, testRows: 1000, physicalMemory: 1e9))
        XCTAssertThrowsError(try ResourceEstimate.check(c, trainRows: 80, testRows: 1000, physicalMemory: 5e7)) {
            XCTAssertTrue("\($0)".contains("of memory"), "\($0)")
        }
        // Widths whose products overflow Int are refused, not trapped on.
        XCTAssertThrowsError(try ResourceEstimate.check(config(hidden: [1 << 40, 1 << 40]), trainRows: 80,
                                                        testRows: 0))
    }

    func testCountBoundCoversTheSchedule() {
        let schedules: [SnapshotSchedule] = [.every(1), .every(7), .every(1000), .logSpaced(1), .logSpaced(50),
                                             .explicit([]), .explicit([3, 3, 5, 999])]
        for s in schedules {
            for total in [0, 1, 6, 7, 100, 12345] {
                let count = s.steps(total: total).count
                XCTAssertGreaterThanOrEqual(s.countBound(total: total), count, "\(s) over \(total)")
                if case .every = s { XCTAssertLessThanOrEqual(s.countBound(total: total) - count, 1, "\(s) over \(total)") }
            }
        }
    }

    func testTooManySnapshotsAreRefusedBeforeTheListIsBuilt() {
        var c = TrainingConfig.paperDefault
        c.steps = 100_000_000_000
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("snapshots"), "\($0)") }
        c.snapshots = .logSpaced(200)
        XCTAssertNoThrow(try c.validate())
    }

    func testFileBeyondTheFreeSpaceIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("never-written.h5").path
        let c = config(hidden: [20_000])
        XCTAssertNotNil(ResourceEstimate.freeBytes(near: path))
        // 9·10⁶ snapshots of 140 000 parameters: 10 PB.
        XCTAssertThrowsError(try ResourceEstimate.checkDisk(c, path: path, snapshots: 9_000_000, steps: 9_000_000)) {
            XCTAssertTrue("\($0)".contains("free there"), "\($0)")
        }
        XCTAssertNoThrow(try ResourceEstimate.checkDisk(c, path: path, snapshots: 10, steps: 1000))
        var compressed = c
        compressed.compression = 4
        XCTAssertNoThrow(try ResourceEstimate.checkDisk(compressed, path: path, snapshots: 9_000_000, steps: 9_000_000))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        // A file about to be replaced counts as free: a sparse one as large as the free space itself.
        let free = try XCTUnwrap(ResourceEstimate.freeBytes(near: path))
        let old = FileManager.default.temporaryDirectory.appendingPathComponent("replaced-\(getpid()).h5").path
        XCTAssertTrue(FileManager.default.createFile(atPath: old, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: old) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: old))
        try handle.truncate(atOffset: UInt64(free))
        try handle.close()
        let snapshots = Int((free * 1.5 / (140_001 * 8)).rounded(.up))
        XCTAssertThrowsError(try ResourceEstimate.checkDisk(c, path: old, snapshots: snapshots, steps: 0))
        XCTAssertNoThrow(try ResourceEstimate.checkDisk(c, path: old, snapshots: snapshots, steps: 0, replacing: true))
    }
}
