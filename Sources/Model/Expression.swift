import Foundation

extension Activation {
    /// A scalar expression in one variable `x`: the tree behind a user-defined activation.
    ///
    /// The language: numbers (`2`, `0.5`, `1e-3`), the variable `x`, the constants `pi` and `e`,
    /// `+ - * / ^` (`^` is right-associative and binds tighter than unary minus, so `-x^2 = -(x^2)`),
    /// parentheses, and the functions of `Function`. `description` prints the tree with the fewest
    /// parentheses that parse back to the same tree, so `Expression(parsing: e.description) == e`.
    public indirect enum Expression: Hashable, Sendable, CustomStringConvertible {
        case constant(Double)
        case x
        case negate(Expression)
        case add(Expression, Expression)
        case subtract(Expression, Expression)
        case multiply(Expression, Expression)
        case divide(Expression, Expression)
        case power(Expression, Expression)
        case call(Function, Expression)

        /// The elementary functions of the language. `sign` and `step` (Heaviside, 0 at 0) are the
        /// derivatives of `abs` and `relu`; they are accepted by the parser too.
        public enum Function: String, CaseIterable, Hashable, Sendable {
            case exp, log, sqrt, sin, cos, tan, tanh, sinh, cosh, sigmoid, softplus, abs, relu, erf, atan
            case sign, step

            /// True for the functions whose Taylor series at a zero of the argument differs from the
            /// left and from the right (kinks and jumps).
            public var isOneSided: Bool {
                switch self {
                case .abs, .relu, .sign, .step: return true
                default: return false
                }
            }

            /// The function at one point, in a numerically stable form.
            @inline(__always)
            public func callAsFunction(_ v: Double) -> Double {
                switch self {
                case .exp: return Foundation.exp(v)
                case .log: return Foundation.log(v)
                case .sqrt: return v.squareRoot()
                case .sin: return Foundation.sin(v)
                case .cos: return Foundation.cos(v)
                case .tan: return Foundation.tan(v)
                case .tanh: return Foundation.tanh(v)
                case .sinh: return Foundation.sinh(v)
                case .cosh: return Foundation.cosh(v)
                case .sigmoid: return stableSigmoid(v)
                case .softplus: return stableSoftplus(v)
                case .abs: return Swift.abs(v)
                case .relu: return v > 0 ? v : (v.isNaN ? v : 0)
                case .erf: return Foundation.erf(v)
                case .atan: return Foundation.atan(v)
                case .sign: return v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? v : 0))
                case .step: return v > 0 ? 1 : (v.isNaN ? v : 0)
                }
            }
        }

        /// The value at `x` by walking the tree (the reference path; activations use a compiled program).
        public func evaluate(at x: Double) -> Double {
            switch self {
            case .constant(let c): return c
            case .x: return x
            case .negate(let a): return -a.evaluate(at: x)
            case .add(let a, let b): return a.evaluate(at: x) + b.evaluate(at: x)
            case .subtract(let a, let b): return a.evaluate(at: x) - b.evaluate(at: x)
            case .multiply(let a, let b): return a.evaluate(at: x) * b.evaluate(at: x)
            case .divide(let a, let b): return a.evaluate(at: x) / b.evaluate(at: x)
            case .power(let a, let b): return Self.power(a.evaluate(at: x), b.evaluate(at: x))
            case .call(let f, let a): return f(a.evaluate(at: x))
            }
        }

        /// `a^b`, by repeated multiplication when `b` is a small integer (so negative bases work).
        static func power(_ a: Double, _ b: Double) -> Double {
            if b == b.rounded(), Swift.abs(b) <= 64 {
                var n = Int(Swift.abs(b)), base = a, r = 1.0
                while n > 0 { if n & 1 == 1 { r *= base }; base *= base; n >>= 1 }
                return b < 0 ? 1 / r : r
            }
            return Foundation.pow(a, b)
        }

        /// Whether the variable occurs in the tree.
        public var dependsOnX: Bool {
            switch self {
            case .constant: return false
            case .x: return true
            case .negate(let a), .call(_, let a): return a.dependsOnX
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b),
                 .divide(let a, let b), .power(let a, let b):
                return a.dependsOnX || b.dependsOnX
            }
        }

        /// Whether a kink function (`abs`, `relu`, `sign`, `step`) occurs in the tree.
        public var containsOneSidedFunction: Bool {
            switch self {
            case .constant, .x: return false
            case .call(let f, let a): return f.isOneSided || a.containsOneSidedFunction
            case .negate(let a): return a.containsOneSidedFunction
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b),
                 .divide(let a, let b), .power(let a, let b):
                return a.containsOneSidedFunction || b.containsOneSidedFunction
            }
        }

        // MARK: Printing

        /// Binding strength of the printed form: 1 sum, 2 product, 3 unary minus, 4 power, 5 atom.
        var precedence: Int {
            switch self {
            case .constant(let c): return c < 0 || (c == 0 && c.sign == .minus) ? 3 : 5
            case .x, .call: return 5
            case .negate: return 3
            case .add, .subtract: return 1
            case .multiply, .divide: return 2
            case .power: return 4
            }
        }

        public var description: String {
            func wrap(_ e: Expression, atLeast p: Int) -> String {
                e.precedence >= p ? e.description : "(" + e.description + ")"
            }
            switch self {
            case .constant(let c): return Self.format(c)
            case .x: return "x"
            case .negate(let a): return "-" + wrap(a, atLeast: 3)
            case .add(let a, let b): return wrap(a, atLeast: 1) + "+" + wrap(b, atLeast: 2)
            case .subtract(let a, let b): return wrap(a, atLeast: 1) + "-" + wrap(b, atLeast: 2)
            case .multiply(let a, let b): return wrap(a, atLeast: 2) + "*" + wrap(b, atLeast: 3)
            case .divide(let a, let b): return wrap(a, atLeast: 2) + "/" + wrap(b, atLeast: 3)
            case .power(let a, let b): return wrap(a, atLeast: 5) + "^" + wrap(b, atLeast: 3)
            case .call(let f, let a): return f.rawValue + "(" + a.description + ")"
            }
        }

        /// Shortest text that parses back to exactly `c`: integers without ".0", π as `pi`, e as `e`.
        static func format(_ c: Double) -> String {
            if c == Double.pi { return "pi" }
            if c == M_E { return "e" }
            if c < 0 || (c == 0 && c.sign == .minus) { return "-" + format(-c) }
            if c == c.rounded(), c < 9.0e15 { return String(Int64(c)) }
            return c.description
        }
    }
}

/// 1/(1+e^(−v)) without overflow for large |v|.
@inline(__always)
func stableSigmoid(_ v: Double) -> Double {
    if v >= 0 { return 1 / (1 + Foundation.exp(-v)) }
    let e = Foundation.exp(v)
    return e / (1 + e)
}

/// log(1+e^v) = max(v,0) + log1p(e^(−|v|)), exact for large |v|.
@inline(__always)
func stableSoftplus(_ v: Double) -> Double {
    (v > 0 ? v : 0) + Foundation.log1p(Foundation.exp(-Swift.abs(v)))
}
