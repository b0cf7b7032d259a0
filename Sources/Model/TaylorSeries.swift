import Foundation

/// A truncated power series c₀ + c₁x + … + c_N x^N around 0 (N = `order`), with the arithmetic of
/// series: + − × ÷, integer and real powers, and composition with the elementary functions through
/// their standard recurrences (each O(N²)).
///
/// Binary operations truncate to the shorter operand. Division needs a non-zero constant term of the
/// divisor, `log` and real powers a positive one, `sqrt` a positive one; otherwise the coefficients
/// come out non-finite (`isFinite` is false) rather than silently wrong.
public struct TaylorSeries: Sendable, Equatable, CustomStringConvertible {
    /// c₀ … c_N: cₖ = f⁽ᵏ⁾(0)/k!.
    public var coefficients: [Double]

    public init(_ coefficients: [Double]) {
        precondition(!coefficients.isEmpty, "a Taylor series needs at least its constant term")
        self.coefficients = coefficients
    }

    /// The constant c up to the given order.
    public static func constant(_ c: Double, order: Int) -> TaylorSeries {
        var a = [Double](repeating: 0, count: order + 1); a[0] = c
        return TaylorSeries(a)
    }

    /// The variable x up to the given order.
    public static func variable(order: Int) -> TaylorSeries {
        var a = [Double](repeating: 0, count: order + 1)
        if order >= 1 { a[1] = 1 }
        return TaylorSeries(a)
    }

    public var order: Int { coefficients.count - 1 }
    public subscript(k: Int) -> Double { k < coefficients.count ? coefficients[k] : 0 }
    public var isFinite: Bool { coefficients.allSatisfy(\.isFinite) }

    public var description: String {
        coefficients.enumerated().map { k, c in k == 0 ? "\(c)" : "\(c)·x^\(k)" }.joined(separator: " + ")
            + " + O(x^\(coefficients.count))"
    }

    // MARK: Arithmetic

    public static prefix func - (a: TaylorSeries) -> TaylorSeries { TaylorSeries(a.coefficients.map { -$0 }) }

    public static func + (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        let n = Swift.min(a.coefficients.count, b.coefficients.count)
        return TaylorSeries((0..<n).map { a.coefficients[$0] + b.coefficients[$0] })
    }

    public static func - (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        let n = Swift.min(a.coefficients.count, b.coefficients.count)
        return TaylorSeries((0..<n).map { a.coefficients[$0] - b.coefficients[$0] })
    }

