import Foundation
import RunFormat
import Training

extension TrainCommand {
    /// A run killed after its last snapshot and that snapshot's optimizer state reached the file, but before its
    /// status was set, holds the whole run yet still says `running`. `--resume` (without a larger `--steps`) used to
    /// refuse it ("already at step N of N", exit 2), so the next command after such a kill failed and the file kept
    /// saying `running`. It now marks the run completed and says so. Returns whether it did; anything unusual (a
    /// file that does not open, another status, a missing final state) is left to the resume and its messages.
    static func completeFinishedRun(_ path: String, steps: Int?, quiet: Bool) throws -> Bool {
        // A killed --live writer's file is read as its SWMR readers do.
        guard let reader = try? RunReader(path: path, following: RunReader.writerState(path: path) == .writingLive)
        else { return false }
        let finished: Bool = {
            guard reader.status == .running, let json = reader.configJSON,
                  let config = try? TrainingConfig.fromJSON(json), let last = try? reader.steps().last else { return false }
            let total = steps ?? config.steps
            guard last == total,
                  let states = try? reader.optimizerCheckpoints(), states.contains(where: { $0.step == total }) else { return false }
            return true
        }()
        try reader.close()
        guard finished else { return false }
        let writer = try RunWriter.reopen(path: path)
        try writer.setStatus(.completed)
        try writer.close()
        if !quiet {
            print("\(path): already holds the whole run (its writer was stopped after the last snapshot); marked completed")
        }
        return true
    }
}
