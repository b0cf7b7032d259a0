import Foundation
import LinearAlgebra
import XCTest

final class ParallelJobsTests: XCTestCase {
    struct Planted: Error, Equatable { let job: Int }

    /// A counter several workers bump.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ v: Int) { lock.lock(); values.append(v); lock.unlock() }
        var all: [Int] { lock.lock(); defer { lock.unlock() }; return values }
    }

    func testEveryJobRunsOnceWithItsWorkersState() throws {
        var out = [Int](repeating: 0, count: 1000)
        let made = Counter()
        try out.withUnsafeMutableBufferPointer { b in
            let base = b.baseAddress!
            try ParallelJobs.run(count: 1000, workers: 4, makeState: { w -> Int in
                made.add(w)
                return w
            }) { _, i in base[i] += i * i }
        }
        XCTAssertEqual(out, (0..<1000).map { $0 * $0 })
        XCTAssertLessThanOrEqual(made.all.count, 4)
        XCTAssertGreaterThanOrEqual(made.all.count, 1)
    }

    /// Results come back in job order even when later jobs finish first, and are the same for every worker count.
    func testMapReturnsResultsInJobOrderForAnyWorkerCount() throws {
        let expected = (0..<64).map { "job \($0)" }
        for workers in [1, 2, 3, 8, 64, 200] {
            let got = try ParallelJobs.map(count: 64, workers: workers) { i -> String in
                // Early jobs take longest, so with several workers they finish after later ones.
                usleep(UInt32(max(0, 64 - i) * 50))
                return "job \(i)"
            }
            XCTAssertEqual(got, expected, "workers = \(workers)")
        }
        XCTAssertEqual(try ParallelJobs.map(count: 0, workers: 4) { $0 }, [])
    }

    /// With one worker (or a non-positive count) the jobs run one after another in order, on one state.
    func testOneWorkerRunsTheJobsInOrderOnOneState() throws {
        for workers in [1, 0, -3] {
            let order = Counter(), states = Counter()
            let got = try ParallelJobs.map(count: 20, workers: workers, makeState: { w -> [Int] in
                states.add(w)
                return []
            }) { seen, i -> Int in
                order.add(i)
                seen.append(i)
                return seen.count
            }
            XCTAssertEqual(order.all, Array(0..<20), "workers = \(workers)")
            XCTAssertEqual(states.all, [0], "one state, made once")
            XCTAssertEqual(got, Array(1...20), "the one state saw every job in turn")
        }
    }

    /// More workers than jobs: at most one worker (and one state) per job.
    func testMoreWorkersThanJobsMakesAtMostOneStatePerJob() throws {
        let states = Counter()
        let got = try ParallelJobs.map(count: 3, workers: 16, makeState: { w -> Int in
            states.add(w)
            return w
        }) { _, i in i * 10 }
        XCTAssertEqual(got, [0, 10, 20])
        XCTAssertLessThanOrEqual(states.all.count, 3)
        XCTAssertTrue(states.all.allSatisfy { (0..<3).contains($0) }, "worker numbers \(states.all)")
    }

    /// Several jobs fail, at different speeds: the error rethrown is always the lowest-numbered job's (the one a
    /// serial loop would throw), never whichever failed first in time.
    func testTheLowestNumberedFailureWinsWhateverTheTiming() {
        for trial in 0..<40 {
            let workers = 2 + trial % 4
            XCTAssertThrowsError(try ParallelJobs.run(count: 100, workers: workers) { i in
                // Job 5 fails slowly; jobs 6, 7 and 9 fail at once, so they usually fail before it in time.
                if i == 5 { usleep(2000); throw Planted(job: 5) }
                if [6, 7, 9, 40].contains(i) { throw Planted(job: i) }
            }) { error in XCTAssertEqual(error as? Planted, Planted(job: 5), "trial \(trial), \(workers) workers") }
        }
        XCTAssertThrowsError(try ParallelJobs.run(count: 100, workers: 1) { i in
            if i >= 5 { throw Planted(job: i) }
        }) { error in XCTAssertEqual(error as? Planted, Planted(job: 5)) }
    }

    /// After a failure no further job starts: jobs already running complete, the rest never run.
    func testAFailureStopsHandingOutJobs() {
        let started = Counter(), finished = Counter()
        XCTAssertThrowsError(try ParallelJobs.run(count: 10_000, workers: 4) { i in
            started.add(i)
            if i == 3 { throw Planted(job: 3) }
            usleep(1000)
            finished.add(i)
        }) { error in XCTAssertEqual(error as? Planted, Planted(job: 3)) }
        let ran = started.all
        // Each of the other three workers is at most a few jobs past job 3 when it fails (each takes 1 ms).
        XCTAssertLessThan(ran.count, 200, "jobs after the failure are not handed out: \(ran.count) started")
        XCTAssertEqual(Set(finished.all), Set(ran).subtracting([3]), "every started job other than the failing one completed")
        XCTAssertTrue(Set(0..<3).isSubset(of: Set(ran)), "every job below the failing one ran")
        XCTAssertEqual(ran.count, Set(ran).count, "no job ran twice")
    }

    /// A state that cannot be made stops everything, and counts as before every job.
    func testAFailingStateStopsEverything() {
        let ran = Counter()
        XCTAssertThrowsError(try ParallelJobs.run(count: 5, workers: 2, makeState: { _ -> Int in throw Planted(job: -1) }) { _, i in
            ran.add(i)
        }) { error in XCTAssertEqual(error as? Planted, Planted(job: -1)) }
        XCTAssertEqual(ran.all, [])
        // Worker 1's state fails while worker 0's jobs fail too: the state's error wins.
        for _ in 0..<10 {
            XCTAssertThrowsError(try ParallelJobs.run(count: 50, workers: 2, makeState: { w -> Int in
                if w == 1 { usleep(500); throw Planted(job: -1) }
                return w
            }) { _, i in throw Planted(job: i) }) { error in XCTAssertEqual(error as? Planted, Planted(job: -1)) }
        }
        XCTAssertNoThrow(try ParallelJobs.run(count: 0, workers: 3) { _ in XCTFail("no job") })
    }
}
