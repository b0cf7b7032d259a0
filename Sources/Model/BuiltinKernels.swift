import Foundation

/// Value and derivative of each built-in at one point, in numerically stable forms, and the plain
/// loop that maps them over a buffer (inlined per built-in, so the hot path makes no calls through
/// closures and allocates nothing).
enum BuiltinKernels {
    @inline(__always)
    static func map(_ z: UnsafeBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>,
                    _ d: UnsafeMutableBufferPointer<Double>?, _ f: (Double) -> (value: Double, derivative: Double)) {
        guard let zb = z.baseAddress, let vb = v.baseAddress else { return }
        let n = z.count
        if let d, let db = d.baseAddress {
            for i in 0..<n { let r = f(zb[i]); vb[i] = r.value; db[i] = r.derivative }
        } else {
            for i in 0..<n { vb[i] = f(zb[i]).value }
        }
    }

    /// The vector form of `map`: `VectorMath.V.scalarCount` lanes at a time, the last partial group padded with zeros. Every
    /// lane is computed independently, so each result equals the scalar form `f(splat)[0]` bit for bit.
    @inline(__always)
    static func mapVector(_ z: UnsafeBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>,
                          _ d: UnsafeMutableBufferPointer<Double>?,
                          _ f: (VectorMath.V) -> (value: VectorMath.V, derivative: VectorMath.V)) {
        guard let zb = z.baseAddress, let vb = v.baseAddress else { return }
        let lanes = VectorMath.V.scalarCount
        let n = z.count, full = n - n % lanes
        let db = d?.baseAddress
        var i = 0
        while i < full {
            let r = f(UnsafeRawPointer(zb + i).loadUnaligned(as: VectorMath.V.self))
            UnsafeMutableRawPointer(vb + i).storeBytes(of: r.value, as: VectorMath.V.self)
            if let db { UnsafeMutableRawPointer(db + i).storeBytes(of: r.derivative, as: VectorMath.V.self) }
            i += lanes
        }
        if i < n {
            var x = VectorMath.V(repeating: 0)
            for k in 0..<(n - i) { x[k] = zb[i + k] }
            let r = f(x)
            for k in 0..<(n - i) {
                vb[i + k] = r.value[k]
                if let db { db[i + k] = r.derivative[k] }
            }
        }
    }

    /// max(x, 0); the derivative at 0 is taken as 0.
    @inline(__always) @Sendable
    static func relu(_ x: Double) -> (value: Double, derivative: Double) { x > 0 ? (x, 1) : (0, 0) }

    @inline(__always) @Sendable
    static func tanh(_ x: Double) -> (value: Double, derivative: Double) {
        let t = VectorMath.tanh(x)
        return (t, 1 - t * t)
    }

    /// σ' = σ(1 − σ), with 1 − σ(x) = σ(−x) computed directly so the tails keep full precision.
    @inline(__always) @Sendable
    static func sigmoid(_ x: Double) -> (value: Double, derivative: Double) {
        let e = Foundation.exp(-Swift.abs(x))
        let big = 1 / (1 + e), small = e / (1 + e)
        return x >= 0 ? (big, big * small) : (small, big * small)
    }

    /// log(1+eˣ) = max(x,0) + log1p(e^−|x|); softplus' = σ.
    @inline(__always) @Sendable
    static func softplus(_ x: Double) -> (value: Double, derivative: Double) {
        let e = Foundation.exp(-Swift.abs(x))
        let value = (x > 0 ? x : 0) + Foundation.log1p(e)
        return (value, x >= 0 ? 1 / (1 + e) : e / (1 + e))
    }

    /// x·σ(x); derivative σ(x)(1 + x(1 − σ(x))).
    @inline(__always) @Sendable
    static func silu(_ x: Double) -> (value: Double, derivative: Double) {
        let e = Foundation.exp(-Swift.abs(x))
        let big = 1 / (1 + e), small = e / (1 + e)
        let (s, oneMinus) = x >= 0 ? (big, small) : (small, big)
        return (x * s, s * (1 + x * oneMinus))
    }

    /// x·Φ(x) with Φ(x) = erfc(−x/√2)/2 (accurate in the left tail); derivative Φ(x) + x·φ(x).
    @inline(__always) @Sendable
    static func gelu(_ x: Double) -> (value: Double, derivative: Double) {
        let cdf = 0.5 * Foundation.erfc(-x * 0.70710678118654752440)
        let pdf = 0.39894228040143267794 * Foundation.exp(-0.5 * x * x)
        return (x * cdf, cdf + x * pdf)
    }

    @inline(__always) @Sendable
    static func xtanh(_ x: Double) -> (value: Double, derivative: Double) {
        let t = VectorMath.tanh(x)
        return (x * t, t + x * (1 - t * t))
    }

    @inline(__always) @Sendable
    static func x2tanh(_ x: Double) -> (value: Double, derivative: Double) {
        let t = VectorMath.tanh(x)
        return (x * x * t, x * (2 * t + x * (1 - t * t)))
    }

    @inline(__always) @Sendable
    static func linear(_ x: Double) -> (value: Double, derivative: Double) { (x, 1) }
}
