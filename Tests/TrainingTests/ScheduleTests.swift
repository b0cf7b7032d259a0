import Foundation
import XCTest
@testable import Training

final class ScheduleTests: XCTestCase {
    private func error(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    // MARK: - Learning rate

    func testConstantRate() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.3, step: 0), 0.3)
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.3, step: 123_456), 0.3)
    }

    func testStepDecayCountsFromZeroLikeStepLR() {
        let s = LearningRateSchedule.stepDecay(every: 3, factor: 0.5)
        XCTAssertEqual((0..<10).map { s.rate(base: 1, step: $0) }, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125])
        // StepLR's chainable form multiplies once per decay: ((η·γ)·γ)·γ, bit for bit.
        let base = 0.1, gamma = 0.7
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 10, factor: gamma).rate(base: base, step: 35).bitPattern,
                       (((base * gamma) * gamma) * gamma).bitPattern)
        // Beyond 4096 decays the closed form is used.
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 1, factor: 1).rate(base: 0.2, step: 10_000), 0.2)
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 1, factor: 0.999).rate(base: 1, step: 5000),
                       pow(0.999, 5000), accuracy: 1e-12)
    }

    func testLearningRateParsing() throws {
        XCTAssertEqual(try LearningRateSchedule(parsing: "constant"), .constant)
        XCTAssertEqual(try LearningRateSchedule(parsing: "step(every=1000,factor=0.5)"), .stepDecay(every: 1000, factor: 0.5))
        XCTAssertEqual(try LearningRateSchedule(parsing: " Step( factor = 0.1 , every = 20 ) "), .stepDecay(every: 20, factor: 0.1))
        for s in [LearningRateSchedule.constant, .stepDecay(every: 7, factor: 0.25)] {
            XCTAssertEqual(try LearningRateSchedule(parsing: s.description), s)
        }
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "cosine") }!.contains("constant or step"))
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "step(every=0,factor=0.5)") }!.contains("every"))
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "step(every=10,factor=-1)") }!.contains("factor"))
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "step(every=10)") }!.contains("factor="))
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "step(every=ten,factor=0.5)") }!.contains("ten"))
        XCTAssertTrue(error { _ = try LearningRateSchedule(parsing: "step(every=10,gamma=0.5)") }!.contains("gamma"))
    }

    // MARK: - Snapshots

    func testEvery() {
        XCTAssertEqual(SnapshotSchedule.every(10).steps(total: 25), [0, 10, 20, 25])
        XCTAssertEqual(SnapshotSchedule.every(10).steps(total: 30), [0, 10, 20, 30])
        XCTAssertEqual(SnapshotSchedule.every(1).steps(total: 3), [0, 1, 2, 3])
        XCTAssertEqual(SnapshotSchedule.every(5).steps(total: 0), [0])
    }

    func testLogSpaced() {
        // 1000^(i/4) = 1, 5.62, 31.6, 177.8, 1000.
        XCTAssertEqual(SnapshotSchedule.logSpaced(5).steps(total: 1000), [0, 1, 6, 32, 178, 1000])
        XCTAssertEqual(SnapshotSchedule.logSpaced(1).steps(total: 50), [0, 50])
        // Rounding collisions merge; the result stays sorted and unique.
        let s = SnapshotSchedule.logSpaced(50).steps(total: 20)
        XCTAssertEqual(s, Array(Set(s)).sorted())
        XCTAssertEqual(s.first, 0)
        XCTAssertEqual(s, Array(0...20), "every step is hit")
        XCTAssertEqual(SnapshotSchedule.logSpaced(50).steps(total: 100_000).count, 48, "50 log-spaced points, 3 merged by rounding, plus 0")
    }

    /// `next(after:)` walks exactly the list `steps(total:)` builds (the trainer walks `every` this way, so that
    /// a run of 10⁸ steps does not build a list of 10⁷ before its first update), and at 10⁸ steps answers at once.
    func testNextStepWalksTheScheduleWithoutItsList() {
        let schedules: [SnapshotSchedule] = [.every(1), .every(7), .every(10), .every(1000), .everyEpochs(2),
                                             .logSpaced(9), .explicit([3, 50, 51])]
        for schedule in schedules {
            for (total, perEpoch) in [(0, 1), (1, 1), (25, 3), (30, 5), (101, 4)] {
                var walked: [Int] = []
                var step = -1
                while let next = schedule.next(after: step, total: total, stepsPerEpoch: perEpoch) {
                    XCTAssertGreaterThan(next, step)
                    walked.append(next)
                    step = next
                }
                XCTAssertEqual(walked, schedule.steps(total: total, stepsPerEpoch: perEpoch), "\(schedule) over \(total)")
            }
        }
        let huge = 100_000_000
        let clock = ContinuousClock(), start = clock.now
        XCTAssertEqual(SnapshotSchedule.every(10).next(after: huge - 5, total: huge), huge)
        XCTAssertEqual(SnapshotSchedule.every(10).next(after: 12_345, total: huge), 12_350)
        XCTAssertNil(SnapshotSchedule.every(10).next(after: huge, total: huge))
        XCTAssertEqual(SnapshotSchedule.every(Int.max / 2).next(after: 1, total: huge), huge, "no overflow")
        XCTAssertLessThan(clock.now - start, .milliseconds(50))
    }

    func testExplicit() {
        XCTAssertEqual(SnapshotSchedule.explicit([100, 5, 5, 7000]).steps(total: 200), [0, 5, 100, 200])
    }

    func testSnapshotParsing() throws {
        XCTAssertEqual(try SnapshotSchedule(parsing: "every:10"), .every(10))
        XCTAssertEqual(try SnapshotSchedule(parsing: "log:50"), .logSpaced(50))
        XCTAssertEqual(try SnapshotSchedule(parsing: "list:0,5,100"), .explicit([0, 5, 100]))
        XCTAssertEqual(try SnapshotSchedule(parsing: "list: 3 , 9"), .explicit([3, 9]))
        for s in [SnapshotSchedule.every(3), .logSpaced(9), .explicit([1, 4])] {
            XCTAssertEqual(try SnapshotSchedule(parsing: s.description), s)
        }
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "every:0") }!.contains("every"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "every:-2") }!.contains("≥ 1"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "log:0") }!.contains("log"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "log:x") }!.contains("whole number"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "list:1,,2") }!.contains("whole number"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "list:-1") }!.contains("≥ 0"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "10") }!.contains("every:K"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "often:3") }!.contains("every:K"))
    }

    /// every:Kepochs: K epochs of ⌈n / batch⌉ updates apart, parsed in either number, printed back the same.
    func testSnapshotsCountedInEpochs() throws {
        XCTAssertEqual(try SnapshotSchedule(parsing: "every:2epochs"), .everyEpochs(2))
        XCTAssertEqual(try SnapshotSchedule(parsing: "every:1epoch"), .everyEpochs(1))
        XCTAssertEqual(try SnapshotSchedule(parsing: SnapshotSchedule.everyEpochs(3).description), .everyEpochs(3))
        XCTAssertEqual(SnapshotSchedule.everyEpochs(3).description, "every:3epochs")
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "every:0epochs") }!.contains("≥ 1"))
        XCTAssertTrue(error { _ = try SnapshotSchedule(parsing: "every:xepochs") }!.contains("whole number"))
        // 60 rows in batches of 16: 4 updates per epoch (the last batch of 12).
        var c = TrainingConfig.paperDefault
        c.batchSize = 16
        XCTAssertEqual(c.stepsPerEpoch(rows: 60), 4)
        c.batchSize = nil
        XCTAssertEqual(c.stepsPerEpoch(rows: 60), 1, "full batch: one update per epoch")
        XCTAssertEqual(SnapshotSchedule.everyEpochs(2).steps(total: 20, stepsPerEpoch: 4), [0, 8, 16, 20])
        XCTAssertEqual(SnapshotSchedule.everyEpochs(2).countBound(total: 20, stepsPerEpoch: 4), 4)
        XCTAssertGreaterThanOrEqual(SnapshotSchedule.everyEpochs(2).countBound(total: 20), 4, "an upper bound without E")
    }
}
