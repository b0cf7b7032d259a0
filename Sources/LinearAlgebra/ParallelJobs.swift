import Dispatch
import Foundation

/// Independent jobs 0..<count on up to `workers` threads: each worker builds its own state once (a workspace, a
/// network), then takes the next job number until none is left. The first error any job throws stops the
/// handing out of further jobs and is rethrown after the workers finish; jobs that were running complete.
/// Results must depend on the job number only (each job writes its own slot), never on which worker ran it.
///
/// One helper for the "first error wins" pools that `compare-init`, the propagation simulator and the run analyzer
/// need; the training step's own team (`WorkerTeam`) is a different thing: fixed blocks, no queue.
public enum ParallelJobs {
    public static func run<State>(count: Int, workers: Int, makeState: (Int) throws -> State,
                                  _ job: (inout State, Int) throws -> Void) throws {
        guard count > 0 else { return }
        let queue = JobQueue(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { w in
            do {
                var state = try makeState(w)
                while let i = queue.next() { try job(&state, i) }
            } catch {
                queue.fail(error)
            }
        }
        if let error = queue.failure { throw error }
    }

    /// Without per-worker state.
    public static func run(count: Int, workers: Int, _ job: (Int) throws -> Void) throws {
        try run(count: count, workers: workers, makeState: { _ in () }) { _, i in try job(i) }
    }
}

/// The job counter and the first failure, behind one lock.
private final class JobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextJob = 0
    private let count: Int
    private(set) var failure: Error?

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard failure == nil, nextJob < count else { return nil }
        nextJob += 1
        return nextJob - 1
    }

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = error }
    }
}
