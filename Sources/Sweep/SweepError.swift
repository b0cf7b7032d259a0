/// Every error of the Sweep module, one line each (the CLI prints it and exits with status 2): a sweep file that is
/// rejected, runs that cannot be planned, a sweep directory (manifest, run record) that is missing or damaged, a
/// command option out of range, a sweep that cannot be collected, and what the system refused.
public enum SweepError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The sweep file (JSON) is unreadable or does not describe a sweep; the text is the whole line.
    case sweepFile(String)
    /// The sweep's runs cannot be planned (`condense train` rejects a run's options, or two runs are the same
    /// configuration); the text is the whole line.
    case plan(String)
    /// The sweep directory, its manifest or a run record is missing, damaged or of another format; the text is the
    /// whole line (it names the path).
    case directory(String)
    /// A command option out of range (`--index`, `--mem`, `--time`); the text is the whole line.
    case option(String)
    /// The finished runs cannot be collected into one summary as asked; the text is the whole line.
    case collect(String)
    /// The system refused (starting a process, opening or writing a file); the text is the whole line.
    case system(String)

    public var description: String {
        switch self {
        case .sweepFile(let line), .plan(let line), .directory(let line), .option(let line), .collect(let line),
             .system(let line):
            return line
        }
    }
}
