import Foundation
import RunFormat

/// Runs a sweep's pending runs as `condense train` child processes, `jobs` at a time, each with one BLAS thread.
///
/// Per run, under its lock (`RunLock`): a done record is skipped; a run file that is already complete is
/// recorded done without training (the runner was killed between the child's end and the record); a run file
/// with snapshots is resumed (`condense train --resume`); anything else starts fresh. Failures are retried up to
/// `retries` times, except bad input (exit 2) and divergence (exit 3), which would fail the same way again.
/// When `shouldStop` turns true no new run starts, children get SIGTERM (they write a final snapshot and exit
/// 130) and their records go back to pending.
public final class SweepRunner {
    public let directory: SweepDirectory
    public let manifest: SweepManifest
    public let executable: String
    public let jobs: Int
    public let retries: Int
    public var retryFailed = false
    public var shouldStop: () -> Bool = { false }
    public var onProgress: ((SweepProgress) -> Void)?
    /// One line per run that ends (done, failed, interrupted).
    public var onEvent: ((String) -> Void)?

    struct Active {
        var run: PlannedRun
        var record: RunRecord
        var lock: RunLock
        var started: Date
        var logOffset: UInt64
    }
    var active: [pid_t: Active] = [:]
    /// Children that train several runs differing only in seed (`SweepRunner+SeedBatches.swift`).
    var seedBatches: [pid_t: SeedBatchChild] = [:]
    var durations: [Double] = []
    var stopping = false

    public init(directory: SweepDirectory, manifest: SweepManifest, executable: String, jobs: Int, retries: Int) {
        self.directory = directory; self.manifest = manifest; self.executable = executable
        self.jobs = max(1, jobs); self.retries = max(0, retries)
    }

    /// Runs every run that needs work (or only the runs at `indices`: a Slurm array task's run, or its group of
    /// runs differing only in seed), waiting for runs another process holds.
    public func run(only indices: [Int]? = nil) throws -> SweepOutcome {
        let chosen: [PlannedRun]
        if let indices {
            for index in indices where !manifest.runs.indices.contains(index) {
                throw SweepError.option("--index \(index): the sweep has runs 0…\(manifest.runs.count - 1)")
            }
            chosen = indices.map { manifest.runs[$0] }
        } else { chosen = manifest.runs }
        var queue = try chosen.filter { try needsWork(directory.record(for: $0)) }
        var deferred: [PlannedRun] = []
        var completedHere = 0
        var lastProgress = Date.distantPast
        while true {
            if !stopping && shouldStop() {
                stopping = true
                for pid in Array(active.keys) + Array(seedBatches.keys) { kill(pid, SIGTERM) }
            }
            while !stopping && active.count + seedBatches.count < jobs && !queue.isEmpty {
                if try startSeedBatch(&queue, deferred: &deferred) { continue }
                let run = queue.removeFirst()
                if try !start(run) { deferred.append(run) }
            }
            if active.isEmpty && seedBatches.isEmpty {
                if stopping || deferred.isEmpty { break }
                // Runs held by another process (a second runner, or the child of a killed one): wait, re-check.
                usleep(200_000)
                queue = try deferred.filter { try needsWork(directory.record(for: $0)) }
                deferred = []
                continue
            }
            var reaped = false
            while let (pid, ending) = ChildProcess.reap() {
                if let batch = seedBatches.removeValue(forKey: pid) {
                    let (completed, again) = try finishSeedBatch(batch, ending: ending)
                    completedHere += completed
                    queue += again
                    reaped = true
                    continue
                }
                guard let a = active.removeValue(forKey: pid) else { continue }
                if try finish(a, ending: ending) { completedHere += 1 } else if try needsWork(directory.record(for: a.run)), !stopping {
                    queue.append(a.run)          // a retry goes to the back
                }
                reaped = true
            }
            if reaped || Date().timeIntervalSince(lastProgress) > 0.5 {
                try report(chosen)
                lastProgress = Date()
            }
            if !reaped { usleep(5_000) }
        }
        var outcome = SweepOutcome(done: 0, failed: 0, pending: 0, interrupted: stopping, completedHere: completedHere)
        for run in chosen {
            switch try directory.record(for: run).state {
            case .done: outcome.done += 1
            case .failed: outcome.failed += 1
            case .pending, .running: outcome.pending += 1
            }
        }
        return outcome
    }

    func needsWork(_ r: RunRecord) -> Bool {
        switch r.state {
        case .done: return false
        case .failed:
            if retryFailed { return true }
            return r.failures <= retries && r.exitStatus != 2 && r.exitStatus != 3
        case .pending, .running: return true
        }
    }

