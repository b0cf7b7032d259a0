import XCTest
import Foundation
@testable import Theory

final class DegeneracyPredictionTests: XCTestCase {
    /// The first layer is exactly N(μ(θ₀, n₁), σ²(θ₀, n₁)) binned; mass is conserved layer after layer.
    func testDensityStartsGaussianAndConservesMass() {
        let d = AngleDensity(theta0: 0.4, width: 200)
        let total = d.mass.reduce(0, +) + d.massBelow
        XCTAssertEqual(total, 1, accuracy: 1e-12)
        let m = d.lnSin2Moments
        XCTAssertEqual(m.mean, FiniteWidthAngle.mean(theta: 0.4, width: 200), accuracy: 1e-4)
        // Binning adds at most a cell's uniform variance h²/12.
        let sd = FiniteWidthAngle.variance(theta: 0.4, width: 200).squareRoot()
        XCTAssertEqual(m.std, sd, accuracy: 2e-3)
        var e = d
        for _ in 0..<20 { e = e.propagatedFullLaw(width: 200) }
        XCTAssertEqual(e.mass.reduce(0, +) + e.massBelow, 1, accuracy: 1e-10)
    }

    /// Per layer: the mean iteration is the law's mean step, the infinite-width angle the arc-cosine map, and the
    /// density's mean lies below the mean iteration's ln sin²θ only by the spread (Jensen) — close for wide layers.
    func testLayersAgreeWithTheirDefinitions() throws {
        let widths = Array(repeating: 400, count: 10)
        let p = try DegeneracyPrediction(theta0: Double.pi / 2, widths: widths)
        XCTAssertEqual(p.layers.count, 11)
        var t = Double.pi / 2, inf = Double.pi / 2
        for l in 1...10 {
            t = FiniteWidthAngle.meanStep(theta: t, width: 400)
            inf = ArcCosineKernel.infiniteWidthAngle(inf)
            XCTAssertEqual(p.layers[l].meanIterationTheta, t, accuracy: 1e-14)
            XCTAssertEqual(p.layers[l].infiniteWidthTheta, inf, accuracy: 1e-14)
            XCTAssertEqual(p.layers[l].lnSin2.mean, FiniteWidthAngle.lnSin2(theta: t), accuracy: 0.02)
        }
        // Finite width is more degenerate than infinite width.
        XCTAssertLessThan(p.layers[10].lnSin2.mean, FiniteWidthAngle.lnSin2(theta: inf))
        XCTAssertEqual(p.lowerBound, -15)
    }

    /// Algorithm 1: with constant hidden widths the two indexings differ only in the first and last step;
    /// the notebook's (fan-in) reading never uses n_out.
    func testAlgorithm1Indexing() throws {
        let a = try DegeneracyPrediction.algorithm1(widths: [784, 100, 100, 100, 10])
        let b = try DegeneracyPrediction.algorithm1(widths: [784, 100, 100, 100, 3])
        XCTAssertEqual(a, b, accuracy: 0)
        var t = Double.pi / 2
        for n in [784, 100, 100, 100] { t = FiniteWidthAngle.meanStep(theta: t, width: n) }
        XCTAssertEqual(a, FiniteWidthAngle.lnSin2(theta: t), accuracy: 1e-14)
        let rows = try DegeneracyPrediction.algorithm1(widths: [784, 100, 100, 100, 10], indexing: .rows)
        t = Double.pi / 2
        for n in [100, 100, 100, 10] { t = FiniteWidthAngle.meanStep(theta: t, width: n) }
        XCTAssertEqual(rows, FiniteWidthAngle.lnSin2(theta: t), accuracy: 1e-14)
        // Deeper is more degenerate, and the finite-width prediction lies below the infinite-width one.
        let deep = try DegeneracyPrediction.algorithm1(widths: [784] + Array(repeating: 50, count: 50) + [10])
        XCTAssertLessThan(deep, a)
        XCTAssertLessThan(deep, DegeneracyPrediction.infiniteWidthAlgorithm1(depth: 51))
    }

    /// A deep narrow network reaches below −15: the grid extends downwards and keeps the mass.
    func testGridExtendsForDeepNarrowNetworks() throws {
        let p = try DegeneracyPrediction(theta0: 0.5, widths: Array(repeating: 15, count: 30), pointsPer15: 301)
        XCTAssertLessThan(p.lowerBound, -15)
        XCTAssertLessThan(p.massBelowGrid, 1e-6)
        XCTAssertEqual(p.points, Int((301 * p.lowerBound / -15).rounded()))
    }

    func testBadInput() {
        XCTAssertThrowsError(try DegeneracyPrediction(theta0: 0, widths: [10]))
        XCTAssertThrowsError(try DegeneracyPrediction(theta0: 4, widths: [10]))
        XCTAssertThrowsError(try DegeneracyPrediction(theta0: 1, widths: [10, 1]))
        XCTAssertThrowsError(try DegeneracyPrediction(theta0: 1, widths: []))
    }
}
