import Foundation

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
