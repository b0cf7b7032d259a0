import CBLAS

extension Matrix {
    /// Thin QR factorization `self = Q·R` (LAPACK `dgeqrf` then `dorgqr`), for any shape m×n.
    ///
    /// With k = min(m, n), Q is m×k with orthonormal columns and R is k×n upper triangular (upper
    /// trapezoidal when n > k). LAPACK's Householder convention fixes the signs: R's diagonal may be
    /// negative (callers wanting the unique positive-diagonal factor flip the signs themselves, as
    /// `torch.nn.init.orthogonal_` does).
    public func qr() throws -> (q: Matrix, r: Matrix) {
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 { return (Matrix(rows: m, cols: 0), Matrix(rows: 0, cols: n)) }
        var a = elements
        var tau = [Double](repeating: 0, count: k)
        let info1 = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), &a, Int32(n), &tau)
        if info1 != 0 { throw LinearAlgebraError.lapack(routine: "dgeqrf", info: Int(info1)) }
        var r = Matrix(rows: k, cols: n)
        for i in 0..<k { for j in i..<n { r.elements[i * n + j] = a[i * n + j] } }
        // dorgqr forms the first k columns of Q in place over the leading m×k block (row stride n).
        let info2 = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(k), Int32(k), &a, Int32(n), tau)
        if info2 != 0 { throw LinearAlgebraError.lapack(routine: "dorgqr", info: Int(info2)) }
        var q = Matrix(rows: m, cols: k)
        for i in 0..<m { for j in 0..<k { q.elements[i * k + j] = a[i * n + j] } }
        return (q, r)
    }

    /// Eigen-decomposition of a symmetric matrix (LAPACK `dsyevd`, reading the upper triangle).
    ///
    /// Returns the eigenvalues in ascending order and, when `vectors` is true, the matrix whose
    /// **column** j is the unit eigenvector of eigenvalue j (signs as LAPACK leaves them).
    public func symmetricEigen(vectors: Bool = true) throws -> (values: [Double], vectors: Matrix?) {
        guard rows == cols else {
            throw LinearAlgebraError.shape("symmetricEigen needs a square matrix, got \(rows)×\(cols)")
        }
        let n = rows
        if n == 0 { return ([], vectors ? Matrix(rows: 0, cols: 0) : nil) }
        var a = elements
        var w = [Double](repeating: 0, count: n)
        let jobz = CChar(UInt8(ascii: vectors ? "V" : "N"))
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, jobz, CChar(UInt8(ascii: "U")), Int32(n), &a, Int32(n), &w)
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dsyevd", info: Int(info)) }
        return (w, vectors ? Matrix(rows: n, cols: n, elements: a) : nil)
    }
}