    /// Starts one run; false when another process holds it.
    private func start(_ run: PlannedRun) throws -> Bool {
        try FileManager.default.createDirectory(atPath: directory.runDirectory(run.id), withIntermediateDirectories: true)
        guard let lock = try RunLock(path: directory.lockPath(run.id)) else { return false }
        var record = try directory.record(for: run)
        guard needsWork(record) else { lock.release(); return true }
        if retryFailed && record.state == .failed { record.failures = 0 }
        let path = directory.runFile(run.id)
        var arguments: [String]
        switch RunFileState(path: path) {
        case .finished:
            record.state = .done; record.error = nil; record.exitStatus = 0
            record.finishedUTC = record.finishedUTC ?? Timestamp.now()
            try directory.save(record)
            lock.release()
            onEvent?("run \(run.index) (\(run.id)): already complete in its run file, recorded done")
            return true
        case .resumable: arguments = ["train", "--resume", path]
        case .absent: arguments = ["train"] + run.arguments + ["-o", path, "--force"]
        }
        arguments += ["--threads", "1"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        env["OMP_NUM_THREADS"] = "1"
        env["CONDENSE_SWEEP_PARENT"] = String(getpid())
        let log = directory.logPath(run.id)
        let offset = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? UInt64) ?? 0
        let header = "== \(Timestamp.now()) attempt \(record.attempts + 1): condense \(arguments.joined(separator: " "))\n"
        if let h = FileHandle(forWritingAtPath: log) { h.seekToEndOfFile(); h.write(Data(header.utf8)); h.closeFile() }
        else { _ = FileManager.default.createFile(atPath: log, contents: Data(header.utf8)) }
        record.state = .running
        record.attempts += 1
        record.startedUTC = Timestamp.now()
        record.finishedUTC = nil
        record.host = ProcessInfo.processInfo.hostName
        record.runnerPID = getpid()
        try directory.save(record)
        let child: ChildProcess
        do { child = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: env, log: log,
                                                holding: lock.fd) } catch {
            record.state = .failed; record.failures += 1; record.error = "\(error)"; record.exitStatus = nil
            try directory.save(record)
            lock.release()
            return true
        }
        active[child.pid] = Active(run: run, record: record, lock: lock, started: Date(),
                                   logOffset: offset + UInt64(header.utf8.count))
        return true
    }

    /// Records how a child ended; true when the run is now done.
    private func finish(_ a: Active, ending: ChildProcess.Ending) throws -> Bool {
        defer { a.lock.release() }
        var r = a.record
        r.seconds = Date().timeIntervalSince(a.started)
        r.runnerPID = nil
        let label = "run \(a.run.index) (\(a.run.id))"
        switch ending {
        case .exited(0):
            r.state = .done; r.error = nil; r.exitStatus = 0; r.finishedUTC = Timestamp.now()
            durations.append(r.seconds!)
            try directory.save(r)
            return true
        case .exited(130) where stopping, .signaled(SIGTERM) where stopping, .signaled(SIGINT) where stopping:
            r.state = .pending; r.exitStatus = nil
            try directory.save(r)
            onEvent?("\(label): interrupted, will resume from its last snapshot")
            return false
        default:
            r.state = .failed
            r.failures += 1
            switch ending {
            case .exited(let code): r.exitStatus = code
            case .signaled: r.exitStatus = nil
            }
            r.error = errorLine(log: directory.logPath(a.run.id), from: a.logOffset, ending: ending)
            r.finishedUTC = Timestamp.now()
            try directory.save(r)
            let again = needsWork(r) && !stopping
            onEvent?("\(label) failed: \(r.error ?? "?")\(again ? " (will retry)" : "")")
            return false
        }
    }

    /// The child's last `condense: …` line of this attempt, else its last line, else how it ended.
    func errorLine(log: String, from offset: UInt64, ending: ChildProcess.Ending) -> String {
        var text = ""
        if let h = FileHandle(forReadingAtPath: log) {
            h.seek(toFileOffset: offset)
            text = String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
            h.closeFile()
        }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let line = lines.last(where: { $0.hasPrefix("condense: ") }) {
            return line.hasPrefix("condense: error: ") ? String(line.dropFirst(17)) : String(line.dropFirst(10))
        }
        switch ending {
        case .signaled(let s): return "killed by signal \(s)" + (lines.last.map { " after: \($0)" } ?? "")
        case .exited(let c): return lines.last.map { "exit status \(c): \($0)" } ?? "exit status \(c)"
        }
    }

    private func report(_ runs: [PlannedRun]) throws {
        guard let onProgress else { return }
        let batched = seedBatches.values.flatMap(\.members)
        var p = SweepProgress(done: 0, failed: 0, running: active.count + batched.count, pending: 0, secondsLeft: .nan)
        let running = Set((Array(active.values) + batched).map(\.run.id))
        for run in runs where !running.contains(run.id) {
            let r = try directory.record(for: run)
            switch r.state {
            case .done: p.done += 1
            case .failed: if needsWork(r) { p.pending += 1 } else { p.failed += 1 }
            case .pending, .running: p.pending += 1
            }
        }
        if !durations.isEmpty {
            let mean = durations.reduce(0, +) / Double(durations.count)
            let left = p.pending + p.running
            p.secondsLeft = mean * Double(left) / Double(max(1, min(jobs, left)))
        }
        onProgress(p)
    }
}
