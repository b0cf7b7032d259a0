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
        do {
            // First: a non-UTF-8 argument would reach every later step (the command suggestion too) rewritten.
            try ArgumentEncoding.check()
            if let suggestion = CommandSuggestion.check(Array(CommandLine.arguments.dropFirst()), root: Condense.self) {
                throw UsageError.option(suggestion)
            }
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            // One call into ArgumentParser for a failure: each of exitCode(for:), message(for:) and
            // fullMessage(for:) builds the command's usage text again (every option's definition). A failure with a
            // message starts with the error prefix; only a full text without it may be --help or --version.
            let full = fullMessage(for: error)
            let failed = full.hasPrefix(errorPrefix)
            if !failed && exitCode(for: error) == .success {
                print(full)
                Foundation.exit(0)
            }
            let lines = failed ? full.split(separator: "\n") : []
            var text = lines.first.map(String.init) ?? "\(error)"
            // ArgumentParser lists six or more valid values as bullets under its first line: they join it.
            let values = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
            if !values.isEmpty && text.hasSuffix(":") { text += " " + values.joined(separator: ", ") }
            var line = text.hasPrefix(errorPrefix) ? String(text.dropFirst(errorPrefix.count)) : text
            // Messages quote excerpts of what they reject; this bounds any that still quotes a long value
            // (ArgumentParser's own quote the whole argument).
            if line.count > maximumMessageLength { line = String(line.prefix(maximumMessageLength)) + "…" }
            FileHandle.standardError.write(Data("condense: error: \(line)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// What ArgumentParser puts before a failure's message in `fullMessage(for:)` (its default `_errorPrefix`).
let errorPrefix = "Error: "

/// The longest error line printed (characters); a longer message is cut with "…".
let maximumMessageLength = 1000
