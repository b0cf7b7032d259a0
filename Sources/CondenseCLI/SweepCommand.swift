import ArgumentParser
import Foundation

/// `condense sweep`: a grid of training runs as one file, run on every core or as a Slurm job array, collected
/// into one labeled summary.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Plan, run, monitor and collect sweeps of training runs (locally or as a Slurm job array).",
        discussion: """
        A sweep file (JSON) holds fixed `condense train` options and the axes they vary over:
          {"name": "demo", "options": {"activation": "relu", "steps": 200},
           "axes": [{"option": "gamma", "values": [0.5, 1, 1.75]},
                    {"zip": [{"option": "hidden", "values": [100, 200]}, {"option": "lr", "values": [0.01, 0.005]}]}],
           "seeds": 3}
        Option names are train's long options without dashes; true/false give --flag / --no-flag; a list value \
        repeats the option. Axes multiply (grid); a zip steps its options together; seeds are the last axis.
        """,
        subcommands: [SweepPlanCommand.self, SweepRunCommand.self, SweepStatusCommand.self,
                      SweepSlurmCommand.self, SweepCollectCommand.self])

    /// This executable's own path (children and Slurm tasks run the same binary).
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        let arg = CommandLine.arguments[0]
        return arg.hasPrefix("/") ? arg : FileManager.default.currentDirectoryPath + "/" + arg
    }
}
