import XCTest
@testable import LinearAlgebra

final class VectorSquareRootTests: XCTestCase {
    /// Special values and a spread of magnitudes, subnormals included, plus negatives (NaN).
    private var samples: [Double] {
        var xs: [Double] = [0, -0.0, 1, 2, 4, .infinity, -.infinity, .nan, -1, .leastNonzeroMagnitude,
                            .leastNormalMagnitude, .greatestFiniteMagnitude, .ulpOfOne, 1 - .ulpOfOne / 2]
        var s: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<4000 {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            // Random bit patterns of non-negative doubles cover every exponent.
            xs.append(Double(bitPattern: s >> 1))
        }
        return xs
    }

    private func assertSameBits(_ a: Double, _ b: Double, _ x: Double, file: StaticString = #filePath,
                                line: UInt = #line) {
        if a.isNaN || b.isNaN {
            XCTAssert(a.isNaN && b.isNaN, "sqrt(\(x)): \(a) vs \(b)", file: file, line: line)
        } else {
            XCTAssertEqual(a.bitPattern, b.bitPattern, "sqrt(\(x)): \(a) vs \(b)", file: file, line: line)
        }
    }

    func testScalarMatchesSquareRootBitForBit() {
        for x in samples { assertSameBits(VectorSquareRoot.of(x), x.squareRoot(), x) }
    }

    func testVectorLanesMatchSquareRootBitForBit() {
        let xs = samples
        var i = 0
        while i + 8 <= xs.count {
            let v8 = SIMD8<Double>(xs[i..<(i + 8)])
            let r8 = VectorSquareRoot.of(v8)
            let r4 = VectorSquareRoot.of(SIMD4<Double>(xs[i..<(i + 4)]))
            for k in 0..<8 { assertSameBits(r8[k], xs[i + k].squareRoot(), xs[i + k]) }
            for k in 0..<4 { assertSameBits(r4[k], xs[i + k].squareRoot(), xs[i + k]) }
            i += 8
        }
    }
}
