import ArgumentParser
import Foundation

/// Thread and job counts from the command line (`--threads`, `--jobs`): at least one, and at most
/// `oversubscription` times the logical CPUs this process may use. More workers than that only slow the work down
/// (a training team's members spin and yield for the cores), and a mistyped count such as `--threads 100000`
/// can exhaust the process limit before the first step and take the shell with it.
enum WorkerCount {
    static let oversubscription = 4

    /// The largest count accepted on this machine.
    static var limit: Int { oversubscription * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A one-line usage error naming `option` when `count` is out of range.
    static func check(_ count: Int, option: String) throws {
        guard count >= 1 else { throw UsageError.option("\(option) must be ≥ 1 (got \(count))") }
        guard count <= limit else {
            throw UsageError.option("\(option) must be at most \(limit) (\(oversubscription) × the "
                             + "\(ProcessInfo.processInfo.activeProcessorCount) logical CPUs here; got \(count))")
        }
    }
}
