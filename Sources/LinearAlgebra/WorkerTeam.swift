import Foundation
import Synchronization

/// A fixed team of threads for fork–join sections a few microseconds apart: `run` calls `body(member)` for every
/// member `0..<size`, member 0 on the calling thread and the others on the team's own threads, and returns when all
/// are done.
///
/// Why not OpenBLAS's threads and `DispatchQueue.concurrentPerform`: a training step alternates products with
/// elementwise work (activations, the optimizer). With OpenBLAS threaded, its idle worker keeps spinning on
/// `sched_yield` while Dispatch's threads run the elementwise part, so on a machine with few cores the two pools
/// take turns on the same cores and a step spends much of its time in the scheduler. A team splits every phase,
/// products included (each member calls single-threaded BLAS on its own block), so one set of threads does all
/// of the work.
///
/// Between sections the members spin on an atomic counter for a while (`spinLoads` loads, then up to `spinYields`
/// `sched_yield` calls, which let any other runnable thread have the core), then sleep on a condition variable
/// until the next `run`; the caller waits for the members the same way, without sleeping. With more members than
/// free cores the sections still complete (the yields hand the cores round), only slower. `run` is not reentrant
/// and is meant for one caller thread.
/// A team of size 1 runs `body(0)` directly and starts no thread.
public final class WorkerTeam: @unchecked Sendable {
    /// Members, the caller included.
    public let size: Int
    private let shared: Shared

    public init(size: Int) {
        precondition(size >= 1, "a worker team needs at least one member, got \(size)")
        self.size = size
        shared = Shared(workers: size - 1)
        for member in 1..<size {
            let shared = self.shared
            let thread = Thread { shared.serve(member: member) }
            thread.name = "condense-team-\(member)"
            thread.start()
        }
    }

    deinit { shared.stop() }

    /// Calls `body(member)` for each member in `0..<size` at once (member 0 on this thread) and returns when every
    /// call has returned. What each member touches must not overlap with another's writes.
    public func run(_ body: (Int) -> Void) {
        if size == 1 { body(0); return }
        withoutActuallyEscaping(body) { task in
            shared.start(task)
            task(0)
            shared.waitForWorkers()
        }
    }

    /// The contiguous part of `0..<count` that `member` of `parts` takes: boundaries are multiples of `alignment`
    /// (so vector lanes and BLAS's register tiles line up the same way whatever the team size), the last part
    /// takes the rest, and parts may be empty.
    public static func share(of count: Int, member: Int, of parts: Int, alignment: Int = 1) -> Range<Int> {
        let units = (count + alignment - 1) / alignment
        let per = (units + parts - 1) / parts
        let lo = min(count, member * per * alignment), hi = min(count, (member + 1) * per * alignment)
        return lo..<hi
    }

    /// Copies `count` values from `source` to `destination` (which must not overlap), in one contiguous part per
    /// member when there are at least `parallelCopyThreshold` of them: a single thread does not reach the memory
    /// bandwidth that two do (a snapshot copies megabytes of parameters).
    public func copy(_ source: UnsafePointer<Double>, to destination: UnsafeMutablePointer<Double>, count: Int) {
        guard size > 1, count >= Self.parallelCopyThreshold else {
            destination.update(from: source, count: count)
            return
        }
        run { member in
            let part = Self.share(of: count, member: member, of: size, alignment: 8)
            (destination + part.lowerBound).update(from: source + part.lowerBound, count: part.count)
        }
    }

    static let parallelCopyThreshold = 1 << 16

    /// The state the team's threads see (they hold this, not the team, so the team can be released).
    private final class Shared: @unchecked Sendable {
        let workers: Int
        /// Bumped by each `start`; a worker runs the task when it sees a value it has not served.
        let generation = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let sleepers = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        let condition = NSCondition()
        /// The current section's task, published by the `generation` bump; nil between sections.
        var task: ((Int) -> Void)?

        /// Plain loads of the counter before yielding, and yields before sleeping (together ~0.1 ms idle).
        static let spinLoads = 1 << 10, spinYields = 200

        init(workers: Int) { self.workers = workers }

        func start(_ body: @escaping (Int) -> Void) {
            task = body
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            // Sequentially consistent with the worker's sleepers increment and generation re-check: either this
            // sees the sleeper, or the sleeper sees the new generation and does not wait.
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wake() }
        }

        func waitForWorkers() {
            var spins = 0
            while finished.load(ordering: .acquiring) < workers {
                spins += 1
                if spins > Self.spinLoads { sched_yield() }
            }
            task = nil
        }

        func wake() {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }

        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            wake()
        }

        func serve(member: Int) {
            var seen = 0
            while true {
                var spins = 0
                while generation.load(ordering: .acquiring) == seen {
                    spins += 1
                    if spins < Self.spinLoads { continue }
                    if spins < Self.spinLoads + Self.spinYields { sched_yield(); continue }
                    condition.lock()
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    condition.unlock()
                }
                seen = generation.load(ordering: .acquiring)
                if stopping.load(ordering: .acquiring) { return }
                perform(member)
                finished.add(1, ordering: .releasing)
            }
        }

        /// Not inlined, so that the worker's reference to the task is gone before it reports itself finished (the
        /// caller's `withoutActuallyEscaping` checks that none is left).
        @inline(never)
        func perform(_ member: Int) { task?(member) }
    }
}
