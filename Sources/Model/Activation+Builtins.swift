import Foundation

extension Activation {
    /// The canonical spec of every built-in activation (leaky_relu with its default slope), in the
    /// order `--help` lists them.
    public static let builtinNames: [String] = [
        "relu", "leaky_relu(0.01)", "tanh", "sigmoid", "softplus", "silu", "gelu", "xtanh", "x2tanh", "linear",
    ]

    /// The slope of leaky_relu for x < 0 when none is given.
    public static let defaultLeakySlope = 0.01

    /// The built-in names, without leaky_relu's slope, with the aliases they also accept.
    static let builtinAliases: [String: String] = [
        "relu": "relu", "leaky_relu": "leaky_relu", "leakyrelu": "leaky_relu", "lrelu": "leaky_relu",
        "tanh": "tanh", "sigmoid": "sigmoid", "logistic": "sigmoid", "softplus": "softplus",
        "silu": "silu", "swish": "silu", "gelu": "gelu", "xtanh": "xtanh", "x_tanh": "xtanh",
        "x2tanh": "x2tanh", "x2_tanh": "x2tanh", "linear": "linear", "identity": "linear",
    ]

    /// The expression that defines a built-in; its Taylor series gives the multiplicity, and the
    /// tests check the hand-written kernel against it.
    static func builtinDefinition(_ name: String, slope: Double = defaultLeakySlope) -> Expression? {
        let text: String
        switch name {
        case "relu": text = "relu(x)"
        case "leaky_relu": text = "relu(x)-\(Expression.compact(slope))*relu(-x)"
        case "tanh": text = "tanh(x)"
        case "sigmoid": text = "sigmoid(x)"
        case "softplus": text = "softplus(x)"
        case "silu": text = "x*sigmoid(x)"
        case "gelu": text = "x*(1+erf(x/sqrt(2)))/2"
        case "xtanh": text = "x*tanh(x)"
        case "x2tanh": text = "x^2*tanh(x)"
        case "linear": text = "x"
        default: return nil
        }
        return try? Expression(parsing: text)
    }

    /// The built-in of that canonical name (see `builtinAliases`), with its hand-written kernel.
    static func builtin(_ name: String, slope: Double = defaultLeakySlope) -> Activation? {
        guard let definition = builtinDefinition(name, slope: slope) else { return nil }
        let multiplicity = definition.multiplicity()
        func make(_ spec: String, _ f: @escaping @Sendable (Double) -> (value: Double, derivative: Double),
                  _ kernel: @escaping @Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                                 UnsafeMutableBufferPointer<Double>?) -> Void) -> Activation {
            Activation(spec: spec, multiplicity: multiplicity, scalar: f, kernel: kernel)
        }
        switch name {
        case "relu":
            return make("relu", BuiltinKernels.relu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.relu) }
        case "leaky_relu":
            let f: @Sendable (Double) -> (value: Double, derivative: Double) = { x in
                x > 0 ? (x, 1) : (slope * x, slope)
            }
            return make("leaky_relu(\(Expression.compact(slope)))", f) { z, v, d in
                BuiltinKernels.map(z, v, d) { x in x > 0 ? (x, 1) : (slope * x, slope) }
            }
        case "tanh":
            return make("tanh", BuiltinKernels.tanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.tanhWithDerivative)
            }
        case "sigmoid":
            return make("sigmoid", BuiltinKernels.sigmoid) { z, v, d in
                BuiltinKernels.map(z, v, d, BuiltinKernels.sigmoid)
            }
        case "softplus":
            return make("softplus", BuiltinKernels.softplus) { z, v, d in
                BuiltinKernels.map(z, v, d, BuiltinKernels.softplus)
            }
        case "silu":
            return make("silu", BuiltinKernels.silu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.silu) }
        case "gelu":
            return make("gelu", BuiltinKernels.gelu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.gelu) }
        case "xtanh":
            return make("xtanh", BuiltinKernels.xtanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.xtanhWithDerivative)
            }
        case "x2tanh":
            return make("x2tanh", BuiltinKernels.x2tanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.x2tanhWithDerivative)
            }
        case "linear":
            return make("linear", BuiltinKernels.linear) { z, v, d in
                if let zb = z.baseAddress, let vb = v.baseAddress { vb.update(from: zb, count: z.count) }
                if let d, let db = d.baseAddress { db.update(repeating: 1, count: d.count) }
            }
        default:
            return nil
        }
    }
}

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

/// Vectorized elementary functions for the built-in kernels, on eight lanes (`SIMD8<Double>`: two AVX2 or
/// one AVX-512 register, enough independent work to hide the division's latency). The polynomials and the
/// argument reduction use explicit fused multiply–adds (`addingProduct`: one instruction where the CPU has FMA,
/// the same exactly rounded result elsewhere); the scalar forms are lane 0 of the vector forms, so both round
/// alike. The FMAs make a small network's step faster at unchanged accuracy against glibc (`tools/bench/results.md`).
enum VectorMath {
    typealias V = SIMD8<Double>
    typealias U = SIMD8<UInt64>

