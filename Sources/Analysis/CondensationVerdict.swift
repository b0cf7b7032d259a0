/// The answer to "how many condensed directions, against the bound 2p?".
public enum CondensationVerdict: String, Sendable, Equatable, CaseIterable {
    /// The condensed orientations do not hold most of the layer (or no neuron is kept).
    case notCondensed
    /// Condensed, with at most 2p condensed orientations.
    case condensedWithinBound
    /// Condensed, with more than 2p condensed orientations.
    case exceedsBound
    /// Condensed, but the activation has no multiplicity (e.g. ReLU): counts only.
    case boundUndefined

    /// The verdict for a layer that is (or is not) condensed with `orientations` condensed orientations.
    public init(condensed: Bool, orientations: Int, multiplicity p: Int?) {
        if !condensed {
            self = .notCondensed
        } else if let p {
            self = orientations <= 2 * p ? .condensedWithinBound : .exceedsBound
        } else {
            self = .boundUndefined
        }
    }
}
