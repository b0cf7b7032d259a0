import ArgumentParser
import Foundation

/// `condense`: train small networks from small initialization and study the condensation of their neurons.
@main
struct Condense: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "condense",
        abstract: "Train fully connected networks from small initialization and study condensation.",
        version: BuildInfo.versionLine,
        subcommands: [TrainCommand.self, AnalyzeCommand.self, InspectCommand.self, MultiplicityCommand.self,
                      PropagateCommand.self, SweepCommand.self, CompareInitCommand.self,
                      ReproduceCommand.self])

    /// Every failure leaves as one line on stderr and exit status 2 (bad input) — never a stack trace.
    static func main() {
        if let suggestion = CommandSuggestion.check(Array(CommandLine.arguments.dropFirst()), root: Condense.self) {
            FileHandle.standardError.write(Data("condense: error: \(suggestion)\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {          // --help, --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let line = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
            FileHandle.standardError.write(Data("condense: error: \(line)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// An error raised by our own checks; its description is the one line shown to the user.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Exit statuses beyond 0 (success) and 2 (bad input).
enum ExitStatus {
    static let diverged: Int32 = 3
    static let interrupted: Int32 = 130
}
