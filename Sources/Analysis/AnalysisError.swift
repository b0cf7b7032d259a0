/// Every error of the Analysis module, one line each: inputs to a routine that do not fit together, a run file
/// that cannot be analyzed as asked, and why the p = 1 prediction is not available for a file.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands have incompatible shapes; the text names them.
    case shape(String)
    /// An option is out of its range; the text names it and the range.
    case option(String)
    /// A run file that cannot be analyzed as asked; the text is the whole line (it names the file).
    case run(String)
    /// Why the p = 1 direction v = Σᵢ eᵢ (xᵢ, 1) cannot be computed for a file (`RunAnalyzer` then analyzes it
    /// without the prediction and says why in its note).
    case predictionUnavailable(String)

    public var description: String {
        switch self {
        case .shape(let what): return "analysis: shape mismatch: \(what)"
        case .option(let what): return "analysis: invalid option: \(what)"
        case .run(let line): return line
        case .predictionUnavailable(let reason): return "the p = 1 prediction is unavailable: \(reason)"
        }
    }
}
