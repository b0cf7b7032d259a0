/// Faults the crash tests inject into a run, as parameters its caller passes (`Trainer.faultInjection`): the CLI
/// fills it once from its test-only environment variables, an in-process test sets it directly. Empty by default,
/// so that nothing is injected.
public struct FaultInjection: Sendable, Equatable {
    /// Send SIGKILL to this process right after update k, as an external `kill -9` between two snapshots would.
    public var killAfterStep: Int?
    /// Send SIGKILL to this process in the middle of writing its k-th optimizer state (`RunWriter.killInCheckpoint`).
    public var killInCheckpoint: Int?

    public init(killAfterStep: Int? = nil, killInCheckpoint: Int? = nil) {
        self.killAfterStep = killAfterStep
        self.killInCheckpoint = killInCheckpoint
    }
}
