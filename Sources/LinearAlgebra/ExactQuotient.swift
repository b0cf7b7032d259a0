/// Correctly rounded quotients x / y by a divisor y that stays the same over many x (a per-step constant of the
/// optimizer), with two fused multiply–adds in place of most divisions: the same bits as `x / y`, always.
///
/// A vector division occupies the divider for 16 cycles on current x86-64 cores, and Adam makes two per
/// parameter plus a square root on the same unit. For a positive y with z = RN(1/y): q₁ = RN(x·z), the remainder
/// r₁ = x − q₁·y (exact with an FMA), q₂ = RN(q₁ + r₁·z) (Markstein's correction), and then q₂ is *checked*:
/// with r₂ = x − q₂·y exact, q₂ = RN(x/y) exactly when |r₂| < y·ulp(q₂)/2 (a quotient is never a midpoint, so
/// there are no ties), provided q₂ is not a power of two (whose lower neighbour is only ulp/2 away). Lanes that
/// are negative, zero, tiny (< 2⁻⁸²³) or huge (≥ 2⁹⁰⁰; there the products could under- or overflow), powers of two,
/// infinite or NaN, or fail the check make the whole vector fall back to the division, and so does a divisor
/// outside [2⁻¹⁰⁰, 2¹⁰⁰]. So the result never differs from `x / y` (`ExactQuotientTests`); the check only decides
/// how fast it comes. Adam's update divides by `sqrt(1 − β₂ᵗ)` this way, which shortens a wide network's step
/// (`tools/bench/results.md`).
public enum ExactQuotient {
    public typealias V = SIMD8<Double>

    @inlinable @inline(__always)
    public static func divide(_ x: V, by y: Double, reciprocal z: Double) -> V {
        guard y >= 0x1p-100 && y <= 0x1p100 else { return x / y }
        let (q, verified) = candidate(x, y, z)
        return verified ? q : x / y
    }

    /// Markstein's quotient and whether every lane of it is verified to be RN(x/y) (see above).
    @inlinable @inline(__always)
    static func candidate(_ x: V, _ y: Double, _ z: Double) -> (quotient: V, verified: Bool) {
        typealias U = SIMD8<UInt64>
        let q1 = x * z
        let r1 = x.addingProduct(-q1, V(repeating: y))
        let q2 = q1.addingProduct(r1, V(repeating: z))
        let r2 = x.addingProduct(-q2, V(repeating: y))
        // Integer lane comparisons compile to a scalar loop per lane in Swift, so every test is a float comparison:
        // `power` is q₂ with its mantissa cleared (equal to q₂ only for a power of two), `halfUlp` is ulp(q₂)/2.
        let exponent = unsafeBitCast(q2, to: U.self) & 0x7FF0_0000_0000_0000
        let power = unsafeBitCast(exponent, to: V.self)
        let halfUlp = unsafeBitCast(exponent &- (53 << 52), to: V.self)
        let magnitude = unsafeBitCast(unsafeBitCast(r2, to: U.self) & 0x7FFF_FFFF_FFFF_FFFF, to: V.self)
        let ok = (q2 .>= V(repeating: 0x1p-823)) .& (q2 .< V(repeating: 0x1p900)) .& (power .!= q2)
            .& (magnitude .< halfUlp * y)
        return (q2, all(ok))
    }
}
