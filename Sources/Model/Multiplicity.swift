import Foundation

/// The multiplicity p of an activation at the origin: the order of its first non-zero derivative
/// (σ(0) itself is not constrained). ReLU-like functions have no such order from the right and the
/// left alike; they report `.undefined` with the reason instead of pretending.
public enum Multiplicity: Equatable, Sendable, CustomStringConvertible {
    /// σ^(k)(0) = 0 for 1 ≤ k < p and σ^(p)(0) = p!·leading ≠ 0.
    case order(Int, leading: Double)
    /// Not defined by derivatives at 0 (non-differentiable there, or identically constant near 0).
    case undefined(String)

    public var p: Int? { if case .order(let p, _) = self { return p } else { return nil } }

    public var description: String {
        switch self {
        case .order(let p, let c): return "p = \(p) (leading Taylor coefficient \(c))"
        case .undefined(let why): return "undefined (\(why))"
        }
    }
}
