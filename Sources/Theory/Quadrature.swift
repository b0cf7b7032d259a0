import Foundation

/// Numerical integration: Gauss–Legendre rules, an adaptive composite Gauss–Legendre integrator, and
/// expectations under Beta laws (what the Lyapunov closed forms need).
public enum Quadrature {
    /// The n-point Gauss–Legendre rule on [−1, 1]: nodes ascending and their weights. Nodes are the roots of the
    /// Legendre polynomial P_n, found by Newton's method from cos(π(i + 3/4)/(n + 1/2)); weights
    /// 2 / ((1 − x²) P_n′(x)²). Exact for polynomials of degree ≤ 2n − 1.
    public static func gaussLegendre(_ n: Int) -> (nodes: [Double], weights: [Double]) {
        precondition(n >= 1, "gaussLegendre: n must be ≥ 1")
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        func legendre(_ z: Double) -> (p: Double, dp: Double) {
            var p1 = 1.0, p2 = 0.0
            for j in 1...n {
                let p3 = p2
                p2 = p1
                p1 = ((2 * Double(j) - 1) * z * p2 - (Double(j) - 1) * p3) / Double(j)
            }
            return (p1, Double(n) * (z * p1 - p2) / (z * z - 1))
        }
        for i in 0..<((n + 1) / 2) {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            for _ in 0..<100 {
                let (p, dp) = legendre(z)
                let dz = p / dp
                z -= dz
                if abs(dz) <= 1e-15 { break }
            }
            if n % 2 == 1 && i == n / 2 { z = 0 }
            let dp = legendre(z).dp
            let w = 2 / ((1 - z * z) * dp * dp)
            nodes[i] = -z; nodes[n - 1 - i] = z
            weights[i] = w; weights[n - 1 - i] = w
        }
        return (nodes, weights)
    }

    /// The 20-point rule used by `integrate`.
    static let rule20 = gaussLegendre(20)

    /// ∫_a^b f for up to four integrands at once (components of a SIMD4), by composite 20-point Gauss–Legendre:
    /// [a, b] is cut into `pieces` equal parts, then each part is bisected until the two halves agree with the
    /// whole to an absolute tolerance `relativeTolerance` × (largest component of the first estimate), shared
    /// out in proportion to length, or to `noiseFloor` × the part's own value (the integrand's own relative noise: 10⁻¹³ is safely above rounding;
    /// at most 48 bisections deep and 200 000 in all). The accepted value is the sum of the halves.
    public static func integrate(from a: Double, to b: Double, pieces: Int = 1, relativeTolerance: Double = 1e-14,
                                 noiseFloor: Double = 1e-13, _ f: (Double) -> SIMD4<Double>) -> SIMD4<Double> {
        precondition(pieces >= 1, "integrate: pieces must be ≥ 1")
        guard b > a else { return .zero }
        let (x, w) = rule20
        func rule(_ lo: Double, _ hi: Double) -> SIMD4<Double> {
            let c = (lo + hi) / 2, h = (hi - lo) / 2
            var s = SIMD4<Double>.zero
            for i in 0..<x.count { s += w[i] * f(c + h * x[i]) }
            return h * s
        }
        let width = (b - a) / Double(pieces)
        var coarse: [SIMD4<Double>] = []
        coarse.reserveCapacity(pieces)
        var first = SIMD4<Double>.zero
        for p in 0..<pieces {
            let v = rule(a + Double(p) * width, p == pieces - 1 ? b : a + Double(p + 1) * width)
            coarse.append(v)
            first += v
        }
        let scale = max(maxAbs(first), Double.leastNormalMagnitude)
        let tolerancePerLength = relativeTolerance * scale / (b - a)

        var budget = 200_000     // bisections in all: a guard against integrands no rule can resolve
        func refine(_ lo: Double, _ hi: Double, _ whole: SIMD4<Double>, _ depth: Int) -> SIMD4<Double> {
            let mid = (lo + hi) / 2
            let left = rule(lo, mid), right = rule(mid, hi)
            let halves = left + right
            let error = maxAbs(halves - whole)
            // Accept at the shared tolerance, or once the halves agree to rounding (a singular end point would
            // otherwise demand more than double precision of its ever smaller intervals).
            budget -= 1
            if error <= tolerancePerLength * (hi - lo) || error <= noiseFloor * maxAbs(halves) || depth >= 48 || budget <= 0 {
                return halves
            }
            return refine(lo, mid, left, depth + 1) + refine(mid, hi, right, depth + 1)
        }
        var total = SIMD4<Double>.zero
        for p in 0..<pieces {
            let lo = a + Double(p) * width, hi = p == pieces - 1 ? b : a + Double(p + 1) * width
            total += refine(lo, hi, coarse[p], 0)
        }
        return total
    }

