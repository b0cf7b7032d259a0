import Foundation

/// Digamma ψ = Γ′/Γ and trigamma ψ′ in full double precision.
///
/// Both use the recurrences ψ(x) = ψ(x+1) − 1/x and ψ′(x) = ψ′(x+1) + 1/x² to shift the argument to x ≥ 10,
/// then the asymptotic series (Abramowitz & Stegun 6.3.18, 6.4.12) through the Bernoulli number B₁₄:
///
///     ψ(x)  ~ ln x − 1/(2x) − Σ_{k≥1} B_{2k} / (2k·x^{2k})
///     ψ′(x) ~ 1/x + 1/(2x²) + Σ_{k≥1} B_{2k} / x^{2k+1}
///
/// whose first omitted terms are below 10⁻¹⁶ at x = 10. Negative non-integer arguments go through the
/// reflection formulas ψ(x) = ψ(1−x) − π·cot(πx) and ψ′(x) = π²/sin²(πx) − ψ′(1−x); the poles
/// x = 0, −1, −2, … give NaN.
public enum SpecialFunctions {
    /// ψ(x) = d/dx ln Γ(x). ψ(1) = −γ_E, ψ(1/2) = −γ_E − 2 ln 2.
    public static func digamma(_ x: Double) -> Double {
        if x.isNaN || x == -.infinity { return .nan }
        if x == .infinity { return .infinity }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            return digamma(1 - x) - Double.pi / tan(Double.pi * x)
        }
        var shift = 0.0, y = x
        while y < 10 { shift -= 1 / y; y += 1 }
        let t = 1 / (y * y)
        let series = t * (1.0 / 12 - t * (1.0 / 120 - t * (1.0 / 252 - t * (1.0 / 240 - t * (1.0 / 132
            - t * (691.0 / 32760 - t / 12))))))
        return shift + log(y) - 0.5 / y - series
    }

    /// ψ′(x) = d²/dx² ln Γ(x). ψ′(1) = π²/6, ψ′(1/2) = π²/2.
    public static func trigamma(_ x: Double) -> Double {
        if x.isNaN || x == -.infinity { return .nan }
        if x == .infinity { return 0 }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            let s = sin(Double.pi * x)
            return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
        }
        var shift = 0.0, y = x
        while y < 10 { shift += 1 / (y * y); y += 1 }
        let t = 1 / (y * y)
        let series = t * (1.0 / 6 - t * (1.0 / 30 - t * (1.0 / 42 - t * (1.0 / 30 - t * (5.0 / 66
            - t * (691.0 / 2730 - t * 7 / 6))))))
        return shift + (1 + 0.5 / y + series) / y
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b) for a, b > 0.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// ln C(n, k), through ln Γ.
    public static func logBinomial(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
