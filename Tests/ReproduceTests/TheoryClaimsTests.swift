import XCTest
@testable import Reproduce

/// A prediction against planted per-seed simulations: a seed matches when |z| < 3.
final class TheoryClaimsTests: XCTestCase {
    func testZScoreDecidesEachSeed() {
        // sem 0.1 around the prediction 1: z = +2.9, −2.9, +3.1, −5, 0 → 3 of 5 match (0.6): partly.
        let planted: [Int: (Double, Double)] = [1: (1.29, 0.1), 2: (0.71, 0.1), 3: (1.31, 0.1), 4: (0.5, 0.1), 5: (1, 0.1)]
        let c = TheoryClaims.compare(key: "k", claim: "c", source: "s", predicted: 1, seeds: [1, 2, 3, 4, 5]) { s in
            (mean: planted[s]!.0, sem: planted[s]!.1)
        }
        XCTAssertEqual(c.matches, [true, true, false, false, true])
        XCTAssertEqual(c.agreement, .partly)
        XCTAssertEqual(c.perSeed, [1.29, 0.71, 1.31, 0.5, 1])
        XCTAssertTrue(c.reason.contains("3 of 5 seeds within |z| < 3"), c.reason)
        XCTAssertTrue(c.reason.contains("z from -5.00 to +3.10"), c.reason)
    }

    func testNoFinitePredictionIsNotJudged() {
        let c = TheoryClaims.compare(key: "k", claim: "c", source: "s", predicted: .nan, seeds: [1, 2],
                                     note: "outside the law's range") { _ in (mean: 0, sem: 1) }
        XCTAssertEqual(c.agreement, .notApplicable)
        XCTAssertTrue(c.reason.contains("outside the law's range"), c.reason)
    }
}
