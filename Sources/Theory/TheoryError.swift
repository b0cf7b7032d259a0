/// Every error of the Theory module, one line each: a parameter outside a formula's domain.
public enum TheoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter of the propagation theory (the mean-field maps, the finite-width angle law, Algorithm 1) outside
    /// its domain; the text is the whole line.
    case propagation(String)
    /// A width or slope for which the leaky-ReLU Lyapunov quantities have no finite value; the text is the whole
    /// line.
    case lyapunov(String)

    public var description: String {
        switch self {
        case .propagation(let line), .lyapunov(let line): return line
        }
    }
}
