import Foundation

/// Mean-field (infinite-width) maps of a deep leaky-ReLU network with within-row weight correlation κ and
/// bias variance σ_b² (`docs/theory.md` §A.1–A.3; our reading of Singh & Sreejith 2021, generalised to leaky ReLU).
///
/// Layer: h^{l+1}_i = Σ_j W_ij φ(h^l_j) + b_i, φ(x) = max(x, αx) (α = 0 is ReLU, α = 1 linear), fan-in N,
/// E[W_ij W_kl] = δ_ik (σ_w²/N)(δ_jl + κ/N), b_i ~ N(0, σ_b²). For h ~ N(0, q) and φ = αx + (1−α)·relu(x):
///
///     E φ²           = q (1 + α²)/2
///     E φ            = (1 − α) √(q/(2π))
///     E φ(h₁)φ(h₂)   = √(q₁q₂) [α c + (1 − α)² J(c)/(2π)],   J(c) = √(1−c²) + (π − arccos c) c
///
/// so that q' = σ_w² [E φ² + κ (E φ)²] + σ_b² and q₁₂' = σ_w² [E φ₁φ₂ + κ E φ₁ E φ₂] + σ_b², c' = q₁₂'/√(q₁'q₂').
/// With α = 0 these are §A.2's maps: q' = σ_w² q (π+κ)/(2π) + σ_b², c' = (J(c)+κ)/(π+κ) when σ_b = 0.
/// `c` is the correlation of the **pre-activations** h (what the map iterates); the cosine of the
/// post-activations φ(h) is `postActivationCosine`.
public struct MeanFieldMap: Sendable, Equatable {
    /// α of φ(x) = max(x, αx), in [0, 1].
    public let slope: Double
    /// σ_w²: fan-in × the variance of one weight entry.
    public let weightVariance: Double
    /// σ_b².
    public let biasVariance: Double
    /// κ ≥ −1: within-row weight correlation (κ/N between two entries of a row, in units of σ_w²/N).
    public let kappa: Double

    public init(slope: Double = 0, weightVariance: Double, biasVariance: Double = 0, kappa: Double = 0) throws {
        guard slope >= 0 && slope <= 1 else { throw TheoryError.propagation("leaky-ReLU slope α must be in [0, 1], got \(slope)") }
        guard weightVariance.isFinite && weightVariance > 0 else {
            throw TheoryError.propagation("weight variance σ_w² must be positive and finite, got \(weightVariance)")
        }
        guard biasVariance.isFinite && biasVariance >= 0 else {
            throw TheoryError.propagation("bias variance σ_b² must be ≥ 0 and finite, got \(biasVariance)")
        }
        guard kappa.isFinite && kappa >= -1 else { throw TheoryError.propagation("weight correlation κ must be ≥ −1, got \(kappa)") }
        self.slope = slope
        self.weightVariance = weightVariance
        self.biasVariance = biasVariance
        self.kappa = kappa
    }

    // MARK: Gaussian moments of φ

    /// E φ(h)² for h ~ N(0, q).
    public func secondMoment(_ q: Double) -> Double { q * (1 + slope * slope) / 2 }

    /// E φ(h) for h ~ N(0, q).
    public func firstMoment(_ q: Double) -> Double { (1 - slope) * (q / (2 * Double.pi)).squareRoot() }

    /// E φ(h₁)φ(h₂) for centred Gaussians with variances q₁, q₂ and correlation c.
    public func crossMoment(_ q1: Double, _ q2: Double, _ c: Double) -> Double {
        let a = slope
        return (q1 * q2).squareRoot() * (a * c + (1 - a) * (1 - a) * ArcCosineKernel.correlationKernel(c) / (2 * Double.pi))
    }

    /// The cosine between the post-activation vectors φ(h₁), φ(h₂) at infinite width.
    public func postActivationCosine(_ q1: Double, _ q2: Double, _ c: Double) -> Double {
        crossMoment(q1, q2, c) / (secondMoment(q1) * secondMoment(q2)).squareRoot()
    }

    // MARK: The maps

    /// q^{l+1} from q^l.
    public func nextVariance(_ q: Double) -> Double {
        weightVariance * (secondMoment(q) + kappa * firstMoment(q) * firstMoment(q)) + biasVariance
    }

    /// (q₁, q₂, c) one layer deeper.
    public func next(q1: Double, q2: Double, c: Double) -> (q1: Double, q2: Double, c: Double) {
        let n1 = nextVariance(q1), n2 = nextVariance(q2)
        let q12 = weightVariance * (crossMoment(q1, q2, c) + kappa * firstMoment(q1) * firstMoment(q2)) + biasVariance
        return (n1, n2, min(1, max(-1, q12 / (n1 * n2).squareRoot())))
    }

