import Foundation
import HDF5

/// Where a run stands.
public enum RunState: String, Codable, Sendable, CaseIterable {
    case pending, running, done, failed
}

/// The durable state of one run, `DIR/runs/<id>/record.json`, rewritten atomically at every change.
public struct RunRecord: Codable, Equatable, Sendable {
    public var id: String
    public var index: Int
    public var state: RunState
    /// Times `condense train` was started for this run (fresh or resumed).
    public var attempts: Int
    /// Attempts that failed (interruptions are not failures).
    public var failures: Int
    /// The failure's one error line (last attempt), nil when it did not fail.
    public var error: String?
    public var exitStatus: Int32?
    public var startedUTC: String?
    public var finishedUTC: String?
    public var updatedUTC: String
    /// Seconds of the last attempt.
    public var seconds: Double?
    public var host: String?
    /// Process id of the runner that owns the current attempt.
    public var runnerPID: Int32?

    enum CodingKeys: String, CodingKey {
        case id, index, state, attempts, failures, error, exitStatus = "exit_status", startedUTC = "started_utc"
        case finishedUTC = "finished_utc", updatedUTC = "updated_utc", seconds, host, runnerPID = "runner_pid"
    }

    public init(id: String, index: Int) {
        self.id = id; self.index = index; state = .pending; attempts = 0; failures = 0
        updatedUTC = Timestamp.now()
    }
}

/// The files of a sweep directory: `manifest.json`, and per run `runs/<id>/` holding `run.h5` (the run file),
/// `record.json`, `train.log` (the train command's output, appended per attempt) and `lock`.
public struct SweepDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        self.path = path.hasPrefix("/") ? path
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardized.path
    }

    public func runDirectory(_ id: String) -> String { path + "/runs/" + id }
    public func runFile(_ id: String) -> String { runDirectory(id) + "/run.h5" }
    public func recordPath(_ id: String) -> String { runDirectory(id) + "/record.json" }
    public func logPath(_ id: String) -> String { runDirectory(id) + "/train.log" }
    public func lockPath(_ id: String) -> String { runDirectory(id) + "/lock" }

    public func manifest() throws -> SweepManifest { try SweepManifest.load(directory: path) }

    /// The stored record, or a fresh pending one when the run never started.
    public func record(for run: PlannedRun) throws -> RunRecord {
        if let what = FileKind(path: recordPath(run.id)).notRegularDescription {
            throw SweepError("\(recordPath(run.id)): \(what)")
        }
        guard let data = FileManager.default.contents(atPath: recordPath(run.id)) else {
            return RunRecord(id: run.id, index: run.index)
        }
        do {
            var r = try JSONDecoder().decode(RunRecord.self, from: data)
            r.index = run.index
            return r
        } catch {
            throw SweepError("\(recordPath(run.id)): damaged run record (\(SweepFile.describe(error)))")
        }
    }

    public func save(_ record: RunRecord) throws {
        var r = record
        r.updatedUTC = Timestamp.now()
        try FileManager.default.createDirectory(atPath: runDirectory(r.id), withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try enc.encode(r), to: recordPath(r.id))
    }
}

/// An exclusive `flock` on `runs/<id>/lock`. The train process gets a copy of the descriptor, so the lock is
/// held while either the runner or its child lives: a runner killed with SIGKILL leaves the lock to the child,
/// and a new runner waits for it instead of starting the same run twice.
public final class RunLock {
    public let fd: Int32

    /// nil when another process holds the lock.
    public init?(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SweepError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
        self.fd = fd
    }

    /// Whether some process holds the lock right now (without taking it for longer than the check).
    public static func isHeld(path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return true
    }

    public func release() { close(fd) }
}
