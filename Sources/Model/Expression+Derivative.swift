import Foundation

extension Activation.Expression {
    /// The tree rebuilt bottom-up with local simplifications: constant folding, the neutral and
    /// absorbing elements of + − × ÷ ^, double negation, constants gathered to the left of products.
    /// The simplified tree computes the same function (up to rounding of folded constants).
    public func simplified() -> Activation.Expression {
        typealias E = Activation.Expression
        switch self {
        case .constant, .x: return self
        case .negate(let a): return E.negating(a.simplified())
        case .add(let a, let b): return E.adding(a.simplified(), b.simplified())
        case .subtract(let a, let b): return E.subtracting(a.simplified(), b.simplified())
        case .multiply(let a, let b): return E.multiplying(a.simplified(), b.simplified())
        case .divide(let a, let b): return E.dividing(a.simplified(), b.simplified())
        case .power(let a, let b): return E.raising(a.simplified(), to: b.simplified())
        case .call(let f, let a): return E.calling(f, a.simplified())
        }
    }

    /// The exact derivative d/dx, simplified. `abs' = sign`, `relu' = step`, and `sign' = step' = 0`
    /// (the derivative almost everywhere, as automatic differentiation would give).
    public func derivative() -> Activation.Expression {
        typealias E = Activation.Expression
        switch self {
        case .constant: return .constant(0)
        case .x: return .constant(1)
        case .negate(let a): return E.negating(a.derivative())
        case .add(let a, let b): return E.adding(a.derivative(), b.derivative())
        case .subtract(let a, let b): return E.subtracting(a.derivative(), b.derivative())
        case .multiply(let a, let b):
            return E.adding(E.multiplying(a.derivative(), b), E.multiplying(a, b.derivative()))
        case .divide(let a, let b):
            // (a/b)' = a'/b − a·b'/b²
            let db = b.derivative()
            if case .constant(0) = db { return E.dividing(a.derivative(), b) }
            return E.subtracting(E.dividing(a.derivative(), b),
                                 E.dividing(E.multiplying(a, db), E.raising(b, to: .constant(2))))
        case .power(let a, let b):
            let da = a.derivative(), db = b.derivative()
            if case .constant(let c) = b {
                // (a^c)' = c·a^(c−1)·a'
                return E.multiplying(E.multiplying(.constant(c), E.raising(a, to: .constant(c - 1))), da)
            }
            if case .constant(let base) = a {
                // (k^b)' = k^b·log(k)·b'
                return E.multiplying(E.multiplying(self, .constant(Foundation.log(base))), db)
            }
            // (a^b)' = a^b·(b'·log a + b·a'/a)
            return E.multiplying(self, E.adding(E.multiplying(db, E.calling(.log, a)),
                                                E.dividing(E.multiplying(b, da), a)))
        case .call(let f, let a):
            let da = a.derivative()
            if case .constant(0) = da { return .constant(0) }
            let outer: E
            switch f {
            case .exp: outer = self
            case .log: return E.dividing(da, a)
            case .sqrt: return E.dividing(da, E.multiplying(.constant(2), self))
            case .sin: outer = E.calling(.cos, a)
            case .cos: outer = E.negating(E.calling(.sin, a))
            case .tan: outer = E.adding(.constant(1), E.raising(self, to: .constant(2)))
            case .tanh: outer = E.subtracting(.constant(1), E.raising(self, to: .constant(2)))
            case .sinh: outer = E.calling(.cosh, a)
            case .cosh: outer = E.calling(.sinh, a)
            case .sigmoid: outer = E.multiplying(self, E.subtracting(.constant(1), self))
            case .softplus: outer = E.calling(.sigmoid, a)
            case .abs: outer = E.calling(.sign, a)
            case .relu: outer = E.calling(.step, a)
            case .erf:
                outer = E.multiplying(.constant(2 / Double.pi.squareRoot()),
                                      E.calling(.exp, E.negating(E.raising(a, to: .constant(2)))))
            case .atan: return E.dividing(da, E.adding(.constant(1), E.raising(a, to: .constant(2))))
            case .sign, .step: return .constant(0)
            }
            return E.multiplying(outer, da)
        }
    }

    // MARK: Smart constructors (children assumed simplified)

    static func negating(_ a: Self) -> Self {
        switch a {
        case .constant(let c): return .constant(-c)
        case .negate(let b): return b
        case .subtract(let p, let q): return .subtract(q, p)
        default: return .negate(a)
        }
    }

    static func adding(_ a: Self, _ b: Self) -> Self {
        if case .constant(let p) = a, case .constant(let q) = b { return .constant(p + q) }
        if case .constant(0) = a { return b }
        if case .constant(0) = b { return a }
        if case .negate(let q) = b { return subtracting(a, q) }
        if case .negate(let p) = a { return subtracting(b, p) }
        if case .constant(let q) = b, q < 0 { return subtracting(a, .constant(-q)) }
        return .add(a, b)
    }

    static func subtracting(_ a: Self, _ b: Self) -> Self {
        if case .constant(let p) = a, case .constant(let q) = b { return .constant(p - q) }
        if case .constant(0) = b { return a }
        if case .constant(0) = a { return negating(b) }
        if a == b { return .constant(0) }
        if case .negate(let q) = b { return adding(a, q) }
        if case .constant(let q) = b, q < 0 { return adding(a, .constant(-q)) }
        return .subtract(a, b)
    }

    static func multiplying(_ a: Self, _ b: Self) -> Self {
        switch (a, b) {
        case (.constant(let p), .constant(let q)): return .constant(p * q)
        case (.constant(0), _), (_, .constant(0)): return .constant(0)
        case (.constant(1), _): return b
        case (_, .constant(1)): return a
        case (.constant(-1), _): return negating(b)
        case (_, .constant(-1)): return negating(a)
        case (_, .constant): return multiplying(b, a)
        case (.negate(let p), _): return negating(multiplying(p, b))
        case (_, .negate(let q)): return negating(multiplying(a, q))
        case (.constant(let p), .multiply(.constant(let q), let r)): return multiplying(.constant(p * q), r)
        case (.multiply(.constant(let p), let r), _): return multiplying(.constant(p), multiplying(r, b))
        default:
            if a == b { return .power(a, .constant(2)) }
            return .multiply(a, b)
        }
    }

    static func dividing(_ a: Self, _ b: Self) -> Self {
        switch (a, b) {
        case (.constant(let p), .constant(let q)) where q != 0: return .constant(p / q)
        case (.constant(0), _): return .constant(0)
        case (_, .constant(1)): return a
        case (_, .constant(-1)): return negating(a)
        case (.negate(let p), _): return negating(dividing(p, b))
        case (_, .negate(let q)): return negating(dividing(a, q))
        default: return .divide(a, b)
        }
    }

    static func raising(_ a: Self, to b: Self) -> Self {
        switch (a, b) {
        case (.constant(let p), .constant(let q)): return .constant(power(p, q))
        case (_, .constant(0)): return .constant(1)
        case (_, .constant(1)): return a
        case (.constant(1), _): return .constant(1)
        case (.power(let base, .constant(let p)), .constant(let q)) where q == q.rounded():
            // (u^p)^n = u^(p·n) for integer n (holds for every real u where u^p is defined).
            return raising(base, to: .constant(p * q))
        default: return .power(a, b)
        }
    }

    static func calling(_ f: Function, _ a: Self) -> Self {
        if case .constant(let c) = a { return .constant(f(c)) }
        return .call(f, a)
    }
}
