/// Inputs to an analysis routine that do not fit together.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands have incompatible shapes; the text names them.
    case shape(String)
    /// An option is out of its range; the text names it and the range.
    case option(String)

    public var description: String {
        switch self {
        case .shape(let what): return "analysis: shape mismatch: \(what)"
        case .option(let what): return "analysis: invalid option: \(what)"
        }
    }
}
