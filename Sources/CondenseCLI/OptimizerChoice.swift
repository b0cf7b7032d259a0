import ArgumentParser
import Training

/// `--optimizer`: Adam, or SGD plain, with momentum or with Nesterov momentum (upper or lower case).
enum OptimizerChoice: String, CaseIterable, ExpressibleByArgument {
    case sgd, momentum, nesterov, adam

    init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    static var allValueDescriptions: [String: String] {
        ["sgd": "plain SGD (momentum 0 unless --momentum)", "momentum": "SGD with momentum (default 0.9)",
         "nesterov": "SGD with Nesterov momentum (default 0.9)", "adam": "Adam (the default)"]
    }

    /// The optimizer `o` becomes with this choice; `momentum` is the one given on the command line.
    func apply(to o: inout OptimizerConfig, momentum: Double?) {
        switch self {
        case .sgd: o.kind = .sgd; o.momentum = momentum ?? 0; o.nesterov = false
        case .momentum: o.kind = .sgd; o.momentum = momentum ?? 0.9; o.nesterov = false
        case .nesterov: o.kind = .sgd; o.momentum = momentum ?? 0.9; o.nesterov = true
        case .adam: o.kind = .adam
        }
    }
}
