import Analysis
import Foundation
import Model
import XCTest

final class OutputPolynomialTests: XCTestCase {
    /// P1 Fig. 5's training set: 40 evenly spaced points on [−1, 1.5].
    let trainingPoints = (0..<40).map { -1 + 2.5 * Double($0) / 39 }
    let roots = [-0.8, 1.2, 0.2, -0.4]

    func polynomial(degree k: Int, _ x: Double) -> Double {
        3 + roots.prefix(k).reduce(1) { $0 * (x - $1) }
    }

    /// 3 + Π_{j<k}(x − r_j) is recovered exactly at degree k, and degree k − 1 is far from fitting it.
    func testExactPolynomialsOfDegreeZeroToFourAreRecovered() throws {
        for k in 0...4 {
            let f = trainingPoints.map { polynomial(degree: k, $0) }
            let fit = try OutputPolynomialFit(x: trainingPoints, f: f)
            XCTAssertEqual(fit.bestDegree, k, "degree \(k)")
            XCTAssertEqual(fit.maximumDegree, 6)
            XCTAssertEqual(fit.isConstant, k == 0)
            for j in k...6 { XCTAssertLessThan(fit.relativeResiduals[j], 1e-12, "degree \(k), fit \(j)") }
            if k >= 1 {
                XCTAssertEqual(fit.relativeResiduals[0], 1, accuracy: 1e-12)
                // numpy's lstsq on the same data gives ρ_{k−1} = 1, 0.9888, 0.9741, 0.4903 for k = 1…4.
                XCTAssertGreaterThan(fit.relativeResiduals[k - 1], 0.45, "degree \(k)")
            }
            // The fit reproduces the polynomial between the points too.
            for x in [-0.93, 0.01, 0.77, 1.49] {
                XCTAssertEqual(fit.value(degree: k, at: x), polynomial(degree: k, x), accuracy: 1e-12)
                XCTAssertEqual(fit.value(degree: 6, at: x), polynomial(degree: k, x), accuracy: 1e-11)
            }
        }
    }

    /// The Chebyshev coefficients are those of the mapped variable: T₃(t) has coefficients (0, 0, 0, 1).
    func testChebyshevCoefficientsOfTheMappedVariable() throws {
        let f = trainingPoints.map { x -> Double in
            let t = (2 * x - 0.5) / 2.5
            return 4 * t * t * t - 3 * t
        }
        let fit = try OutputPolynomialFit(x: trainingPoints, f: f)
        XCTAssertEqual(fit.coefficients[3].count, 4)
        for (c, expected) in zip(fit.coefficients[3], [0.0, 0, 0, 1]) { XCTAssertEqual(c, expected, accuracy: 1e-13) }
        for (c, expected) in zip(fit.coefficients[6], [0.0, 0, 0, 1, 0, 0, 0]) { XCTAssertEqual(c, expected, accuracy: 1e-12) }
    }

    /// A cubic plus noise of 1 % of its spread: degree 3 fits with ρ ≈ the noise level; 20 % noise fits no degree.
    func testNoiseSetsTheResidualFloor() throws {
        let x = (0..<400).map { -1 + 2.5 * Double($0) / 399 }
        let cubic = x.map { ($0 + 0.8) * ($0 - 1.2) * ($0 - 0.2) }
        let mean = cubic.reduce(0, +) / 400
        let spread = (cubic.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 400).squareRoot()
        var rng = Xoshiro256(seed: 11)
        let noise = x.map { _ in rng.nextNormal() }

        let quiet = try OutputPolynomialFit(x: x, f: zip(cubic, noise).map { $0 + 0.01 * spread * $1 })
        XCTAssertEqual(quiet.bestDegree, 3)
        XCTAssertGreaterThan(quiet.relativeResiduals[2], 0.3)
        // The residual of the right degree is the noise, relative to the spread: ≈ 0.01·√((n − 4)/n).
        XCTAssertEqual(quiet.relativeResiduals[3], 0.01, accuracy: 0.002)
        XCTAssertEqual(quiet.relativeResiduals[6], quiet.relativeResiduals[3], accuracy: 0.001)

        let loud = try OutputPolynomialFit(x: x, f: zip(cubic, noise).map { $0 + 0.2 * spread * $1 })
        XCTAssertNil(loud.bestDegree)
        XCTAssertEqual(loud.relativeResiduals[3], 0.2, accuracy: 0.03)
        // The same data pass a looser tolerance, at the degree of the signal.
        XCTAssertEqual(try OutputPolynomialFit(x: x, f: zip(cubic, noise).map { $0 + 0.2 * spread * $1 },
                                               tolerance: 0.25).bestDegree, 3)
    }