    static func maxAbs(_ v: SIMD4<Double>) -> Double {
        max(max(abs(v[0]), abs(v[1])), max(abs(v[2]), abs(v[3])))
    }

    /// ∫_a^b f for one integrand (see the SIMD4 version).
    public static func integrate(from a: Double, to b: Double, pieces: Int = 1, relativeTolerance: Double = 1e-14,
                                 _ f: (Double) -> Double) -> Double {
        integrate(from: a, to: b, pieces: pieces, relativeTolerance: relativeTolerance) { SIMD4(f($0), 0, 0, 0) }[0]
    }

    /// E g(U) and E g(U)² for U ~ Beta(a, b), a, b > 0; `g` receives (u, 1 − u), both exact.
    ///
    /// Substituting u = sin²θ turns the density into 2·sin^{2a−1}θ·cos^{2b−1}θ / B(a, b) on [0, π/2]: smooth
    /// for a, b ≥ 1/2 (and polynomial in sin, cos at the half-integers of the Lyapunov mixtures, where the
    /// u-density is singular). For a, b ≥ 1/2 and a + b > 1 the θ-density is log-concave with curvature at most
    /// −(2(a+b) − 2), so it is integrated only over the mode ± 38 s, s = 1/√(2(a+b) − 2) (the mass left out is
    /// below e⁻⁷⁰⁰), in pieces of width 3s (the density's standard deviation near the mode is s/√2). `mass` is the quadrature of the density itself (1 up to rounding);
    /// both moments are divided by it.
    public static func betaExpectations(a: Double, b: Double, _ g: (_ u: Double, _ oneMinusU: Double) -> Double)
        -> (mean: Double, meanSquare: Double, mass: Double) {
        precondition(a > 0 && b > 0, "betaExpectations: a and b must be > 0")
        let logNorm = log(2.0) - SpecialFunctions.logBeta(a, b)
        let ea = 2 * a - 1, eb = 2 * b - 1
        var lo = 0.0, hi = Double.pi / 2, pieces = 8
        if a >= 0.5 && b >= 0.5 && a + b > 1 {
            let s = 1 / (2 * (a + b) - 2).squareRoot()
            let mode = atan2(ea.squareRoot(), eb.squareRoot())
            lo = max(0, mode - 38 * s)
            hi = min(Double.pi / 2, mode + 38 * s)
            pieces = min(4000, max(8, Int(((hi - lo) / (3 * s)).rounded(.up))))
        }
        // ea·log sin θ + eb·log cos θ carries a relative error ≈ ε·(|ea log sin| + |eb log cos|) into the density
        var noise = 1e-13
        if a >= 0.5 && b >= 0.5 && a + b > 1 {
            let mode = atan2(ea.squareRoot(), eb.squareRoot())
            noise = max(noise, 16 * Double.ulpOfOne * (abs(ea * log(sin(mode))) + abs(eb * log(cos(mode)))))
        }
        let r = integrate(from: lo, to: hi, pieces: pieces, noiseFloor: noise) { theta -> SIMD4<Double> in
            let sn = sin(theta), cs = cos(theta)
            var logW = logNorm
            if ea != 0 { logW += ea * log(sn) }
            if eb != 0 { logW += eb * log(cs) }
            let w = exp(logW)
            if w == 0 { return .zero }
            let v = g(sn * sn, cs * cs)
            return SIMD4(w, w * v, w * v * v, 0)
        }
        return (r[1] / r[0], r[2] / r[0], r[0])
    }
}
