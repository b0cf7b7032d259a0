/// Every error of the Training module, one line each, by what the caller can do about it: fix an option, fix the
/// data, ask for less (memory or disk), or give another run file to resume.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option value out of range, not understood, or not applicable here; the text names the option.
    case option(String)
    /// A data file or data set that cannot be used as given (missing, unreadable, malformed, shapes that do not
    /// fit); the text names the file and, where it can, the line, column or sample.
    case data(String)
    /// The run would need more memory or disk than this machine has; the text says how much and what to change.
    case resources(String)
    /// A run file whose stored configuration, snapshots or optimizer state cannot be read back or resumed; the
    /// text names the file or the stored option.
    case run(String)

    public var description: String {
        switch self {
        case .option(let line), .data(let line), .resources(let line), .run(let line): return line
        }
    }
}