    /// A ReLU hinge (the sharp turn P1 sees in ReLU outputs) needs degree 6; the residuals match numpy's
    /// least squares on the same data (chebvander + lstsq).
    func testAReLUKinkNeedsAHighDegree() throws {
        let x = (0..<1001).map { -1 + 2.5 * Double($0) / 1000 }
        let f = x.map { max($0 - 0.3, 0) }
        let fit = try OutputPolynomialFit(x: x, f: f)
        let numpy = [1.0, 0.46870072, 0.11857105, 0.11661654, 0.05955533, 0.05803424, 0.03738423]
        for (rho, reference) in zip(fit.relativeResiduals, numpy) { XCTAssertEqual(rho, reference, accuracy: 1e-7) }
        XCTAssertEqual(fit.bestDegree, 6)
        XCTAssertNil(try OutputPolynomialFit(x: x, f: f, maximumDegree: 5).bestDegree)
        // ρ does not change when the output is scaled and shifted.
        let moved = try OutputPolynomialFit(x: x, f: f.map { -250 * $0 + 1e3 })
        for (a, b) in zip(moved.relativeResiduals, fit.relativeResiduals) { XCTAssertEqual(a, b, accuracy: 1e-9) }
    }

    /// Far from 0 and on very wide intervals the mapped Chebyshev basis stays well conditioned: a quartic is
    /// still recovered to rounding, where monomials in raw x would lose every digit.
    func testConditioningOnWideAndDistantIntervals() throws {
        for (lo, hi) in [(1e4, 1e4 + 10), (-1e6, 1e6), (1e-9, 3e-9)] {
            let x = (0..<200).map { lo + (hi - lo) * Double($0) / 199 }
            let r = [0.1, 0.35, 0.6, 0.9].map { lo + (hi - lo) * $0 }
            let f = x.map { v in r.reduce(1.0) { $0 * (v - $1) } }
            let fit = try OutputPolynomialFit(x: x, f: f)
            XCTAssertEqual(fit.bestDegree, 4, "[\(lo), \(hi)]")
            XCTAssertLessThan(fit.relativeResiduals[4], 1e-10, "[\(lo), \(hi)]")
            XCTAssertGreaterThan(fit.relativeResiduals[3], 0.1, "[\(lo), \(hi)]")
            let scale = f.map(abs).max()!
            for v in [lo + 0.123 * (hi - lo), lo + 0.777 * (hi - lo)] {
                let exact = r.reduce(1.0) { $0 * (v - $1) }
                XCTAssertEqual(fit.value(degree: 4, at: v), exact, accuracy: 1e-10 * scale)
            }
        }
    }

    /// An explicit interval wider than the points changes the basis but not the fits.
    func testExplicitInterval() throws {
        let f = trainingPoints.map { polynomial(degree: 3, $0) }
        let fit = try OutputPolynomialFit(x: trainingPoints, f: f, interval: -2...3)
        XCTAssertEqual(fit.lower, -2)
        XCTAssertEqual(fit.upper, 3)
        XCTAssertEqual(fit.bestDegree, 3)
        XCTAssertEqual(fit.value(degree: 3, at: 0.5), polynomial(degree: 3, 0.5), accuracy: 1e-12)
    }

    func testBadInputsThrow() {
        let x = trainingPoints, f = x.map { $0 * $0 }
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: Array(f.dropLast())))
        XCTAssertThrowsError(try OutputPolynomialFit(x: [0, 1, 2, 3, 4, 0, 1], f: [0, 1, 4, 9, 16, 0, 1])) {
            XCTAssertEqual($0 as? AnalysisError,
                           .shape("5 distinct point(s) cannot determine a polynomial of degree 6"))
        }
        XCTAssertNoThrow(try OutputPolynomialFit(x: [0, 1, 2, 3, 4], f: [0, 1, 4, 9, 16], maximumDegree: 4))
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: f, maximumDegree: -1))
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: f, tolerance: 0))
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: f, tolerance: 1))
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: f, interval: 0...1))
        XCTAssertThrowsError(try OutputPolynomialFit(x: x, f: f.map { _ in .nan }))
    }
}
