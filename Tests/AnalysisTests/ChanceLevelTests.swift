@testable import Analysis
import Foundation
import LinearAlgebra
import Model
import XCTest

final class ChanceLevelTests: XCTestCase {
    func testClosedFormsInTwoAndThreeDimensions() {
        for tau in [0.5, 0.9, 0.95, 0.99] {
            let cap = acos(tau)
            XCTAssertEqual(ChanceLevel.capFraction(dimension: 2, cosine: tau), cap / Double.pi, accuracy: 1e-12)
            XCTAssertEqual(ChanceLevel.capFraction(dimension: 3, cosine: tau), (1 - tau) / 2, accuracy: 1e-12)
            XCTAssertEqual(ChanceLevel.meanAngleInCap(dimension: 2, cosine: tau), cap / 2, accuracy: 1e-12)
            // D = 3: density sin t on [0, θc]: mean = (sin θc − θc cos θc)/(1 − cos θc).
            XCTAssertEqual(ChanceLevel.meanAngleInCap(dimension: 3, cosine: tau),
                           (sin(cap) - cap * tau) / (1 - tau), accuracy: 1e-10)
        }
    }

    /// D = 6 against Monte Carlo: the share of uniform directions with cos > τ to a fixed axis.
    func testCapFractionMatchesMonteCarloInSixDimensions() {
        var rng = Xoshiro256(seed: 7, stream: 0)
        let tau = 0.8, n = 400_000
        var inside = 0
        for _ in 0..<n {
            var v = [Double](repeating: 0, count: 6)
            for j in 0..<6 { v[j] = rng.nextNormal() }
            let r = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if v[0] / r > tau { inside += 1 }
        }
        let p = ChanceLevel.capFraction(dimension: 6, cosine: tau)
        let se = (p * (1 - p) / Double(n)).squareRoot()
        XCTAssertEqual(Double(inside) / Double(n), p, accuracy: 4 * se)
        // Large dimensions neither underflow into NaN nor exceed the small-cap limit.
        let big = ChanceLevel.capFraction(dimension: 1001, cosine: 0.95)
        XCTAssertTrue(big >= 0 && big < 1e-100)
        let angle = ChanceLevel.meanAngleInCap(dimension: 1001, cosine: 0.95)
        XCTAssertTrue(angle < acos(0.95) && angle > 0.99 * acos(0.95), "\(angle)")
    }

    /// One-dimensional input (w, b): 50 random initial directions form chance clusters of up to ~14 % on the
    /// circle, which must not count as condensed; tight clusters of 12–40 % (x·tanh x after training) must.
    func testChanceClustersOnTheCircleAreNotCondensedButTightOnesAre() throws {
        for seed in 1...5 {
            var rng = Xoshiro256(seed: UInt64(seed), stream: 0)
            let random = (0..<50).flatMap { _ in [rng.nextNormal(), rng.nextNormal()] }
            let s = try CondensationSummary(weights: Matrix(rows: 50, cols: 2, elements: random), readout: nil,
                                            multiplicity: 2, predictedDirection: nil, options: .init())
            XCTAssertEqual(s.verdict, .notCondensed, "seed \(seed)")
            let off = try CondensationSummary(weights: Matrix(rows: 50, cols: 2, elements: random), readout: nil,
                                              multiplicity: 2, predictedDirection: nil, options: .init(chanceFactor: 0))
            XCTAssertGreaterThan(off.condensedOrientationCount, s.condensedOrientationCount, "seed \(seed)")
        }
        // Four tight orientations of 20, 17, 7, 6 neurons (two lines), spread 0.01 rad.
        var rows: [Double] = []
        var rng = Xoshiro256(seed: 3, stream: 0)
        for (size, angle) in [(20, 0.3), (17, 0.3 + Double.pi), (7, 1.4), (6, 1.4 + Double.pi)] {
            for _ in 0..<size {
                let a = angle + 0.01 * (rng.nextUniform() - 0.5), r = 0.5 + rng.nextUniform()
                rows += [r * cos(a), r * sin(a)]
            }
        }
        let s = try CondensationSummary(weights: Matrix(rows: 50, cols: 2, elements: rows), readout: nil,
                                        multiplicity: 2, predictedDirection: nil, options: .init())
        XCTAssertEqual(s.condensedOrientationCount, 4)
        XCTAssertEqual(s.condensedLineCount, 2)
        XCTAssertEqual(s.verdict, .condensedWithinBound)
    }

    func testNegativeChanceFactorIsRejected() {
        XCTAssertThrowsError(try CondensationOptions(chanceFactor: -1).validate())
    }
}
