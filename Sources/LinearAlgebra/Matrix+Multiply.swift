extension Matrix {
    /// `op(self)·op(other)` through `BLAS.gemm`.
    public func multiplied(by other: Matrix, transposingSelf: Bool = false,
                           transposingOther: Bool = false) -> Matrix {
        let m = transposingSelf ? cols : rows
        let k = transposingSelf ? rows : cols
        let k2 = transposingOther ? other.cols : other.rows
        let n = transposingOther ? other.rows : other.cols
        precondition(k == k2, "multiplied(by:): inner dimensions \(k) and \(k2) differ")
        var result = Matrix(rows: m, cols: n)
        if m == 0 || n == 0 { return result }
        if k == 0 { return result }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                result.elements.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposingSelf ? .transpose : .none, transposingOther ? .transpose : .none,
                              m: m, n: n, k: k,
                              a: a.baseAddress!, lda: Swift.max(1, cols),
                              b: b.baseAddress!, ldb: Swift.max(1, other.cols),
                              c: c.baseAddress!, ldc: Swift.max(1, n))
                }
            }
        }
        return result
    }

    /// Matrix product through BLAS.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.multiplied(by: rhs) }

    /// `self·x` through `BLAS.gemv`.
    public func multiplied(by x: [Double]) -> [Double] {
        precondition(x.count == cols, "multiplied(by:): vector of \(x.count) for \(rows)×\(cols)")
        var y = [Double](repeating: 0, count: rows)
        if rows == 0 || cols == 0 { return y }
        elements.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.gemv(m: rows, n: cols, a: a.baseAddress!, lda: cols,
                              x: xp.baseAddress!, y: yp.baseAddress!)
                }
            }
        }
        return y
    }
}
