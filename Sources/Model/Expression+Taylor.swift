import Foundation

extension Activation.Expression {
    /// Which side of 0 a one-sided Taylor series describes (x → 0⁺ or x → 0⁻).
    public enum Side: String, Sendable {
        case right, left
    }

    /// The default truncation order of the series used for multiplicities.
    public static let defaultTaylorOrder = 24

    /// Relative size below which a Taylor coefficient counts as zero (against max(1, |c₀|)).
    static let taylorTolerance = 1e-10

    /// The Taylor series of the expression at 0 up to `order`, valid on the given side of 0.
    ///
    /// Smooth expressions give the same series on both sides. A kink function (`abs`, `relu`,
    /// `sign`, `step`) whose argument vanishes at 0 picks its branch from the sign of the argument's
    /// leading term on that side. Throws a `ModelError.activation` naming the reason when the expression
    /// has no power series at 0 (a non-integer power, `log`, `sqrt` or a division by something that
    /// vanishes at 0).
    public func taylorSeries(order: Int = defaultTaylorOrder, side: Side = .right) throws -> TaylorSeries {
        precondition(order >= 1, "the Taylor order must be at least 1")
        switch self {
        case .constant(let c): return .constant(c, order: order)
        case .x: return .variable(order: order)
        case .negate(let a): return -(try a.taylorSeries(order: order, side: side))
        case .add(let a, let b):
            return try a.taylorSeries(order: order, side: side) + b.taylorSeries(order: order, side: side)
        case .subtract(let a, let b):
            return try a.taylorSeries(order: order, side: side) - b.taylorSeries(order: order, side: side)
        case .multiply(let a, let b):
            return try a.taylorSeries(order: order, side: side) * b.taylorSeries(order: order, side: side)
        case .divide(let a, let b):
            let sb = try b.taylorSeries(order: order, side: side)
            if Self.isNegligible(sb[0], scale: 0) {
                throw notAnalytic("division by '\(TextExcerpt.of(b.description))', which vanishes at 0")
            }
            return try a.taylorSeries(order: order, side: side) / sb
        case .power(let a, let b):
            let sa = try a.taylorSeries(order: order, side: side)
            if case .constant(let c) = b {
                if c == c.rounded(), Swift.abs(c) <= 1024 {
                    if c < 0, Self.isNegligible(sa[0], scale: 0) {
                        throw notAnalytic("negative power of '\(TextExcerpt.of(a.description))', which vanishes at 0")
                    }
                    return sa.power(Int(c))
                }
                try requirePositive(sa, a, "non-integer power")
                return sa.power(c)
            }
            try requirePositive(sa, a, "power with a variable exponent")
            return (try b.taylorSeries(order: order, side: side) * sa.log()).exp()
        case .call(let f, let a):
            let s = try a.taylorSeries(order: order, side: side)
            switch f {
            case .exp: return s.exp()
            case .log: try requirePositive(s, a, "log"); return s.log()
            case .sqrt: try requirePositive(s, a, "sqrt"); return s.sqrt()
            case .sin: return s.sin()
            case .cos: return s.cos()
            case .tan: return s.tan()
            case .tanh: return s.tanh()
            case .sinh: return s.sinh()
            case .cosh: return s.cosh()
            case .sigmoid: return s.sigmoid()
            case .softplus: return s.softplus()
            case .erf: return s.erf()
            case .atan: return s.atan()
            case .abs, .relu, .sign, .step:
                let sign = Self.signNearZero(s, side: side)
                let zero = TaylorSeries.constant(0, order: s.order)
                switch f {
                case .abs: return sign == 0 ? zero : sign * s
                case .relu: return sign > 0 ? s : zero
                case .sign: return .constant(sign, order: s.order)
                default: return .constant(sign > 0 ? 1 : 0, order: s.order)
                }
            }
        }
    }

    private func notAnalytic(_ why: String) -> ModelError {
        ModelError.activation("'\(TextExcerpt.of(description))' has no Taylor series at 0: \(why)")
    }

