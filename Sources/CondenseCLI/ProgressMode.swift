import ArgumentParser
import Foundation
import Training

/// How `condense train` reports progress on stderr.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    /// `terminal` when stderr is a terminal, else `lines`.
    case auto
    /// One self-overwriting line.
    case terminal
    /// A plain line at most every `ProgressLine.lineInterval` seconds, starting with the first report: for batch logs
    /// (a Slurm job's output file, `nohup`, a pipe), where an overwriting line would never be seen.
    case lines
    case none
}
