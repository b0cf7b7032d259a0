import Foundation
import RunFormat

/// Runs that differ only in `--seed` and have no run file yet go to one `condense train --seeds a,b,… --seed-output
/// FILE …` child (`SeedBatch`: each file is the one `--seed S` gives alone), so a sweep over seeds pays one process
/// start per batch instead of one per run. Which runs and how many per child is `SeedGrouping`'s rule (shared with
/// `sweep slurm`'s array tasks): a grid point's seeds go to one child, or are split evenly over the free job slots
/// when there are fewer queued points than free slots; at most `SeedGrouping.maximumBatch` per child.
///
/// Every run keeps its own lock (all held by the child, as a single run's is), its own record (`running` with
/// its attempt counted before the child starts) and its own outcome, read from its run file when the child ends: a
/// finished file is `done`; a stopped runner's children leave `pending` runs that the next runner resumes one by
/// one (`--resume`, the run file's own state); anything else is `failed` and retried singly. The child's output goes
/// to the first run's `train.log` and, when it ends, is copied into every other run's.
extension SweepRunner {
    struct SeedBatchChild {
        var members: [Active]
        /// The log the child writes, and where this attempt's output starts in it.
        var log: String
        var logOffset: UInt64
    }

    /// Starts one child for the first queued run and the queued runs that differ from it only in seed, when there
    /// are at least two that need a fresh start; false (nothing taken from the queue) otherwise.
    func startSeedBatch(_ queue: inout [PlannedRun], deferred: inout [PlannedRun]) throws -> Bool {
        // Only runs without a run file: any file (finished, resumable, failed) goes through `start`.
        func fresh(_ run: PlannedRun) -> Bool { !FileManager.default.fileExists(atPath: directory.runFile(run.id)) }
        guard let first = queue.first, fresh(first), let (_, rest) = SeedGrouping.seedAndRest(first.arguments) else { return false }
        let same = queue.indices.filter { SeedGrouping.seedAndRest(queue[$0].arguments)?.rest == rest && fresh(queue[$0]) }
        // The free job slots shared among the queue's grid points: a point with slots to spare is split over them,
        // else it goes to one child whole.
        let points = Set(queue.compactMap { SeedGrouping.seedAndRest($0.arguments)?.rest }).count
        let size = SeedGrouping.batchSize(runs: same.count, points: points,
                                          freeSlots: jobs - active.count - seedBatches.count)
        guard size >= 2 else { return false }
        var members: [Active] = [], taken: Set<Int> = [], held: Set<Int> = []
        for index in same where members.count < size {
            let run = queue[index]
            try FileManager.default.createDirectory(atPath: directory.runDirectory(run.id), withIntermediateDirectories: true)
            guard let lock = try RunLock(path: directory.lockPath(run.id)) else { held.insert(index); continue }
            let record = try directory.record(for: run)
            guard needsWork(record), fresh(run) else {
                lock.release()
                continue
            }
            members.append(Active(run: run, record: record, lock: lock, started: Date(), logOffset: 0))
            taken.insert(index)
        }
        guard members.count >= 2 else {
            members.forEach { $0.lock.release() }
            return false
        }
        deferred += held.sorted().map { queue[$0] }
        queue = queue.indices.filter { !taken.contains($0) && !held.contains($0) }.map { queue[$0] }
        try launch(members, rest: rest)
        return true
    }

