import Foundation
import XCTest
@testable import LinearAlgebra

final class ExactQuotientTests: XCTestCase {
    /// The same bits as `x / y` for dividends of every magnitude (subnormal to huge, zeros, powers of two, infinities,
    /// NaN, negative) and divisors inside and outside the fast range, including Adam's √(1 − 0.999ᵗ).
    func testEqualsDivisionBitForBit() {
        var rng = SystemRandomNumberGenerator()
        var divisors: [Double] = [1, 3, 0.1, 0x1p-100, 0x1p100, 0x1p-101, 0x1p101, 1e-300, 1e300, 0, .infinity, .nan,
                                  .leastNonzeroMagnitude, 2, 0.5, 1.0.nextDown, 1.0.nextUp]
        divisors += stride(from: 1, through: 100_000, by: 499).map { (1 - Foundation.pow(0.999, Double($0))).squareRoot() }
        divisors += (0..<100).map { _ in Double(sign: .plus, exponent: Int.random(in: -100...99, using: &rng),
                                              significand: Double.random(in: 1..<2, using: &rng)) }
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                  0x1p-823, 0x1p-823.nextDown, 0x1p900, 0x1p900.nextDown, 1, 2, 0.75, -3]
        var checked = 0, mismatches = 0
        for y in divisors {
            let z = 1 / y
            for round in 0..<120 {
                var x = ExactQuotient.V()
                for k in 0..<8 {
                    if round < 2 {
                        x[k] = specials[(round * 8 + k) % specials.count]
                    } else {
                        let e = round % 3 == 0 ? Int.random(in: -1074...1023, using: &rng) : Int.random(in: -60...20, using: &rng)
                        x[k] = Double(sign: round % 7 == 0 ? .minus : .plus, exponent: e,
                                      significand: round % 5 == 0 ? 1 : Double.random(in: 1..<2, using: &rng))
                    }
                }
                let fast = ExactQuotient.divide(x, by: y, reciprocal: z), slow = x / y
                for k in 0..<8 where fast[k].bitPattern != slow[k].bitPattern {
                    if mismatches < 5 { XCTFail("\(x[k]) / \(y): \(fast[k]) instead of \(slow[k])") }
                    mismatches += 1
                }
                checked += 8
            }
        }
        XCTAssertEqual(mismatches, 0, "of \(checked) quotients")
    }

    /// The fast path is the usual one: for Adam's divisors and ordinary dividends, the candidate is verified for
    /// nearly every vector, and whenever it is verified it is the division's result.
    func testCandidateIsVerifiedForOrdinaryValuesAndThenExact() {
        var rng = SystemRandomNumberGenerator()
        var verified = 0, total = 0
        for t in stride(from: 1, through: 5000, by: 7) {
            let y = (1 - Foundation.pow(0.999, Double(t))).squareRoot(), z = 1 / y
            for _ in 0..<20 {
                var x = ExactQuotient.V()
                for k in 0..<8 { x[k] = Double.random(in: 1e-9...1e-2, using: &rng) }
                let (q, ok) = ExactQuotient.candidate(x, y, z)
                total += 1
                if ok {
                    verified += 1
                    XCTAssertEqual(q.indices.map { q[$0].bitPattern }, q.indices.map { (x[$0] / y).bitPattern })
                }
            }
        }
        XCTAssertGreaterThan(Double(verified) / Double(total), 0.9, "\(verified) of \(total) vectors verified")
    }
}
