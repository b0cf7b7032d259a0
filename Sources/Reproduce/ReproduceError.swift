/// Every error of the Reproduce module, one line each: a reproduce run stopped by a signal (running it again
/// continues), and a run whose analysis is missing when the experiment's summary is written.
public enum ReproduceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `shouldStop` turned true while the experiment's runs were being trained; the finished runs are kept.
    case interrupted
    /// A done run has no analysis to put in the summary; the text is the whole line.
    case analysis(String)

    public var description: String {
        switch self {
        case .interrupted: return "interrupted; run the same command again to continue"
        case .analysis(let line): return line
        }
    }
}