    private func launch(_ members: [Active], rest: [String]) throws {
        var members = members
        let seeds = members.map { SeedGrouping.seedAndRest($0.run.arguments)!.seed }
        var arguments = ["train"] + rest + ["--seeds", seeds.map(String.init).joined(separator: ",")]
        for m in members { arguments += ["--seed-output", directory.runFile(m.run.id)] }
        arguments += ["--force", "--threads", "1"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        env["OMP_NUM_THREADS"] = "1"
        env["CONDENSE_SWEEP_PARENT"] = String(getpid())
        let log = directory.logPath(members[0].run.id)
        let offset = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? UInt64) ?? 0
        var firstHeaderBytes = 0
        for (k, m) in members.enumerated() {
            let header = "== \(Timestamp.now()) attempt \(m.record.attempts + 1): "
                + (k == 0 ? "condense \(arguments.joined(separator: " "))\n"
                          : "trained with runs \(members.map { String($0.run.index) }.joined(separator: ", ")) in one process (the command is in \(log)); its output follows when it ends\n")
            if k == 0 { firstHeaderBytes = header.utf8.count }
            let path = directory.logPath(m.run.id)
            if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(Data(header.utf8)); h.closeFile() }
            else { _ = FileManager.default.createFile(atPath: path, contents: Data(header.utf8)) }
            members[k].record.state = .running
            members[k].record.attempts += 1
            members[k].record.startedUTC = Timestamp.now()
            members[k].record.finishedUTC = nil
            members[k].record.host = ProcessInfo.processInfo.hostName
            members[k].record.runnerPID = getpid()
            try directory.save(members[k].record)
        }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: env, log: log,
                                           holding: members[0].lock.fd, holdingAlso: members.dropFirst().map(\.lock.fd))
        } catch {
            for var m in members {
                m.record.state = .failed; m.record.failures += 1; m.record.error = "\(error)"; m.record.exitStatus = nil
                try directory.save(m.record)
                m.lock.release()
            }
            return
        }
        seedBatches[child.pid] = SeedBatchChild(members: members, log: log,
                                                logOffset: offset + UInt64(firstHeaderBytes))
    }

    /// Records each run of an ended batch from its run file; returns how many finished and which to queue again.
    func finishSeedBatch(_ batch: SeedBatchChild, ending: ChildProcess.Ending) throws
        -> (completed: Int, again: [PlannedRun]) {
        var completed = 0, again: [PlannedRun] = []
        let interrupted: Bool
        switch ending {
        case .exited(130), .signaled(SIGTERM), .signaled(SIGINT): interrupted = stopping
        default: interrupted = false
        }
        let error = errorLine(log: batch.log, from: batch.logOffset, ending: ending)
        // The child's output of this attempt, copied into every other run's own log.
        var output = Data()
        if let h = FileHandle(forReadingAtPath: batch.log) {
            h.seek(toFileOffset: batch.logOffset)
            output = h.readDataToEndOfFile()
            h.closeFile()
        }
        for a in batch.members.dropFirst() {
            if let h = FileHandle(forWritingAtPath: directory.logPath(a.run.id)) {
                h.seekToEndOfFile(); h.write(output); h.closeFile()
            }
        }
        for a in batch.members {
            defer { a.lock.release() }
            var r = a.record
            r.seconds = Date().timeIntervalSince(a.started)
            r.runnerPID = nil
            let label = "run \(a.run.index) (\(a.run.id))"
            let path = directory.runFile(a.run.id)
            if case .finished = RunFileState(path: path) {
                r.state = .done; r.error = nil; r.exitStatus = 0; r.finishedUTC = Timestamp.now()
                durations.append(r.seconds! / Double(batch.members.count))   // the time-left estimate is per run
                try directory.save(r)
                completed += 1
                continue
            }
            if interrupted {
                r.state = .pending; r.exitStatus = nil
                try directory.save(r)
                onEvent?("\(label): interrupted, will resume from its last snapshot")
                continue
            }
            r.state = .failed
            r.failures += 1
            if (try? RunReader(path: path)).map({ r in defer { try? r.close() }; return r.status == .diverged }) == true {
                r.exitStatus = 3
                r.error = "training diverged (its final snapshot is marked diverged)"
            } else {
                switch ending {
                case .exited(let code): r.exitStatus = code == 0 || code == 3 ? 1 : code
                case .signaled: r.exitStatus = nil
                }
                r.error = error
            }
            r.finishedUTC = Timestamp.now()
            try directory.save(r)
            let retry = needsWork(r) && !stopping
            onEvent?("\(label) failed: \(r.error ?? "?")\(retry ? " (will retry)" : "")")
            if retry { again.append(a.run) }
        }
        return (completed, again)
    }
}
