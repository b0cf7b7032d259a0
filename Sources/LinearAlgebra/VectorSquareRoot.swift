import CVectorMath

/// Correctly rounded square roots that vectorize (one `vsqrtpd` per vector on x86-64).
///
/// `Double.squareRoot()` and `SIMDn<Double>.squareRoot()` call libm's `sqrt` on Linux, whose errno contract
/// makes LLVM emit a compare and a possible call per lane, so loops that use them never vectorize. These go
/// through the `CVectorMath` shim instead. IEEE 754 square root is correctly rounded, so the results are the
/// same bits as `squareRoot()` (NaN for negative inputs, −0 for −0), without errno.
public enum VectorSquareRoot {
    @inlinable @inline(__always)
    public static func of(_ x: Double) -> Double { condense_sqrt(x) }

    @inlinable @inline(__always)
    public static func of(_ x: SIMD4<Double>) -> SIMD4<Double> { condense_sqrt4(x) }

    @inlinable @inline(__always)
    public static func of(_ x: SIMD8<Double>) -> SIMD8<Double> { condense_sqrt8(x) }
}
