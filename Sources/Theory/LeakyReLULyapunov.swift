import Foundation

/// The Lyapunov exponent of a deep leaky-ReLU network of constant width d without biases,
/// X_l = φ(W_l X_{l−1}), φ(x) = max(x, αx), and the initialization scales that make it zero
/// (Kogler, Schwarz & Kittle 2026; the formulas are derived in `docs/theory.md` §B).
///
/// **Width.** Given X_{l−1}, W X_{l−1} ~ N(0, σ²‖X_{l−1}‖² I_d) where d is the number of OUTPUTS (rows) of W,
/// so for a fanOut × fanIn block d = fanOut. The one-layer growth factor R = ‖X_l‖/‖X_{l−1}‖ has
/// R² = σ²·χ²_d·(α² + (1 − α²)U) with U | K ~ Beta(K/2, (d−K)/2), K ~ Bin(d, 1/2) the number of positive
/// pre-activations (U = 0 for K = 0, U = 1 for K = d), the χ² independent of (K, U). Hence
///
///     m(d, α)  = E log(α² + (1 − α²)U)                      (logMixtureMean; exact mixture over K)
///     λ_G(σ)   = log σ + ½[log 2 + ψ(d/2) + m]              W_ij ~ N(0, σ²)
///     λ_O(η)   = log η + ½ m                                W = η·O, O Haar on O(d)
///     σ_crit   = exp(−½[log 2 + ψ(d/2) + m]),  η_crit = exp(−½ m)      (λ = 0)
///     v_G²     = ¼[ψ′(d/2) + Var L],  v_O² = ¼ Var L,  L = log(α² + (1 − α²)U)   (CLT variance per layer)
///
/// The orthogonal formulas are exact for square layers (fanOut = fanIn = d), where ‖O x‖ = ‖x‖.
/// α = 0 (plain ReLU) is excluded: every layer kills the signal with probability 2^−d, so λ = −∞.
public struct LeakyReLULyapunov: Sendable {
    public let width: Int
    public let slope: Double
    private let mixture: (mean: Double, variance: Double)

    /// Computes m(d, α) and Var L once (the mixture quadrature). Throws a one-line `TheoryError.lyapunov` for d < 1 or
    /// α ∉ (0, 1] (α = 0 with its own message: λ = −∞).
    public init(width d: Int, slope alpha: Double) throws {
        guard d >= 1 else { throw TheoryError.lyapunov("Lyapunov exponent: width must be ≥ 1 (got \(d))") }
        if alpha == 0 {
            throw TheoryError.lyapunov("Lyapunov exponent: slope 0 is plain ReLU, where λ = −∞ (a layer is dead with probability 2^−d), so no finite critical scale exists; use a slope in (0, 1]")
        }
        guard alpha > 0 && alpha <= 1 else {
            throw TheoryError.lyapunov("Lyapunov exponent: slope must be in (0, 1] (got \(alpha))")
        }
        width = d
        slope = alpha
        mixture = Self.logMixtureMoments(width: d, slope: alpha)
    }

    /// m(d, α) = E log(α² + (1 − α²)U), by the exact mixture over K of Beta quadratures.
    public var logMixtureMean: Double { mixture.mean }
    /// Var log(α² + (1 − α²)U) over the same mixture.
    public var logMixtureVariance: Double { mixture.variance }

    /// ½·E log χ²_d = ½(log 2 + ψ(d/2)): the part of λ_G that orthogonal weights do not have.
    private var chiSquareHalfLogMean: Double { 0.5 * (log(2.0) + SpecialFunctions.digamma(Double(width) / 2)) }

    /// λ_G(σ) for W_ij ~ N(0, σ²) iid.
    public func exponentGaussian(std sigma: Double) -> Double {
        log(sigma) + chiSquareHalfLogMean + 0.5 * logMixtureMean
    }

    /// λ_O(η) for W = η·O, O Haar-orthogonal d × d.
    public func exponentOrthogonal(gain eta: Double) -> Double {
        log(eta) + 0.5 * logMixtureMean
    }

