import Foundation

/// The finite-width law of the angle between two signals in a ReLU network with iid Gaussian weights and no
/// biases (Jakub & Nica 2023, 2024; `docs/theory.md` §C.2–C.3).
///
/// θ is the angle between the post-activation vectors φ(z_α), φ(z_β) of one layer; X = ln sin²θ. Given the
/// angle θ of the vectors a layer reads, its n output neurons are n iid pairs of Gaussians with correlation cos θ
/// (whatever the fan-in), so the width that governs a layer's fluctuation is its own width n (its number of rows).
/// Every formula needs n ≥ 2 (n = 1 gives ln 0).
public enum FiniteWidthAngle {
    /// T(θ) = 8 J₁₁² J₂₂ − 8 J₁₁⁴ + 4 J₁₁² − 8 J₁₁ J₃₁ + J₂₂ + 1.
    static func t(_ j11: Double, _ j22: Double, _ j31: Double) -> Double {
        8 * j11 * j11 * j22 - 8 * j11 * j11 * j11 * j11 + 4 * j11 * j11 - 8 * j11 * j31 + j22 + 1
    }

    /// Below this angle the closed forms lose digits (1 − 4J₁₁² ~ θ² cancels, and σ² divides by its square), so μ
    /// and σ² are continued by their small-angle form: μ(θ) = ln sin²θ + [μ(θₛ) − ln sin²θₛ] − 2(θ − θₛ)/(3π)
    /// (the linearised drift of §C.3) and σ²(θ) = σ²(θₛ). At θₛ the two agree to ~1e-6 for n ≥ 15.
    public static let smallAngle = 2e-3

    /// μ(θ, n): E[ln sin²θ'] one layer deeper, up to O(n⁻²) (§C.2).
    public static func mean(theta: Double, width n: Int) -> Double {
        if theta < smallAngle {
            let offset = closedMean(theta: smallAngle, width: n) - lnSin2(theta: smallAngle)
            return lnSin2(theta: theta) + offset - 2 * (theta - smallAngle) / (3 * Double.pi)
        }
        return closedMean(theta: theta, width: n)
    }

    /// σ²(θ, n): Var[ln sin²θ'] one layer deeper, up to O(n⁻²) (§C.2).
    public static func variance(theta: Double, width n: Int) -> Double {
        closedVariance(theta: max(theta, smallAngle), width: n)
    }

    /// §C.2's closed form of μ, as printed.
    static func closedMean(theta: Double, width n: Int) -> Double {
        let j11 = ArcCosineKernel.j11(theta), j22 = ArcCosineKernel.j22(theta), j31 = ArcCosineKernel.j31(theta)
        let nn = Double(n), s = 1 - 4 * j11 * j11, u = (4 * j22 - 1) / nn + 1, v = 1 - 1 / nn
        return log((nn - 1) * s / (4 * j22 - 1 + nn)) + 4 * (j22 + 1) / (nn * u * u)
            - 4 * t(j11, j22, j31) / (nn * v * v * s * s)
    }

    /// §C.2's closed form of σ², as printed.
    static func closedVariance(theta: Double, width n: Int) -> Double {
        let j11 = ArcCosineKernel.j11(theta), j22 = ArcCosineKernel.j22(theta), j31 = ArcCosineKernel.j31(theta)
        let nn = Double(n), s = 1 - 4 * j11 * j11, u = (4 * j22 - 1) / nn + 1, v = 1 - 1 / nn
        return 8 * t(j11, j22, j31) / (nn * (v * s) * (v * s)) + 8 * (j22 + 1) / (nn * u * u)
            - 16 * (2 * j11 * j11 - 4 * j11 * j31 + j22 + 1) / (nn * v * s * u)
    }

    /// ρ(n) = ln((5+n)/(n−1)) − 10/(n(5/n+1)²) + 6/(n(1−1/n)²), the per-layer drift of the linearised law
    /// (≈ 2/n for large n) (§C.3).
    public static func rho(width n: Int) -> Double {
        let nn = Double(n), u = 5 / nn + 1, v = 1 - 1 / nn
        return log((5 + nn) / (nn - 1)) - 10 / (nn * u * u) + 6 / (nn * v * v)
    }

    /// The linearised mean a(X) = X − (2/(3π))·θ(X) − ρ(n), valid for θ ≪ 1 (§C.3).
    public static func linearisedMean(lnSin2 x: Double, width n: Int) -> Double {
        x - 2 / (3 * Double.pi) * theta(lnSin2: x) - rho(width: n)
    }

    /// The linearised noise variance β² = 8n/(n+5)² (§C.3).
    public static func linearisedVariance(width n: Int) -> Double {
        let nn = Double(n)
        return 8 * nn / ((nn + 5) * (nn + 5))
    }

    /// θ = arcsin(e^{X/2}) ∈ (0, π/2] (post-ReLU vectors are non-negative, so their angle is at most π/2).
    public static func theta(lnSin2 x: Double) -> Double { asin(min(1, exp(x / 2))) }

    /// X = ln sin²θ.
    public static func lnSin2(theta: Double) -> Double { let s = sin(theta); return log(s * s) }

    /// The mean-only iteration of the full law, θ ← arcsin(exp(μ(θ, n)/2)) (the notebooks' Algorithm 1 step).
    public static func meanStep(theta: Double, width n: Int) -> Double {
        self.theta(lnSin2: mean(theta: theta, width: n))
    }
}
