import Foundation
import LinearAlgebra
import XCTest

final class ParallelJobsTests: XCTestCase {
    struct Planted: Error, Equatable { let job: Int }

    func testEveryJobRunsOnceWithItsWorkersState() throws {
        var out = [Int](repeating: 0, count: 1000)
        let states = NSLock()
        var made = 0
        try out.withUnsafeMutableBufferPointer { b in
            let base = b.baseAddress!
            try ParallelJobs.run(count: 1000, workers: 4, makeState: { w -> Int in
                states.lock(); made += 1; states.unlock()
                return w
            }) { _, i in base[i] += i * i }
        }
        XCTAssertEqual(out, (0..<1000).map { $0 * $0 })
        XCTAssertLessThanOrEqual(made, 4)
        XCTAssertGreaterThanOrEqual(made, 1)
    }

    func testTheFirstErrorStopsFurtherJobsAndIsRethrown() {
        let lock = NSLock()
        var ran = 0
        XCTAssertThrowsError(try ParallelJobs.run(count: 10_000, workers: 2) { i in
            lock.lock(); ran += 1; lock.unlock()
            if i == 3 { throw Planted(job: 3) }
        }) { error in XCTAssertEqual(error as? Planted, Planted(job: 3)) }
        XCTAssertLessThan(ran, 10_000, "jobs after the failure are not handed out")
        // A failing state stops everything too.
        XCTAssertThrowsError(try ParallelJobs.run(count: 5, workers: 2, makeState: { _ -> Int in throw Planted(job: -1) }) { _, _ in })
        XCTAssertNoThrow(try ParallelJobs.run(count: 0, workers: 3) { _ in XCTFail("no job") })
    }
}
