import Foundation
import HDF5

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
