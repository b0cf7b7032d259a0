import CBLAS

/// Thin Swift over OpenBLAS's CBLAS, double precision, **row-major** only.
///
/// Pointers are raw so that callers can work on slices of one preallocated buffer without
/// copying: every routine takes explicit leading dimensions (the distance in elements between
/// the starts of consecutive stored rows). Dimension errors are programmer errors and trap
/// through `precondition`; none of these routines allocates.
public enum BLAS {
    /// OpenBLAS's thread count for subsequent calls (`openblas_get_num_threads` /
    /// `openblas_set_num_threads`). Set it to 1 when the caller parallelises itself.
    ///
    /// Setting 1 also ends OpenBLAS's worker threads (its next multi-threaded call starts them again): an idle
    /// worker spins on `sched_yield` for about 2²⁸ cycles (~0.1 s) after it starts and after each job before it
    /// sleeps, which on a small machine took a core from a short run's own threads for most of its life. Set it
    /// from one thread while no BLAS call is running, as the commands do before they start their own threads.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "BLAS.threads must be at least 1, got \(newValue)")
            openblas_set_num_threads(Int32(newValue))
            if newValue == 1 { _ = blas_thread_shutdown_() }
        }
    }

    /// `C ← α·op(A)·op(B) + β·C` with `op(A)` of shape m×k, `op(B)` k×n and `C` m×n, all row-major.
    ///
    /// - Parameters:
    ///   - lda: leading dimension of A as stored: ≥ k when `transA == .none` (A is m×k), else ≥ m.
    ///   - ldb: leading dimension of B as stored: ≥ n when `transB == .none` (B is k×n), else ≥ k.
    ///   - ldc: leading dimension of C, ≥ n.
    /// With `beta == 0`, C is overwritten and its previous contents (even NaN) are ignored.
    @inlinable
    public static func gemm(_ transA: Transpose = .none, _ transB: Transpose = .none,
                            m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double = 0,
                            c: UnsafeMutablePointer<Double>, ldc: Int) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
        precondition(lda >= max(1, transA == .none ? k : m), "gemm: lda \(lda) too small")
        precondition(ldb >= max(1, transB == .none ? n : k), "gemm: ldb \(ldb) too small")
        precondition(ldc >= max(1, n), "gemm: ldc \(ldc) too small")
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `B ← Aᵀ` for A stored row-major as rows×cols (OpenBLAS's `cblas_domatcopy` extension, α = 1, so every
    /// value is copied exactly): B is cols×rows with leading dimension `ldb` ≥ rows.
    @inlinable
    public static func transpose(rows: Int, cols: Int, a: UnsafePointer<Double>, lda: Int,
                                 into b: UnsafeMutablePointer<Double>, ldb: Int) {
        precondition(rows >= 0 && cols >= 0, "transpose: negative dimension")
        precondition(lda >= max(1, cols) && ldb >= max(1, rows), "transpose: leading dimension too small")
        if rows == 0 || cols == 0 { return }
        cblas_domatcopy(CblasRowMajor, CblasTrans, Int32(rows), Int32(cols), 1, a, Int32(lda), b, Int32(ldb))
    }

    /// `y ← α·op(A)·x + β·y` with A stored row-major as m×n (so `op(A)·x` has m entries when
    /// `trans == .none`, n entries when `.transpose`).
    @inlinable
    public static func gemv(_ trans: Transpose = .none, m: Int, n: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int,
                            x: UnsafePointer<Double>, incx: Int = 1,
                            beta: Double = 0,
                            y: UnsafeMutablePointer<Double>, incy: Int = 1) {
        precondition(m >= 0 && n >= 0, "gemv: negative dimension")
        precondition(lda >= max(1, n), "gemv: lda \(lda) too small")
        precondition(incx != 0 && incy != 0, "gemv: zero increment")
        if m == 0 || n == 0 { return }
        cblas_dgemv(CblasRowMajor, trans.cblas, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, Int32(incx), beta, y, Int32(incy))
    }

    /// `y ← α·x + y` over n strided elements.
    @inlinable
    public static func axpy(n: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int = 1,
                            y: UnsafeMutablePointer<Double>, incy: Int = 1) {
        precondition(n >= 0 && incx != 0 && incy != 0, "axpy: bad size or increment")
        cblas_daxpy(Int32(n), alpha, x, Int32(incx), y, Int32(incy))
    }

    /// `x ← α·x` over n strided elements.
    @inlinable
    public static func scal(n: Int, alpha: Double, x: UnsafeMutablePointer<Double>, incx: Int = 1) {
        precondition(n >= 0 && incx > 0, "scal: bad size or increment")
        cblas_dscal(Int32(n), alpha, x, Int32(incx))
    }

    /// `xᵀy` over n strided elements.
    @inlinable
    public static func dot(n: Int, x: UnsafePointer<Double>, incx: Int = 1,
                           y: UnsafePointer<Double>, incy: Int = 1) -> Double {
        precondition(n >= 0 && incx != 0 && incy != 0, "dot: bad size or increment")
        return cblas_ddot(Int32(n), x, Int32(incx), y, Int32(incy))
    }

    /// Euclidean norm `‖x‖₂` over n strided elements (computed without overflow by BLAS).
    @inlinable
    public static func nrm2(n: Int, x: UnsafePointer<Double>, incx: Int = 1) -> Double {
        precondition(n >= 0 && incx > 0, "nrm2: bad size or increment")
        return cblas_dnrm2(Int32(n), x, Int32(incx))
    }
}