    /// σ_crit: the entry standard deviation with λ_G = 0.
    public var criticalStd: Double { exp(-chiSquareHalfLogMean - 0.5 * logMixtureMean) }

    /// η_crit: the orthogonal gain with λ_O = 0.
    public var criticalGain: Double { exp(-0.5 * logMixtureMean) }

    /// v_G² = ¼[ψ′(d/2) + Var L]: Var log R per layer for Gaussian weights.
    public var cltVarianceGaussian: Double {
        0.25 * (SpecialFunctions.trigamma(Double(width) / 2) + logMixtureVariance)
    }

    /// v_O² = ¼ Var L: Var log R per layer for orthogonal weights.
    public var cltVarianceOrthogonal: Double { 0.25 * logMixtureVariance }

    // MARK: - The two ways to compute m

    /// Mean and variance of L = log(α² + (1 − α²)U) by the exact mixture: Σ_K C(d,K)2^−d · E[L | K], with the
    /// endpoint terms L = log α² (K = 0) and L = 0 (K = d) and `Quadrature.betaExpectations` for
    /// U ~ Beta(K/2, (d−K)/2) in between. Terms with binomial weight below 10⁻²⁵ are left out.
    /// Near u = 1, L is evaluated as log1p(−(1 − α²)(1 − u)) so that it keeps its relative accuracy.
    public static func logMixtureMoments(width d: Int, slope alpha: Double) -> (mean: Double, variance: Double) {
        let a2 = alpha * alpha, z = 1 - a2
        let logA2 = 2 * log(alpha)
        func logFactor(_ u: Double, _ oneMinusU: Double) -> Double {
            u > 0.5 ? log1p(-z * oneMinusU) : log(a2 + z * u)
        }
        var mean = 0.0, meanSquare = 0.0
        let log2d = Double(d) * log(2.0)
        for k in 0...d {
            let logP = SpecialFunctions.logBinomial(d, k) - log2d
            if logP < log(1e-25) { continue }
            let p = exp(logP)
            if k == 0 {
                mean += p * logA2; meanSquare += p * logA2 * logA2
            } else if k < d {
                let e = Quadrature.betaExpectations(a: Double(k) / 2, b: Double(d - k) / 2, logFactor)
                mean += p * e.mean; meanSquare += p * e.meanSquare
            }
        }
        return (mean, max(0, meanSquare - mean * mean))
    }

    /// m(d, α) by the series of §B.1: with V = 1 − U ~ Beta((d−K)/2, K/2) and z = 1 − α²,
    /// E log(1 − zV) = −Σ_{n≥1} (zⁿ/n)·((d−K)/2)_n/(d/2)_n, summed for each K until the tail bound
    /// t_n·z/(1 − z) (the ratio of successive terms is below z) falls under 10⁻¹⁷; K = 0 contributes its
    /// series' exact sum log(1 − z) = log α², K = d nothing. Slow for small α (≈ |log ε|/α² terms); returns NaN
    /// when `maxTerms` per K do not suffice. Used to cross-check `logMixtureMoments`.
    public static func logMixtureMeanSeries(width d: Int, slope alpha: Double, maxTerms: Int = 50_000_000) -> Double {
        let z = 1 - alpha * alpha
        let half = Double(d) / 2
        let log2d = Double(d) * log(2.0)
        var total = exp(-log2d) * 2 * log(alpha)
        guard d >= 2, z > 0 else { return total }
        for k in 1..<d {
            let p = exp(SpecialFunctions.logBinomial(d, k) - log2d)
            let b = Double(d - k) / 2
            var ratio = 1.0, power = 1.0, sum = 0.0
            var converged = false
            for n in 1...maxTerms {
                ratio *= (b + Double(n - 1)) / (half + Double(n - 1))
                power *= z
                let term = power * ratio / Double(n)
                sum += term
                if term * z / (1 - z) <= 1e-17 * sum { converged = true; break }
            }
            if !converged { return .nan }
            total -= p * sum
        }
        return total
    }
}
