/// A failure reported by LAPACK, or an operand of the wrong shape.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A LAPACK routine returned `info != 0` (negative: argument |info| was illegal; positive: the
    /// algorithm failed, e.g. an eigenvalue did not converge).
    case lapack(routine: String, info: Int)
    /// Operand shapes do not fit the operation.
    case shape(String)

    public var description: String {
        switch self {
        case .lapack(let routine, let info) where info < 0:
            return "LAPACK \(routine): argument \(-info) was illegal (a bug in the caller; please report it)"
        case .lapack(let routine, let info):
            return "LAPACK \(routine) failed with info = \(info) (no convergence or a singular input; check the matrix for NaN/Inf)"
        case .shape(let what):
            return "shape mismatch: \(what)"
        }
    }
}
