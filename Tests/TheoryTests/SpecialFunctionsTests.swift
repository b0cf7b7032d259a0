import XCTest
import Foundation
@testable import Theory

final class SpecialFunctionsTests: XCTestCase {
    let eulerGamma = 0.57721566490153286061

    func testDigammaKnownValues() {
        XCTAssertEqual(SpecialFunctions.digamma(1), -eulerGamma, accuracy: 1e-15)
        XCTAssertEqual(SpecialFunctions.digamma(0.5), -eulerGamma - 2 * log(2.0), accuracy: 1e-15)
        // ψ(n) = H_{n−1} − γ
        var harmonic = 0.0
        for n in 1...60 {
            XCTAssertEqual(SpecialFunctions.digamma(Double(n)), harmonic - eulerGamma,
                           accuracy: 2e-15 * max(1, abs(harmonic)), "n = \(n)")
            harmonic += 1 / Double(n)
        }
        // ψ(1/4) = −γ − π/2 − 3 ln 2, ψ(3/4) = −γ + π/2 − 3 ln 2 (Gauss's digamma theorem)
        XCTAssertEqual(SpecialFunctions.digamma(0.25), -eulerGamma - Double.pi / 2 - 3 * log(2.0), accuracy: 1e-14)
        XCTAssertEqual(SpecialFunctions.digamma(0.75), -eulerGamma + Double.pi / 2 - 3 * log(2.0), accuracy: 1e-14)
        // the positive root x₀ = 1.4616321449683623…
        XCTAssertEqual(SpecialFunctions.digamma(1.4616321449683623), 0, accuracy: 5e-16)
    }

    func testTrigammaKnownValues() {
        XCTAssertEqual(SpecialFunctions.trigamma(1), Double.pi * Double.pi / 6, accuracy: 1e-15)
        XCTAssertEqual(SpecialFunctions.trigamma(0.5), Double.pi * Double.pi / 2, accuracy: 1e-14)
        // ψ′(n) = π²/6 − Σ_{k<n} 1/k²
        var partial = 0.0
        for n in 1...60 {
            XCTAssertEqual(SpecialFunctions.trigamma(Double(n)), Double.pi * Double.pi / 6 - partial,
                           accuracy: 1e-15, "n = \(n)")
            partial += 1 / Double(n * n)
        }
    }

    func testRecurrencesReflectionAndDerivative() {
        for x in [1e-6, 0.013, 0.37, 1.0, 2.5, 7.3, 9.999, 10.0, 10.5, 33.3, 1234.5, 1e7] {
            let p = SpecialFunctions.digamma(x), p1 = SpecialFunctions.digamma(x + 1)
            XCTAssertEqual(p1, p + 1 / x, accuracy: 1e-15 * max(1, abs(p), 1 / x), "ψ recurrence at \(x)")
            let t = SpecialFunctions.trigamma(x), t1 = SpecialFunctions.trigamma(x + 1)
            XCTAssertEqual(t, t1 + 1 / (x * x), accuracy: 4e-16 * t, "ψ′ recurrence at \(x)")
        }
        // across the switch to the asymptotic series (x = 10) and for large x
        for x in [9.5, 10.0, 12.0, 100.0, 1e6] {
            let h = 1e-4 * x
            let numeric = (SpecialFunctions.digamma(x + h) - SpecialFunctions.digamma(x - h)) / (2 * h)
            XCTAssertEqual(SpecialFunctions.trigamma(x), numeric, accuracy: 1e-8 * SpecialFunctions.trigamma(x))
            XCTAssertEqual(SpecialFunctions.digamma(x), log(x) - 1 / (2 * x) - 1 / (12 * x * x) + 1 / (120 * pow(x, 4)),
                           accuracy: 5e-3 / pow(x, 6) + 1e-15 * log(x))   // first omitted term −1/(252x⁶)
        }
        // reflection: ψ(1 − x) − ψ(x) = π cot(πx), ψ′(1 − x) + ψ′(x) = π²/sin²(πx)
        for x in [-0.5, -1.25, -3.7] {
            XCTAssertEqual(SpecialFunctions.digamma(1 - x) - SpecialFunctions.digamma(x), Double.pi / tan(Double.pi * x),
                           accuracy: 1e-12)
            let s = sin(Double.pi * x)
            XCTAssertEqual(SpecialFunctions.trigamma(1 - x) + SpecialFunctions.trigamma(x),
                           Double.pi * Double.pi / (s * s), accuracy: 1e-12)
        }
        XCTAssertTrue(SpecialFunctions.digamma(0).isNaN)
        XCTAssertTrue(SpecialFunctions.digamma(-2).isNaN)
        XCTAssertTrue(SpecialFunctions.trigamma(-1).isNaN)
    }

