/// Every error of the Model module, one line each: an activation, an architecture or an initializer that is
/// rejected, and a saved generator state that cannot be restored.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An activation spec or expression that is rejected; the text is the whole line (what is wrong, and what to
    /// write instead).
    case activation(String)
    /// An `Architecture` that does not fit together; the text names the part.
    case architecture(String)
    /// An initializer text that does not parse or has a parameter out of range; the text is the whole line.
    case initScheme(String)
    /// A saved generator state (its words) that `Xoshiro256(state:)` cannot restore.
    case randomState([UInt64])

    public var description: String {
        switch self {
        case .activation(let line), .initScheme(let line): return line
        case .architecture(let what): return "invalid architecture: \(what)"
        case .randomState(let words):
            return "invalid random-generator state \(words): expected 6 words (s0…s3 not all zero, flag 0 or 1, cached bits) or 4 words"
        }
    }
}
