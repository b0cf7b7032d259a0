import XCTest
import Foundation
@testable import Theory

final class MeanFieldMapTests: XCTestCase {
    /// §A.3's table (σ_b = 0): χ at c = 1, c*, the slope at c*, c after 50 layers from c₀ = 0, the q-preserving σ_w².
    func testKappaTableOfA3() throws {
        let rows: [(kappa: Double, chi: Double, cStar: Double?, slope: Double?, c50: Double, sw2: Double)] = [
            (-1.00, 1.4669, 0, 0.7335, 0.0000, 2.9339),
            (-0.90, 1.4015, 0.1709, 0.7774, 0.1709, 2.8030),
            (-0.75, 1.3136, 0.4069, 0.8320, 0.4069, 2.6272),
            (-0.50, 1.1893, 0.7266, 0.9026, 0.7253, 2.3786),
            (-0.25, 1.0865, 0.9302, 0.9565, 0.9191, 2.1729),
            (-0.10, 1.0329, 0.9888, 0.9835, 0.9718, 2.0658),
            (0.00, 1.0000, nil, nil, 0.9879, 2.0000),
        ]
        for r in rows {
            let sw2 = MeanFieldMap.preservingWeightVariance(kappa: r.kappa)
            XCTAssertEqual(sw2, r.sw2, accuracy: 5e-5, "σ_w² at κ = \(r.kappa)")
            let map = try MeanFieldMap(weightVariance: sw2, kappa: r.kappa)
            XCTAssertTrue(map.preservesVariance)
            XCTAssertEqual(map.chi1, r.chi, accuracy: 5e-5, "χ₁ at κ = \(r.kappa)")
            XCTAssertEqual(map.chi1, Double.pi / (Double.pi + r.kappa), accuracy: 1e-12)
            if let cs = r.cStar, let slope = r.slope {
                let found = try XCTUnwrap(map.stableCorrelation, "c* at κ = \(r.kappa)")
                XCTAssertEqual(found, cs, accuracy: 5e-5, "c* at κ = \(r.kappa)")
                XCTAssertEqual(map.nextCorrelation(found, variance: 1), found, accuracy: 1e-12)
                XCTAssertEqual(map.correlationSlope(found, variance: 1), slope, accuracy: 5e-5)
                XCTAssertEqual(map.phase, .chaotic)
            } else {
                XCTAssertNil(map.stableCorrelation)
                XCTAssertEqual(map.phase, .marginal)
            }
            var c = 0.0
            for _ in 0..<50 { c = map.nextCorrelation(c, variance: 1) }
            XCTAssertEqual(c, r.c50, accuracy: 1e-4, "c after 50 layers at κ = \(r.kappa)")
            // Without bias the c-map does not depend on σ_w² or q: c' = (J(c) + κ)/(π + κ).
            let other = try MeanFieldMap(weightVariance: 1.3, kappa: r.kappa)
            XCTAssertEqual(other.nextCorrelation(0.3, variance: 7),
                           (ArcCosineKernel.correlationKernel(0.3) + r.kappa) / (Double.pi + r.kappa), accuracy: 1e-14)
        }
    }

    /// With a bias: q* = σ_b²/(1 − σ_w²(π+κ)/(2π)), χ₁ = σ_w²/2 there, phases ordered / chaotic / diverging.
    func testVarianceFixedPointAndPhases() throws {
        let kappa = -0.5, sb2 = 0.1
        for (sw2, phase) in [(1.5, MeanFieldMap.Phase.ordered), (2.2, .chaotic), (2.5, .varianceDiverges)] {
            let map = try MeanFieldMap(weightVariance: sw2, biasVariance: sb2, kappa: kappa)
            XCTAssertEqual(map.phase, phase, "σ_w² = \(sw2)")
            if let q = map.varianceFixedPoint {
                XCTAssertEqual(q, sb2 / (1 - sw2 * (Double.pi + kappa) / (2 * Double.pi)), accuracy: 1e-12)
                XCTAssertEqual(map.nextVariance(q), q, accuracy: 1e-12)
                XCTAssertEqual(map.chi1(variance: q), sw2 / 2, accuracy: 1e-12)
                // χ₁ against a finite difference of the c-map at c = 1.
                // (one-sided; J has a (1−c)^{3/2} term, so the error is O(√h))
                let h = 1e-9
                let fd = (map.nextCorrelation(1, variance: q) - map.nextCorrelation(1 - h, variance: q)) / h
                XCTAssertEqual(fd, sw2 / 2, accuracy: 1e-4)
            } else {
                XCTAssertEqual(phase, .varianceDiverges)
            }
        }
        // κ = 0 ReLU with a bias has no chaotic window: σ_w² just above 2 diverges.
        XCTAssertEqual(try MeanFieldMap(weightVariance: 2.01, biasVariance: 0.1).phase, .varianceDiverges)
        XCTAssertEqual(try MeanFieldMap(weightVariance: 1.99, biasVariance: 0.1).phase, .ordered)
    }

