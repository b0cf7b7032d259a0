import ArgumentParser
import Model

/// `--loss`: the names the command line uses (also `mse`, `ce`, `half_sum` and the like, in any case).
extension LossKind: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "half-sum", "halfsum": self = .halfSum
        case "mean", "mse": self = .mean
        case "cross-entropy", "crossentropy", "ce": self = .crossEntropy
        default: return nil
        }
    }

    /// The name on the command line.
    var argumentName: String {
        switch self {
        case .halfSum: return "half-sum"
        case .mean: return "mean"
        case .crossEntropy: return "cross-entropy"
        }
    }

    public var defaultValueDescription: String { argumentName }
    public static var allValueStrings: [String] { [LossKind.halfSum, .mean, .crossEntropy].map(\.argumentName) }
    public static var allValueDescriptions: [String: String] {
        ["half-sum": "1/(2n)·Σ‖f−y‖², the papers' (the default)", "mean": "PyTorch MSELoss",
         "cross-entropy": "PyTorch CrossEntropyLoss of the outputs as logits (needs ≥ 2 outputs: --labels one-hot)"]
    }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
