import Foundation
import Training

/// The crash tests' hooks, read from the environment once, at the edge of the process: the library takes them as
/// parameters (`FaultInjection`, `Trainer.snapshotMaxDelay`, `Trainer.smallStateBytes`), so in-process tests set them directly and the
/// tests that drive the binary set these variables. Not for users; no option or help text names them.
struct TestHooks {
    /// `CONDENSE_KILL_AFTER_STEP=k` (SIGKILL right after update k) and `CONDENSE_KILL_IN_CHECKPOINT=k` (SIGKILL in
    /// the middle of writing the k-th optimizer state).
    var faults: FaultInjection
    /// `CONDENSE_WRITER_MAX_DELAY=seconds`: the longest a snapshot waits for the writer thread (0: none).
    var writerMaxDelay: Double?
    /// `CONDENSE_SMALL_STATE_BYTES=n`: the largest optimizer state that goes with every snapshot (bytes), lowered so
    /// that a kill test's small network checkpoints as a large one does, at most every `--checkpoint-every` seconds.
    var smallStateBytes: Int?
    /// `CONDENSE_KILL_AFTER_ANALYZED=k`: `condense analyze` sends SIGKILL to itself once the rows of k snapshots
    /// are stored, as an external `kill -9` would land in the middle of writing the analysis.
    var killAfterAnalyzed: Int?
    /// `CONDENSE_KILL_IN_SUMMARY=1`: `condense sweep collect` sends SIGKILL to itself halfway through writing the
    /// summary file.
    var killInSummary: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        faults = FaultInjection(killAfterStep: environment["CONDENSE_KILL_AFTER_STEP"].flatMap { Int($0) },
                                killInCheckpoint: environment["CONDENSE_KILL_IN_CHECKPOINT"].flatMap { Int($0) })
        writerMaxDelay = environment["CONDENSE_WRITER_MAX_DELAY"].flatMap(Double.init).map { max(0, $0) }
        smallStateBytes = environment["CONDENSE_SMALL_STATE_BYTES"].flatMap { Int($0) }
        killAfterAnalyzed = environment["CONDENSE_KILL_AFTER_ANALYZED"].flatMap { Int($0) }
        killInSummary = environment["CONDENSE_KILL_IN_SUMMARY"] == "1"
    }

    /// Hands the training hooks to `trainer`.
    func apply(to trainer: Trainer) {
        trainer.faultInjection = faults
        if let writerMaxDelay { trainer.snapshotMaxDelay = writerMaxDelay }
        if let smallStateBytes { trainer.smallStateBytes = smallStateBytes }
    }
}
