import Dispatch
import Foundation

/// Independent jobs 0..<count on up to `workers` threads (at least one, at most `count`): each worker builds its
/// own state once (a workspace, a network), then takes the next job number until none is left. Job numbers are
/// handed out in increasing order, so when a job fails every lower-numbered job has already started.
///
/// Errors: once a job throws, no further job is handed out; jobs already running complete; then the error of the
/// lowest-numbered job that threw is rethrown (a failing `makeState` counts as before every job). That is the
/// error a plain serial loop would throw, whatever the worker count and the timing, because every job below it
/// has run. Results must depend on the job number only (never on which worker ran it); `map` returns them in job
/// order, so the outcome is the same for any worker count.
///
/// Lives in LinearAlgebra because every module that needs it (Analysis, Propagation, the CLI's compare-init)
/// already depends on LinearAlgebra and LinearAlgebra depends on nothing of the project's: no cycle, no new target.
/// The training step's own team (`WorkerTeam`) is a different thing: fixed blocks, no queue.
public enum ParallelJobs {
    public static func run<State>(count: Int, workers: Int, makeState: (Int) throws -> State,
                                  _ job: (inout State, Int) throws -> Void) throws {
        guard count > 0 else { return }
        let queue = JobQueue(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { w in
            var state: State
            do { state = try makeState(w) } catch { queue.fail(error, job: -1); return }
            while let i = queue.next() {
                do { try job(&state, i) } catch { queue.fail(error, job: i) }
            }
        }
        if let error = queue.failure { throw error }
    }

    /// Without per-worker state.
    public static func run(count: Int, workers: Int, _ job: (Int) throws -> Void) throws {
        try run(count: count, workers: workers, makeState: { _ in () }) { _, i in try job(i) }
    }

    /// Each job's value, in job order.
    public static func map<State, T>(count: Int, workers: Int, makeState: (Int) throws -> State,
                                     _ job: (inout State, Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        var slots = [T?](repeating: nil, count: count)
        try slots.withUnsafeMutableBufferPointer { buffer in
            let out = Slots(base: buffer.baseAddress!)
            try run(count: count, workers: workers, makeState: makeState) { state, i in
                out.base[i] = try job(&state, i)
            }
        }
        return slots.map { $0! }
    }

    /// Each job's value, in job order, without per-worker state.
    public static func map<T>(count: Int, workers: Int, _ job: (Int) throws -> T) throws -> [T] {
        try map(count: count, workers: workers, makeState: { _ in () }) { _, i in try job(i) }
    }
}

/// The result slots: each job writes only its own index, so the workers never touch the same element.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
}

/// The job counter and the lowest-numbered failure, behind one lock.
private final class JobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextJob = 0
    private let count: Int
    private var failedJob = Int.max
    private var firstFailure: Error?

    init(count: Int) { self.count = count }

    var failure: Error? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstFailure == nil, nextJob < count else { return nil }
        nextJob += 1
        return nextJob - 1
    }

    func fail(_ error: Error, job: Int) {
        lock.lock(); defer { lock.unlock() }
        if job < failedJob { failedJob = job; firstFailure = error }
    }
}
