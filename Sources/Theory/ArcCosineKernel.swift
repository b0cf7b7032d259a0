import Foundation

/// Mixed moments of ReLU of two correlated standard normals, the building blocks of every ReLU
/// signal-propagation law (`docs/theory.md` §A.2, §C.1).
///
/// For G, G′ standard normal with correlation cos θ and φ = ReLU,
/// `J_{a,b}(θ) = E[φ(G)^a φ(G′)^b]`.
public enum ArcCosineKernel {
    /// J₁₁(θ) = (sin θ + (π − θ) cos θ) / (2π): E[φ(G)φ(G′)]. J₁₁(0) = 1/2, J₁₁(π/2) = 1/(2π).
    public static func j11(_ theta: Double) -> Double {
        (sin(theta) + (Double.pi - theta) * cos(theta)) / (2 * Double.pi)
    }

    /// J₃₁(θ) = (3(π − θ) cos θ + sin θ cos²θ + 2 sin θ) / (2π): E[φ(G)³φ(G′)]. J₃₁(0) = 3/2, J₃₁(π/2) = 1/π.
    public static func j31(_ theta: Double) -> Double {
        let c = cos(theta), s = sin(theta)
        return (3 * (Double.pi - theta) * c + s * c * c + 2 * s) / (2 * Double.pi)
    }

    /// J₂₂(θ) = ((π − θ)(2cos²θ + 1) + 3 sin θ cos θ) / (2π): E[φ(G)²φ(G′)²]. J₂₂(0) = 3/2, J₂₂(π/2) = 1/4.
    public static func j22(_ theta: Double) -> Double {
        let c = cos(theta), s = sin(theta)
        return ((Double.pi - theta) * (2 * c * c + 1) + 3 * s * c) / (2 * Double.pi)
    }

    /// The arc-cosine kernel in correlation form, J(c) = √(1 − c²) + (π − arccos c)·c, so that
    /// E[φ(h₁)φ(h₂)] = √(q₁q₂)·J(c)/(2π) for h ~ N(0, [[q₁, c√(q₁q₂)], [·, q₂]]). J(1) = π, J(0) = 1.
    public static func correlationKernel(_ c: Double) -> Double {
        let cc = min(1, max(-1, c))
        return (1 - cc * cc).squareRoot() + (Double.pi - acos(cc)) * cc
    }

    /// The infinite-width (NNGP) angle map of a ReLU layer: cos θ′ = 2·J₁₁(θ) = (sin θ + (π − θ) cos θ)/π.
    public static func infiniteWidthAngle(_ theta: Double) -> Double {
        acos(min(1, max(-1, 2 * j11(theta))))
    }
}
