import Foundation

extension Activation {
    /// The leading Taylor coefficients of an activation at 0, from each side, with its multiplicity
    /// (what `condense multiplicity` prints).
    public struct TaylorReport: Sendable, Equatable {
        /// The activation's canonical spec.
        public let spec: String
        /// The defining expression, as text.
        public let definition: String
        /// c₀ … c_{terms−1} of the series valid for x → 0⁺ (cₖ = σ⁽ᵏ⁾(0⁺)/k!).
        public let right: [Double]
        /// The same for x → 0⁻; equal to `right` for a function smooth at 0.
        public let left: [Double]
        public let multiplicity: Multiplicity

        /// Whether both sides have the same series (up to the rounding tolerance).
        public var isSmooth: Bool {
            zip(right, left).allSatisfy { r, l in
                Swift.abs(r - l) <= Expression.taylorTolerance * Swift.max(1, Swift.abs(r), Swift.abs(l))
            }
        }

        /// The two-sided coefficients (the right ones when the sides differ).
        public var coefficients: [Double] { right }
    }

    /// The first `terms` Taylor coefficients of `a` at 0 from both sides, and its multiplicity.
    ///
    /// Throws `ModelError.activation` when `a` has no defining expression (made directly from closures) or
    /// no power series at 0.
    public static func multiplicityReport(_ a: Activation, terms: Int = 8) throws -> TaylorReport {
        precondition(terms >= 1, "ask for at least one Taylor coefficient")
        guard let e = a.expression else {
            throw ModelError.activation("activation '\(a.spec)' has no defining expression, so its Taylor series is unknown")
        }
        let order = Swift.max(terms - 1, Expression.defaultTaylorOrder)
        let (right, left) = try e.oneSidedSeries(order: order)
        return TaylorReport(spec: a.spec, definition: e.description,
                            right: Array(right.coefficients.prefix(terms)),
                            left: Array(left.coefficients.prefix(terms)),
                            multiplicity: Expression.multiplicity(right: right, left: left))
    }
}
