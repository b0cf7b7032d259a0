import Foundation

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
