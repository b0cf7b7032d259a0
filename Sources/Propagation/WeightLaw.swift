import Foundation
import Model

/// What the theory needs to know about how a setup's hidden layers are drawn, read off the `InitScheme` (and the
/// bias override) rather than assumed: per layer σ_w² = fanIn × entry variance, the within-row correlation κ, the
/// bias variance, and the family of the weight law.
public struct WeightLaw: Sendable, Equatable {
    public enum Family: String, Sendable {
        /// iid (or, with κ ≠ 0, row-wise jointly) Gaussian rows: gaussian, he_normal, lecun_normal, xavier_normal,
        /// anti_correlated, lyapunov_gaussian, rai_matched_gaussian.
        case gaussian
        /// gain × orthonormal rows/columns: orthogonal, lyapunov_orthogonal.
        case orthogonal
        /// iid zero-mean but not Gaussian (uniform, he_uniform, xavier_uniform): mean-field only.
        case otherZeroMean = "other zero-mean"
        /// Anything else (e.g. RAI's positive entry): no prediction applies.
        case unknown
    }

    public let family: Family
    /// σ_w² per hidden layer (index 0 = layer 1).
    public let weightVariance: [Double]
    /// Entry std per hidden layer (√(σ_w²/fanIn)).
    public let entryStd: [Double]
    public let kappa: Double
    public let biasVariance: Double

    public init(setup: PropagationSetup) {
        let scheme = setup.initScheme
        let spec = scheme.spec.lowercased()
        let name = String(spec.prefix { $0 != "(" })
        switch name {
        case "gaussian", "he_normal", "lecun_normal", "xavier_normal", "anti_correlated", "lyapunov_gaussian", "rai_matched_gaussian":
            family = .gaussian
        case "orthogonal", "lyapunov_orthogonal":
            family = .orthogonal
        case "uniform", "he_uniform", "xavier_uniform":
            family = .otherZeroMean
        default:
            family = .unknown
        }
        kappa = name == "anti_correlated" ? Self.parameter("kappa", in: spec) ?? 0 : 0
        let widths = setup.widths
        var variances: [Double] = [], stds: [Double] = []
        for l in stride(from: 1, through: setup.depth, by: 1) {
            let fanIn = widths[l - 1], fanOut = widths[l]
            let v = scheme.weightVariance(fanIn: fanIn, fanOut: fanOut)
            if name == "anti_correlated", let s2 = Self.parameter("sigma2", in: spec) {
                // Entry variance (σ_w²/N)(1 + κ/N): the scheme's σ_w² is its sigma2, not N × the entry variance.
                variances.append(s2)
            } else {
                variances.append(Double(fanIn) * v)
            }
            stds.append(v.squareRoot())
        }
        weightVariance = variances
        entryStd = stds
        if let b = setup.biasStd {
            biasVariance = b * b
        } else if scheme.drawsBias {
            // The scheme's own bias law has the same variance as its weight entries (gaussian, uniform).
            biasVariance = scheme.weightVariance(fanIn: 1, fanOut: 1)
        } else {
            biasVariance = 0
        }
    }

    /// `key=value` inside a canonical spec, e.g. kappa in `anti_correlated(kappa=-0.5)`.
    static func parameter(_ key: String, in spec: String) -> Double? {
        guard let open = spec.firstIndex(of: "("), spec.hasSuffix(")") else { return nil }
        let inner = spec[spec.index(after: open)..<spec.index(before: spec.endIndex)]
        for part in inner.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0] == key { return Double(kv[1]) }
        }
        return nil
    }

    /// Whether the weights are zero-mean with a known second-moment structure (the mean-field maps apply).
    public var meanFieldApplies: Bool { family != .unknown }
}

/// The slope α when the activation is in the leaky-ReLU family φ(x) = max(x, αx): relu 0, leaky_relu(α), linear 1.
public func leakySlope(ofActivation spec: String) -> Double? {
    guard let a = try? Activation(parsing: spec) else { return nil }
    let s = a.spec
    if s == "relu" { return 0 }
    if s == "linear" { return 1 }
    if s.hasPrefix("leaky_relu("), s.hasSuffix(")") {
        let inner = s.dropFirst("leaky_relu(".count).dropLast()
        if let v = Double(inner), v >= 0, v <= 1 { return v }
    }
    return nil
}