    private func requirePositive(_ s: TaylorSeries, _ argument: Self, _ what: String) throws {
        if Self.isNegligible(s[0], scale: 0) {
            throw notAnalytic("\(what) of '\(TextExcerpt.of(argument.description))', which vanishes at 0")
        }
        if !(s[0] > 0) { throw notAnalytic("\(what) of '\(TextExcerpt.of(argument.description))', which is negative at 0") }
    }

    static func isNegligible(_ c: Double, scale: Double) -> Bool {
        Swift.abs(c) <= taylorTolerance * Swift.max(1, Swift.abs(scale))
    }

    /// The sign (+1, −1 or 0) of a series for x near 0 on one side: the sign of its first
    /// non-negligible term cₖxᵏ there.
    static func signNearZero(_ s: TaylorSeries, side: Side) -> Double {
        let scale = Swift.abs(s[0])
        for k in 0...s.order where !isNegligible(s[k], scale: scale) {
            let flip = side == .left && k % 2 == 1
            return (s[k] > 0) != flip ? 1 : -1
        }
        return 0
    }

    /// The series from the right and from the left (computed once when the expression has no kink).
    public func oneSidedSeries(order: Int = defaultTaylorOrder) throws -> (right: TaylorSeries, left: TaylorSeries) {
        let right = try taylorSeries(order: order, side: .right)
        let left = containsOneSidedFunction ? try taylorSeries(order: order, side: .left) : right
        return (right, left)
    }

    /// The multiplicity at 0 from the exact Taylor series (see `Multiplicity`).
    ///
    /// p is the first k ≥ 1 with a non-negligible coefficient. When the one-sided series differ at
    /// an order ≤ p, σ⁽ᵖ⁾(0) does not exist and the result is `.undefined`, with both one-sided
    /// leading terms in the text. A function with no non-zero coefficient of order ≥ 1 is
    /// `.undefined("constant near 0")`.
    public func multiplicity(order: Int = defaultTaylorOrder) -> Multiplicity {
        do {
            let (right, left) = try oneSidedSeries(order: order)
            return Self.multiplicity(right: right, left: left)
        } catch let error as ModelError {
            return .undefined(error.description)
        } catch {
            return .undefined("\(error)")
        }
    }

    static func multiplicity(right r: TaylorSeries, left l: TaylorSeries) -> Multiplicity {
        guard r.isFinite, l.isFinite else { return .undefined("the Taylor series at 0 is not finite") }
        let n = Swift.min(r.coefficients.count, l.coefficients.count)
        let scale = Swift.max(Swift.abs(r[0]), Swift.abs(l[0]))
        let firstDifference = (0..<n).first { k in
            !isNegligible(r[k] - l[k], scale: Swift.max(scale, Swift.abs(r[k]), Swift.abs(l[k])))
        }
        let p = (1..<n).first { !isNegligible(r[$0], scale: scale) }
        if let d = firstDifference, d <= (p ?? n) {
            let sides = "right: \(describe(r)); left: \(describe(l))"
            switch d {
            case 0: return .undefined("not continuous at 0 (\(sides))")
            case 1: return .undefined("not differentiable at 0 (\(sides))")
            default: return .undefined("not \(d) times differentiable at 0 (\(sides))")
            }
        }
        if let p { return .order(p, leading: r[p]) }
        return .undefined("constant near 0")
    }

    /// "p = 1, leading 0.5" or "constant 0" for one side.
    static func describe(_ s: TaylorSeries) -> String {
        let scale = Swift.abs(s[0])
        if let p = (1..<s.coefficients.count).first(where: { !isNegligible(s[$0], scale: scale) }) {
            return "p = \(p), leading \(compact(s[p]))"
        }
        return "constant \(compact(s[0]))"
    }

    static func compact(_ c: Double) -> String {
        if c == c.rounded(), Swift.abs(c) < 9.0e15 { return String(Int64(c)) }
        return c.description
    }
}
