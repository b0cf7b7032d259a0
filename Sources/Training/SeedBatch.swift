import Foundation
import LinearAlgebra
import Model
import RunFormat

/// Many runs that differ only in their seed, trained in one process (`condense train --seeds`): one `Trainer` per
/// seed, each with its own run file written the usual way (`RunWriter` on its own writer thread), advanced step by
/// step in lockstep by a few worker threads, each of which owns a contiguous share of the networks.
///
/// Every network's step is the single run's own code (`Trainer.advance`: the same batch, forward, backward and
/// optimizer calls on the same buffers, in the same order), so each run file holds the bits `condense train --seed S`
/// gives alone; which thread runs it, and how many networks share the process, changes nothing. What one process
/// saves over a process per seed is the start-up, the data and file set-up being paid in parallel, and a second core
/// put to work on small networks whose single run cannot use it (`Trainer.team`).
///
/// Products are not stacked across networks: the papers' built-in targets draw each seed's data from that seed
/// (stream 2), so no two networks share an input, and a stacked product of shared inputs would be a different
/// BLAS call from the single run's, whose order of additions OpenBLAS does not promise to keep.
///
/// The networks train in groups of at most `groupSize` (the next group starts when one ends): the memory and
/// threads held at once are a group's, checked against the machine's memory before any file is written.
public final class SeedBatch {
    /// The common configuration (its `seed` is replaced by each network's).
    public let config: TrainingConfig
    public let seeds: [UInt64]
    /// One run file per seed, in the order of `seeds`.
    public let paths: [String]

    /// Settings for every trainer (as `Trainer`'s, none changes a bit of a run).
    public var synchronousSnapshots = false
    public var checkpointInterval: Double = 1
    public var snapshotMaxDelay = SnapshotPipeline.defaultMaxDelay
    public var shouldStop: () -> Bool = { false }
    /// Called with each trainer before it starts (the CLI's test hooks).
    public var prepare: ((Trainer) -> Void)?
    /// Called as each run ends, from the worker thread that ran it (serialized).
    public var onFinish: ((UInt64, Result<TrainingSummary, Error>) -> Void)?

    /// Networks held and trained at once.
    public static let groupSize = 64

    let commandLine: (UInt64, String) -> String
    let overwrite: Bool
    let threads: Int

    /// Checks the whole batch before any file is written: paths one per seed and distinct, the configuration
    /// (loading the first seed's data), the memory of a group of networks held at once, the disk space of all the
    /// run files. `commandLine(seed, path)` is the command line stored in that seed's file.
    public init(config: TrainingConfig, seeds: [UInt64], paths: [String], overwrite: Bool = false, threads: Int = 1,
                commandLine: @escaping (UInt64, String) -> String,
                physicalMemory: Double? = nil) throws {
        guard !seeds.isEmpty else { throw TrainingError.option("--seeds: the list is empty") }
        guard paths.count == seeds.count else { throw TrainingError.option("\(paths.count) run files for \(seeds.count) seeds") }
        guard Set(paths).count == paths.count else { throw TrainingError.option("--seeds: two seeds would write the same run file") }
        guard Set(seeds).count == seeds.count else { throw TrainingError.option("--seeds: a seed is listed twice") }
        self.config = config
        self.seeds = seeds
        self.paths = paths
        self.overwrite = overwrite
        self.threads = max(1, threads)
        self.commandLine = commandLine
        // The first seed's data give the sizes; the group is checked before any network is allocated.
        var first = config
        first.seed = seeds[0]
        let (train, test) = try DataLoading.load(first.data, seed: first.seed, preprocessing: first.preprocessing)
        if first.architecture.inputDim == 0 { first.architecture.inputDim = train.inputDim }
        if first.architecture.outputDim == 0 { first.architecture.outputDim = train.outputDim }
        try first.validate()
        try Self.checkMemory(first, networks: min(seeds.count, Self.groupSize), trainRows: train.n,
                             testRows: test?.n ?? 0,
                             budget: physicalMemory.map(MemoryBudget.init(machine:)) ?? .current)
        try Self.checkDisk(first, paths: paths, rows: train.n, replacing: overwrite)
        // Everything else a single run checks (shapes, its own memory, the initialization).
        _ = try Trainer.fresh(first)
    }

    /// Refuses a group of `networks` networks that would not fit together in the memory this process may use.
    static func checkMemory(_ config: TrainingConfig, networks: Int, trainRows: Int, testRows: Int,
                            budget: MemoryBudget) throws {
        let one = ResourceEstimate.parts(config, trainRows: trainRows, testRows: testRows).bytes
        let bytes = one * Double(networks)
        guard bytes > budget.bytes else { return }
        throw TrainingError.resources("--seeds: \(networks) networks trained at once need about \(ResourceEstimate.size(bytes)) "
                            + "of memory (\(ResourceEstimate.size(one)) each), more than the "
                            + "\(ResourceEstimate.size(budget.bytes)) \(budget.bound): split the list into runs of at "
                            + "most \(max(1, Int(budget.bytes / one))) seeds")
    }

