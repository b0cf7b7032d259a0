/// An error raised by our own checks, by what the user can change; its description is the one line shown to the
/// user (exit status 2).
enum UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option or argument value that is invalid, or options that do not go together; the text names them.
    case option(String)
    /// An input (a data or run file) that cannot be used as asked; the text names the file.
    case input(String)
    /// An output path that cannot be written as given (exists, is a directory, its directory is missing).
    case output(String)
    /// An external tool the command runs (sbatch) is missing or failed.
    case tool(String)
    /// The user stopped the command (a signal) before it finished.
    case interrupted(String)

    var description: String {
        switch self {
        case .option(let line), .input(let line), .output(let line), .tool(let line), .interrupted(let line):
            return line
        }
    }
}