    /// The correlation map at equal variances q₁ = q₂ = q.
    public func nextCorrelation(_ c: Double, variance q: Double) -> Double { next(q1: q, q2: q, c: c).c }

    /// q'/q without bias: σ_w² [(1+α²)/2 + κ(1−α)²/(2π)] (α = 0: σ_w²(π+κ)/(2π)). q grows geometrically above 1.
    public var varianceGain: Double {
        weightVariance * ((1 + slope * slope) / 2 + kappa * (1 - slope) * (1 - slope) / (2 * Double.pi))
    }

    /// The σ_w² that preserves q exactly when σ_b = 0 (ReLU: 2π/(π+κ); κ = 0: He's 2/(1+α²)).
    public static func preservingWeightVariance(slope: Double = 0, kappa: Double) -> Double {
        1 / ((1 + slope * slope) / 2 + kappa * (1 - slope) * (1 - slope) / (2 * Double.pi))
    }

    /// q* = σ_b²/(1 − gain), finite iff the gain is below 1; 0 without bias (and gain ≤ 1); nil when q diverges
    /// (gain > 1, or gain = 1 with a bias). With σ_b = 0 and gain = 1 every q is a fixed point: returns nil too,
    /// see `preservesVariance`.
    public var varianceFixedPoint: Double? {
        let g = varianceGain
        if abs(g - 1) < 1e-12 { return nil }
        if g > 1 { return biasVariance == 0 ? 0 : nil }   // q* = 0 exists but is unstable
        return biasVariance / (1 - g)
    }

    /// Whether σ_b = 0 and the gain is exactly 1 (q preserved layer after layer).
    public var preservesVariance: Bool { biasVariance == 0 && abs(varianceGain - 1) < 1e-12 }

    /// The slope dc'/dc at c = 1 for variance q (χ₁): σ_w² q [α + (1−α)²/2] / q'(q). At the variance fixed
    /// point this is σ_w²(1+α²)/2 (ReLU: σ_w²/2); with σ_b = 0 it is [α + (1−α)²/2]·σ_w²/gain (ReLU: π/(π+κ)).
    public func chi1(variance q: Double) -> Double {
        let a = slope
        return weightVariance * q * (a + (1 - a) * (1 - a) / 2) / nextVariance(q)
    }

    /// The slope dc'/dc at correlation c and variance q: σ_w² q [α + (1−α)²(π − arccos c)/(2π)] / q'.
    public func correlationSlope(_ c: Double, variance q: Double) -> Double {
        let a = slope, cc = min(1, max(-1, c))
        return weightVariance * q * (a + (1 - a) * (1 - a) * (Double.pi - acos(cc)) / (2 * Double.pi)) / nextVariance(q)
    }

    /// The variance at which the correlation map is studied: q* when it is finite and positive; otherwise
    /// (no bias, or q diverging) the map's large-q / bias-free limit, which does not depend on q (q = 1).
    public var referenceVariance: Double {
        if let q = varianceFixedPoint, q > 0 { return q }
        if biasVariance == 0 { return 1 }
        return 1e300.squareRoot()  // q → ∞: the bias becomes negligible
    }

    /// χ₁ at the reference variance.
    public var chi1: Double { chi1(variance: referenceVariance) }

    /// The stable fixed point c* < 1 of the correlation map at the reference variance, or nil when c = 1 attracts
    /// (ordered or marginal). Found by bisection of c' − c on [−1, 1 − 1e-12], where the map is concave.
    public var stableCorrelation: Double? {
        let q = referenceVariance
        guard chi1(variance: q) > 1 + 1e-12 else { return nil }
        let f = { (c: Double) in self.nextCorrelation(c, variance: q) - c }
        var lo = -1.0, hi = 1 - 1e-9
        if f(lo) <= 0 { return -1 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if f(mid) > 0 { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return (lo + hi) / 2
    }

    /// The phase of §A.3.
    public enum Phase: String, Sendable, Equatable {
        /// c → 1 (χ₁ < 1).
        case ordered
        /// c → 1 only polynomially (χ₁ = 1, e.g. κ = 0 ReLU).
        case marginal
        /// a stable c* < 1 (χ₁ > 1, with q finite).
        case chaotic
        /// q grows without bound (gain > 1, or gain = 1 with a bias).
        case varianceDiverges = "variance diverges"
    }

    public var phase: Phase {
        let g = varianceGain
        if g > 1 + 1e-12 || (abs(g - 1) <= 1e-12 && biasVariance > 0) { return .varianceDiverges }
        let chi = chi1
        if abs(chi - 1) <= 1e-12 { return .marginal }
        return chi > 1 ? .chaotic : .ordered
    }
}