    /// The tanh-family kernels as named functions (not closures), so that `mapVector` inlines them.
    @inline(__always) static func tanhWithDerivative(_ x: V) -> (value: V, derivative: V) {
        let t = tanh(x)
        return (t, 1 - t * t)
    }

    @inline(__always) static func xtanhWithDerivative(_ x: V) -> (value: V, derivative: V) {
        let t = tanh(x)
        return (x * t, t + x * (1 - t * t))
    }

    @inline(__always) static func x2tanhWithDerivative(_ x: V) -> (value: V, derivative: V) {
        let t = tanh(x)
        return (x * x * t, x * (2 * t + x * (1 - t * t)))
    }

    @inline(__always) static func bits(_ v: V) -> U { unsafeBitCast(v, to: U.self) }
    @inline(__always) static func double(_ u: U) -> V { unsafeBitCast(u, to: V.self) }

    /// tanh on eight lanes, within 2 ulp of glibc's `tanh` (91 % of doubles bit-identical; the tests
    /// check a dense grid over ±15 and a log-spread sample over 1e-300…1e300). For |x| < 0.625 Cephes'
    /// rational form x + x³·P(x²)/Q(x²); above, 1 − 2/(e^{2|x|} + 1), which does not cancel there and
    /// damps the error of the exponential; ±1 from |x| ≥ 22 (as glibc); NaN stays NaN (its sign bit may
    /// change); odd, so −0 → −0.
    @inline(__always) static func tanh(_ x: V) -> V {
        let signMask = U(repeating: 0x8000_0000_0000_0000)
        let xb = bits(x)
        let a = double(xb & ~signMask)
        let small = a .< 0.625
        let z = a * a
        var result: V
        if all(small) {
            result = a + ((a * z) * smallNumerator(z)) / smallDenominator(z)
        } else {
            // Clamping at 22 (where 2/(e^44 + 1) < 2^-60 so the result is 1); a NaN fails the comparison and
            // stays NaN through every operation below, so the result is NaN without a separate test.
            let y = 2 * a.replacing(with: 22, where: a .>= 22)
            // e^y = 2^k·e^r with y = k·ln2 + r, |r| ≤ ln2/2 (Cody–Waite, two-part ln2), and Cephes'
            // e^r = (Q(r²) + rP(r²))/(Q(r²) − rP(r²)), so that 2/(e^y + 1) takes a single division.
            let shifter = V(repeating: 6755399441055744.0)      // 1.5·2^52: adding it rounds to an integer
            let t = shifter.addingProduct(y, V(repeating: 1.4426950408889634074))
            let k = t - shifter
            let r = y.addingProduct(k, V(repeating: -6.93147180369123816490e-01))
                .addingProduct(k, V(repeating: -1.90821492927058770002e-10))
            let rr = r * r
            let px = r * horner(rr, 1.26177193074810590878E-4, 3.02994407707441961300E-2, 9.99999999999999999910E-1)
            let qx = horner(rr, 3.00198505138664455042E-6, 2.52448340349684104192E-3, 2.27265548208155028766E-1,
                            2.00000000000000000009E0)
            let scale = double((bits(t) &- bits(shifter) &+ 1023) &<< 52)   // 2^k
            let num = qx - px
            var numerator = 2 * num, denominator = num.addingProduct(scale, qx + px)
            if any(small) {
                // Both forms in one division: each lane divides its own branch's numerator and denominator,
                // so every lane rounds exactly as if it had taken its branch alone.
                numerator.replace(with: (a * z) * smallNumerator(z), where: small)
                denominator.replace(with: smallDenominator(z), where: small)
                let quotient = numerator / denominator
                result = (1 - quotient).replacing(with: a + quotient, where: small)
            } else {
                result = 1 - numerator / denominator
            }
        }
        result = double(bits(result) | (xb & signMask))
        return result
    }

    /// Cephes' P(x²) and Q(x²) of tanh x = x + x³·P/Q on |x| < 0.625.
    @inline(__always) static func smallNumerator(_ z: V) -> V {
        horner(z, -9.64399179425052238628E-1, -9.92877231001918586564E1, -1.61468768441708447952E3)
    }

    @inline(__always) static func smallDenominator(_ z: V) -> V {
        horner(z, 1, 1.12811678491632931402E2, 2.23548839060100448583E3, 4.84406305325125486048E3)
    }

    /// c₀·x² + c₁·x + c₂ by Horner's rule with fused multiply–adds.
    @inline(__always) static func horner(_ x: V, _ c0: Double, _ c1: Double, _ c2: Double) -> V {
        V(repeating: c2).addingProduct(V(repeating: c1).addingProduct(V(repeating: c0), x), x)
    }

    /// c₀·x³ + c₁·x² + c₂·x + c₃ by Horner's rule with fused multiply–adds.
    @inline(__always) static func horner(_ x: V, _ c0: Double, _ c1: Double, _ c2: Double, _ c3: Double) -> V {
        V(repeating: c3).addingProduct(horner(x, c0, c1, c2), x)
    }

    /// The scalar form: one lane of the vector form, so kernel and scalar paths agree bit for bit.
    @inline(__always) static func tanh(_ x: Double) -> Double { tanh(V(repeating: x))[0] }
}
