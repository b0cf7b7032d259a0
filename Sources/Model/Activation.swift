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

/// A hidden-layer activation: value and exact derivative, elementwise, plus its multiplicity at 0.
///
/// `spec` is the canonical text that `Activation(parsing:)` accepts back, and that run files store.
public struct Activation: Sendable, CustomStringConvertible {
    public let spec: String
    public let multiplicity: Multiplicity
    /// Writes σ(z) into `value` and, when given, σ'(z) into `derivative`; all buffers have equal count.
    let kernel: @Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                           UnsafeMutableBufferPointer<Double>?) -> Void
    let scalar: @Sendable (Double) -> (value: Double, derivative: Double)

    public init(spec: String, multiplicity: Multiplicity,
                scalar: @escaping @Sendable (Double) -> (value: Double, derivative: Double),
                kernel: (@Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                    UnsafeMutableBufferPointer<Double>?) -> Void)? = nil) {
        self.spec = spec
        self.multiplicity = multiplicity
        self.scalar = scalar
        self.kernel = kernel ?? { z, v, d in
            if let d {
                for i in 0..<z.count { let r = scalar(z[i]); v[i] = r.value; d[i] = r.derivative }
            } else {
                for i in 0..<z.count { v[i] = scalar(z[i]).value }
            }
        }
    }

    public var description: String { spec }

    public func value(_ x: Double) -> Double { scalar(x).value }
    public func derivative(_ x: Double) -> Double { scalar(x).derivative }

    /// Elementwise σ and σ' over a buffer (the network's hot path; no allocation).
    @inlinable
    public func evaluate(_ z: UnsafeBufferPointer<Double>, value: UnsafeMutableBufferPointer<Double>,
                         derivative: UnsafeMutableBufferPointer<Double>?) {
        precondition(value.count == z.count && (derivative?.count ?? z.count) == z.count)
        callKernel(z, value, derivative)
    }

    @usableFromInline
    func callKernel(_ z: UnsafeBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>,
                    _ d: UnsafeMutableBufferPointer<Double>?) {
        kernel(z, v, d)
    }
}