    public static func * (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        let n = Swift.min(a.coefficients.count, b.coefficients.count)
        var c = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var s = 0.0
            for i in 0...k { s += a.coefficients[i] * b.coefficients[k - i] }
            c[k] = s
        }
        return TaylorSeries(c)
    }

    public static func * (s: Double, a: TaylorSeries) -> TaylorSeries { TaylorSeries(a.coefficients.map { s * $0 }) }

    public static func + (a: TaylorSeries, s: Double) -> TaylorSeries {
        var c = a.coefficients; c[0] += s; return TaylorSeries(c)
    }

    /// a / b by the recurrence qₖ = (aₖ − Σ_{i<k} qᵢ b_{k−i}) / b₀.
    public static func / (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        let n = Swift.min(a.coefficients.count, b.coefficients.count)
        var q = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var s = a.coefficients[k]
            for i in 0..<k { s -= q[i] * b.coefficients[k - i] }
            q[k] = s / b.coefficients[0]
        }
        return TaylorSeries(q)
    }

    /// aⁿ for any integer n (by squaring; negative n divides, so it needs a₀ ≠ 0).
    public func power(_ n: Int) -> TaylorSeries {
        var result = TaylorSeries.constant(1, order: order), base = self, m = n.magnitude
        while m > 0 {
            if m & 1 == 1 { result = result * base }
            base = base * base
            m >>= 1
        }
        return n < 0 ? TaylorSeries.constant(1, order: order) / result : result
    }

    /// a^c for real c, needing a₀ > 0: bₖ = Σ_{i=1}^{k} ((c+1)i − k) aᵢ b_{k−i} / (k a₀).
    public func power(_ c: Double) -> TaylorSeries {
        if c == c.rounded(), Swift.abs(c) <= 1024 { return power(Int(c)) }
        let a = coefficients, n = a.count
        var b = [Double](repeating: 0, count: n)
        b[0] = Foundation.pow(a[0], c)
        if n > 1 {
            for k in 1..<n {
                var s = 0.0
                for i in 1...k { s += ((c + 1) * Double(i) - Double(k)) * a[i] * b[k - i] }
                b[k] = s / (Double(k) * a[0])
            }
        }
        return TaylorSeries(b)
    }

    // MARK: Elementary functions

    /// f(a) from f(a₀) and the series s = f'(a): bₖ = (1/k) Σ_{i=1}^{k} i aᵢ s_{k−i}
    /// (the series of b' = s·a', integrated). `s` needs order ≥ N−1.
    func integrating(_ s: TaylorSeries, valueAtZero: Double) -> TaylorSeries {
        let a = coefficients, n = a.count
        var b = [Double](repeating: 0, count: n)
        b[0] = valueAtZero
        if n > 1 {
            for k in 1..<n {
                var t = 0.0
                for i in 1...k { t += Double(i) * a[i] * s[k - i] }
                b[k] = t / Double(k)
            }
        }
        return TaylorSeries(b)
    }

    /// f(a) for f' = α + βf + γf² (exp, tan, tanh, sigmoid), built coefficient by coefficient.
    func riccati(valueAtZero f0: Double, _ alpha: Double, _ beta: Double, _ gamma: Double) -> TaylorSeries {
        let a = coefficients, n = a.count
        var f = [Double](repeating: 0, count: n), p = [Double](repeating: 0, count: n)
        f[0] = f0
        p[0] = alpha + beta * f0 + gamma * f0 * f0
        if n > 1 {
            for k in 1..<n {
                var t = 0.0
                for i in 1...k { t += Double(i) * a[i] * p[k - i] }
                f[k] = t / Double(k)
                var square = 0.0
                for i in 0...k { square += f[i] * f[k - i] }
                p[k] = beta * f[k] + gamma * square
            }
        }
        return TaylorSeries(f)
    }

    /// (sin a, cos a) or, with `hyperbolic`, (sinh a, cosh a), together.
    func sineCosine(hyperbolic: Bool) -> (TaylorSeries, TaylorSeries) {
        let a = coefficients, n = a.count
        var s = [Double](repeating: 0, count: n), c = [Double](repeating: 0, count: n)
        s[0] = hyperbolic ? Foundation.sinh(a[0]) : Foundation.sin(a[0])
        c[0] = hyperbolic ? Foundation.cosh(a[0]) : Foundation.cos(a[0])
        if n > 1 {
            for k in 1..<n {
                var ts = 0.0, tc = 0.0
                for i in 1...k {
                    ts += Double(i) * a[i] * c[k - i]
                    tc += Double(i) * a[i] * s[k - i]
                }
                s[k] = ts / Double(k)
                c[k] = (hyperbolic ? tc : -tc) / Double(k)
            }
        }
        return (TaylorSeries(s), TaylorSeries(c))
    }

    public func exp() -> TaylorSeries { riccati(valueAtZero: Foundation.exp(coefficients[0]), 0, 1, 0) }

    /// log a, needing a₀ > 0: bₖ = (aₖ − (1/k) Σ_{i=1}^{k−1} i bᵢ a_{k−i}) / a₀.
    public func log() -> TaylorSeries {
        let a = coefficients, n = a.count
        var b = [Double](repeating: 0, count: n)
        b[0] = Foundation.log(a[0])
        if n > 1 {
            for k in 1..<n {
                var t = 0.0
                for i in 1..<k { t += Double(i) * b[i] * a[k - i] }
                b[k] = (a[k] - t / Double(k)) / a[0]
            }
        }
        return TaylorSeries(b)
    }

    /// √a, needing a₀ > 0: bₖ = (aₖ − Σ_{i=1}^{k−1} bᵢ b_{k−i}) / (2b₀).
    public func sqrt() -> TaylorSeries {
        let a = coefficients, n = a.count
        var b = [Double](repeating: 0, count: n)
        b[0] = a[0].squareRoot()
        if n > 1 {
            for k in 1..<n {
                var t = a[k]
                for i in 1..<k { t -= b[i] * b[k - i] }
                b[k] = t / (2 * b[0])
            }
        }
        return TaylorSeries(b)
    }

    public func sin() -> TaylorSeries { sineCosine(hyperbolic: false).0 }
    public func cos() -> TaylorSeries { sineCosine(hyperbolic: false).1 }
    public func sinh() -> TaylorSeries { sineCosine(hyperbolic: true).0 }
    public func cosh() -> TaylorSeries { sineCosine(hyperbolic: true).1 }
    public func tan() -> TaylorSeries { riccati(valueAtZero: Foundation.tan(coefficients[0]), 1, 0, 1) }
    public func tanh() -> TaylorSeries { riccati(valueAtZero: Foundation.tanh(coefficients[0]), 1, 0, -1) }
    public func sigmoid() -> TaylorSeries { riccati(valueAtZero: stableSigmoid(coefficients[0]), 0, 1, -1) }

    /// softplus' = sigmoid.
    public func softplus() -> TaylorSeries {
        integrating(sigmoid(), valueAtZero: stableSoftplus(coefficients[0]))
    }

    /// erf' = (2/√π)·exp(−a²).
    public func erf() -> TaylorSeries {
        let s = (2 / Double.pi.squareRoot()) * (-(self * self)).exp()
        return integrating(s, valueAtZero: Foundation.erf(coefficients[0]))
    }

    /// atan' = 1/(1+a²).
    public func atan() -> TaylorSeries {
        let s = TaylorSeries.constant(1, order: order) / ((self * self) + 1)
        return integrating(s, valueAtZero: Foundation.atan(coefficients[0]))
    }
}
