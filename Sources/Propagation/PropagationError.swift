/// Every error of the Propagation module, one line each.
public enum PropagationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A propagation request (`PropagationSetup.validate()`) with a parameter out of range or too large for the
    /// machine; the text is the whole line.
    case setup(String)

    public var description: String {
        switch self {
        case .setup(let line): return line
        }
    }
}