    /// Refuses run files that would not fit together on their disks (uncompressed runs; as `Trainer` for one).
    static func checkDisk(_ config: TrainingConfig, paths: [String], rows: Int, replacing: Bool) throws {
        guard config.compression ?? 0 == 0 else { return }
        let parameters = ResourceEstimate.parts(config, trainRows: 0, testRows: 0).parameters
        let snapshots = config.snapshots.countBound(total: config.steps, stepsPerEpoch: config.stepsPerEpoch(rows: rows))
        let each = ResourceEstimate.fileBytes(parameters: parameters, snapshots: Double(snapshots),
                                              steps: Double(config.steps))
        let directory = ((paths[0] as NSString).deletingLastPathComponent as String)
        guard let free = ResourceEstimate.freeBytes(near: directory.isEmpty ? "." : directory) else { return }
        let need = each * Double(paths.count)
        guard need > free else { return }
        throw TrainingError.resources("--seeds: \(paths.count) run files would take about \(ResourceEstimate.size(need)) "
                            + "(\(ResourceEstimate.size(each)) each), more than the \(ResourceEstimate.size(free)) free "
                            + "there: take fewer snapshots or fewer seeds")
    }

    /// Trains every seed, group by group; one result per seed, in the order of `seeds`. A run that fails is marked
    /// failed in its file (as a single run is) and the others go on.
    public func run() -> [Result<TrainingSummary, Error>] {
        var results: [Result<TrainingSummary, Error>] = []
        results.reserveCapacity(seeds.count)
        var lo = 0
        while lo < seeds.count {
            let hi = min(seeds.count, lo + Self.groupSize)
            results += runGroup(lo..<hi)
            lo = hi
        }
        return results
    }

    private func runGroup(_ range: Range<Int>) -> [Result<TrainingSummary, Error>] {
        let workers = min(threads, range.count)
        // Threads beyond one per network go to each network's own team (large layers only, `Trainer.team`).
        let perNetwork = max(1, threads / range.count)
        var results = [Result<TrainingSummary, Error>?](repeating: nil, count: range.count)
        let lock = NSLock()
        func record(_ i: Int, _ result: Result<TrainingSummary, Error>) {
            lock.lock(); defer { lock.unlock() }
            results[i - range.lowerBound] = result
            onFinish?(seeds[i], result)
        }
        // Files are made here, one per seed (in parallel: each loads its own seed's data).
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let mine = WorkerTeam.share(of: range.count, member: w, of: workers).map { $0 + range.lowerBound }
            var running: [(index: Int, trainer: Trainer)] = []
            for i in mine {
                do { running.append((i, try makeTrainer(i, threads: perNetwork, networks: range.count))) } catch { record(i, .failure(error)) }
            }
            running.removeAll { i, t in
                do { try t.begin(); return false } catch {
                    t.abandon(after: error)
                    record(i, .failure(error))
                    return true
                }
            }
            // Lockstep: one step of every network in turn, until each has stopped.
            while !running.isEmpty {
                var k = 0
                while k < running.count {
                    let (i, t) = running[k]
                    do {
                        let stop: (status: RunStatus, message: String)? =
                            t.step < t.config.steps ? try t.advance() : (.completed, "")
                        if let stop {
                            record(i, .success(try t.finish(stop)))
                            running.remove(at: k)
                            continue
                        }
                    } catch {
                        t.abandon(after: error)
                        record(i, .failure(error))
                        running.remove(at: k)
                        continue
                    }
                    k += 1
                }
            }
        }
        return results.map { $0! }
    }

    private func makeTrainer(_ i: Int, threads: Int, networks: Int) throws -> Trainer {
        var c = config
        c.seed = seeds[i]
        let t = try Trainer(start: try Trainer.fresh(c), path: paths[i], commandLine: commandLine(seeds[i], paths[i]),
                            overwrite: overwrite, threads: threads)
        t.synchronousSnapshots = synchronousSnapshots
        t.checkpointInterval = checkpointInterval
        t.snapshotMaxDelay = snapshotMaxDelay
        // The group shares one run's snapshot queue: a network's slots are allocated and cleared when its writer
        // starts, which for short runs cost more than their training.
        t.snapshotQueueBytes = SnapshotPipeline.queueBytes / networks
        t.shouldStop = shouldStop
        prepare?(t)
        return t
    }
}