    /// Leaky ReLU: α = 1 is linear (c' = c, q' = σ_w² q); the moments against quadrature.
    func testLeakyMomentsAgainstQuadratureAndLinearLimit() throws {
        let linear = try MeanFieldMap(slope: 1, weightVariance: 1)
        XCTAssertEqual(linear.nextCorrelation(0.37, variance: 2), 0.37, accuracy: 1e-14)
        XCTAssertEqual(linear.nextVariance(2), 2, accuracy: 1e-14)
        let alpha = 0.2, q1 = 1.7, q2 = 0.6, c = -0.35
        let map = try MeanFieldMap(slope: alpha, weightVariance: 2)
        func phi(_ x: Double) -> Double { max(x, alpha * x) }
        var cross = 0.0, second = 0.0, first = 0.0
        let h = 0.01, lim = 9.0
        var u = -lim
        while u <= lim {
            var v = -lim
            let wu = exp(-u * u / 2)
            first += phi(q1.squareRoot() * u) * wu
            second += phi(q1.squareRoot() * u) * phi(q1.squareRoot() * u) * wu
            while v <= lim {
                let a = q1.squareRoot() * u, b = q2.squareRoot() * (c * u + (1 - c * c).squareRoot() * v)
                cross += phi(a) * phi(b) * wu * exp(-v * v / 2)
                v += h
            }
            u += h
        }
        let norm = (2 * Double.pi).squareRoot()
        XCTAssertEqual(map.firstMoment(q1), first * h / norm, accuracy: 2e-5)
        XCTAssertEqual(map.secondMoment(q1), second * h / norm, accuracy: 2e-5)
        XCTAssertEqual(map.crossMoment(q1, q2, c), cross * h * h / (2 * Double.pi), accuracy: 1e-5)
        // He for leaky ReLU preserves q, and the gain formula reduces to ReLU's (π+κ)/(2π).
        XCTAssertEqual(MeanFieldMap.preservingWeightVariance(slope: alpha, kappa: 0), 2 / (1 + alpha * alpha), accuracy: 1e-14)
        XCTAssertEqual(try MeanFieldMap(weightVariance: 2, kappa: -0.3).varianceGain, 2 * (Double.pi - 0.3) / (2 * Double.pi),
                       accuracy: 1e-14)
    }

    /// §A.3's map column of its Monte Carlo check: c from 0.5 at layers 1, 5, 10, 30 (σ_b = 0).
    func testMapValuesOfTheA3MonteCarloCheck() throws {
        let expected: [(Double, [Double])] = [(-1, [0.426, 0.184, 0.047, 0.000]), (-0.5, [0.535, 0.620, 0.670, 0.720]),
                                              (0, [0.609, 0.811, 0.898, 0.975])]
        for (kappa, values) in expected {
            let map = try MeanFieldMap(weightVariance: MeanFieldMap.preservingWeightVariance(kappa: kappa), kappa: kappa)
            var c = 0.5, got: [Double] = []
            for l in 1...30 {
                c = map.nextCorrelation(c, variance: 1)
                if [1, 5, 10, 30].contains(l) { got.append(c) }
            }
            for (g, e) in zip(got, values) { XCTAssertEqual(g, e, accuracy: 1.5e-3, "κ = \(kappa)") }
        }
    }

    func testDomainErrors() {
        XCTAssertThrowsError(try MeanFieldMap(weightVariance: 2, kappa: -1.5)) { XCTAssertTrue("\($0)".contains("κ")) }
        XCTAssertThrowsError(try MeanFieldMap(slope: 1.5, weightVariance: 2))
        XCTAssertThrowsError(try MeanFieldMap(weightVariance: 0))
        XCTAssertThrowsError(try MeanFieldMap(weightVariance: 2, biasVariance: -1))
    }
}
