import CBLAS

/// Whether a BLAS operand is used as stored or transposed (`op(A) = A` or `Aᵀ`).
public enum Transpose: Sendable, Equatable {
    case none
    case transpose

    @usableFromInline
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}