    func testGaussLegendreIsExactForPolynomials() {
        for n in [1, 2, 5, 20, 64] {
            let (x, w) = Quadrature.gaussLegendre(n)
            XCTAssertEqual(w.reduce(0, +), 2, accuracy: 1e-14)
            for degree in 0..<(2 * n) where degree <= 40 {
                let exact = degree % 2 == 1 ? 0 : 2 / Double(degree + 1)
                let q = zip(x, w).reduce(0) { $0 + $1.1 * pow($1.0, Double(degree)) }
                XCTAssertEqual(q, exact, accuracy: 1e-14, "n = \(n), degree \(degree)")
            }
        }
    }

    func testAdaptiveIntegrationOfNearSingularFunctions() {
        // ∫₀¹ log(ε + u) du = (1+ε) log(1+ε) − ε log ε − 1
        for eps in [1e-2, 1e-6, 1e-10] {
            let exact = (1 + eps) * log(1 + eps) - eps * log(eps) - 1
            XCTAssertEqual(Quadrature.integrate(from: 0, to: 1) { log(eps + $0) }, exact, accuracy: 1e-13)
        }
        XCTAssertEqual(Quadrature.integrate(from: 0, to: 1) { 1 / $0.squareRoot() }, 2, accuracy: 1e-7)   // an integrable singularity: left to the depth limit
    }

    /// Beta(a, b) moments of u and log u against closed forms: E U = a/(a+b), E log U = ψ(a) − ψ(a+b),
    /// Var log U = ψ′(a) − ψ′(a+b).
    func testBetaExpectations() {
        for (a, b) in [(0.5, 0.5), (0.5, 3.0), (2.5, 0.5), (1.0, 1.0), (7.5, 12.0), (250.0, 249.5), (5000.0, 4000.0)] {
            let m = Quadrature.betaExpectations(a: a, b: b) { u, _ in u }
            // the normalisation 1/B(a, b) comes from lgamma, whose absolute error grows like ε·(a+b)·log(a+b)
            XCTAssertEqual(m.mass, 1, accuracy: 1e-13 + 4e-16 * (a + b) * log(a + b), "mass (a, b) = (\(a), \(b))")
            XCTAssertEqual(m.mean, a / (a + b), accuracy: 1e-14)
            XCTAssertEqual(m.meanSquare, a * (a + 1) / ((a + b) * (a + b + 1)), accuracy: 1e-14)
            let l = Quadrature.betaExpectations(a: a, b: b) { u, _ in log(u) }
            let mean = SpecialFunctions.digamma(a) - SpecialFunctions.digamma(a + b)
            XCTAssertEqual(l.mean, mean, accuracy: 1e-11 * max(1, abs(mean)), "(a, b) = (\(a), \(b))")
            let variance = SpecialFunctions.trigamma(a) - SpecialFunctions.trigamma(a + b)
            XCTAssertEqual(l.meanSquare - l.mean * l.mean, variance, accuracy: 1e-9 * max(1, variance))
        }
    }
}
