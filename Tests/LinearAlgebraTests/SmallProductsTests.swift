import XCTest
@testable import LinearAlgebra

/// The register-blocked kernels against the naive triple loop they promise to equal bit for bit (s = 0, then
/// s += x·y in the order of the inner index): odd sizes, an inner dimension from 1, widths that are not a multiple of
/// the 8 lanes, a single row, leading dimensions larger than the block, and the entries around the block untouched.
final class SmallProductsTests: XCTestCase {
    private struct LCG {
        var s: UInt64
        mutating func next() -> Double {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    private func random(_ count: Int, _ g: inout LCG) -> [Double] { (0..<count).map { _ in g.next() } }

    /// Every entry of a rows × cols block stored with row stride `ld` equals `naive(row, col)` bit for bit, and the
    /// entries past the block in each row are still the NaN they were filled with (not written).
    private func assertEqualsNaiveLoop(_ got: [Double], rows: Int, cols: Int, ld: Int, _ what: String,
                                       naive: (Int, Int) -> Double, file: StaticString = #filePath, line: UInt = #line) {
        for r in 0..<rows {
            for c in 0..<ld {
                let value = got[r * ld + c]
                guard c < cols else {
                    XCTAssert(value.isNaN, "\(what)[\(r), \(c)] outside written", file: file, line: line)
                    continue
                }
                let s = naive(r, c)
                XCTAssertEqual(value.bitPattern, s.bitPattern, "\(what)[\(r), \(c)] = \(value), loop \(s)",
                               file: file, line: line)
            }
        }
    }

    private let shapes: [(n: Int, m: Int, k: Int)] = [
        (1, 1, 1), (1, 8, 6), (80, 50, 6), (7, 13, 1), (5, 9, 2), (6, 16, 7), (13, 3, 12), (2, 17, 5),
        (11, 8, 13), (4, 24, 3), (80, 51, 51), (3, 1, 64), (19, 31, 4),
    ]

    func testForwardEqualsNaiveLoopBitForBit() {
        var g = LCG(s: 3)
        for (n, m, k) in shapes {
            let (lda, ldw, ldc) = (k + 2, k + 1, m + 3)
            let a = random(n * lda, &g), w = random(m * ldw, &g)
            var c = [Double](repeating: .nan, count: n * ldc)
            var panel = [Double](repeating: .nan, count: SmallProducts.panelCount(m: m, k: k))
            a.withUnsafeBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    SmallProducts.multiplyTransposed(n: n, m: m, k: k, a: ap.baseAddress!, lda: lda,
                                                     w: wp.baseAddress!, ldw: ldw, c: &c, ldc: ldc, panel: &panel)
                }
            }
            assertEqualsNaiveLoop(c, rows: n, cols: m, ld: ldc, "\(n)×\(m)×\(k): C") { i, j in
                var s = 0.0
                for cc in 0..<k { s += a[i * lda + cc] * w[j * ldw + cc] }
                return s
            }
        }
    }

    func testWeightGradientEqualsNaiveLoopBitForBit() {
        var g = LCG(s: 5)
        for (n, m, k) in shapes {
            let (ldd, lda, ldg) = (m + 1, k + 2, k + 3)
            let d = random(n * ldd, &g), a = random(n * lda, &g)
            var out = [Double](repeating: .nan, count: m * ldg)
            var dPanel = [Double](repeating: .nan, count: SmallProducts.deltaPanelCount(n: n))
            d.withUnsafeBufferPointer { dp in
                a.withUnsafeBufferPointer { ap in
                    SmallProducts.multiplyTransposingFirst(n: n, m: m, k: k, d: dp.baseAddress!, ldd: ldd,
                                                           a: ap.baseAddress!, lda: lda, g: &out, ldg: ldg,
                                                           panel: &dPanel)
                }
            }
            assertEqualsNaiveLoop(out, rows: m, cols: k, ld: ldg, "\(n)×\(m)×\(k): G") { j, cc in
                var s = 0.0
                for i in 0..<n { s += d[i * ldd + j] * a[i * lda + cc] }
                return s
            }
        }
    }

    /// Columns cut into blocks at any offset (as a worker team cuts a layer's neurons) give the same bits as one call.
    func testColumnBlocksGiveTheSameBits() {
        var g = LCG(s: 7)
        let (n, m, k) = (23, 45, 6)
        let a = random(n * k, &g), w = random(m * k, &g), d = random(n * m, &g)
        var whole = [Double](repeating: 0, count: n * m), cut = whole
        var gradWhole = [Double](repeating: 0, count: m * k), gradCut = gradWhole
        var panel = [Double](repeating: 0, count: SmallProducts.panelCount(m: m, k: k))
        var dPanel = [Double](repeating: 0, count: SmallProducts.deltaPanelCount(n: n))
        a.withUnsafeBufferPointer { ap in
            w.withUnsafeBufferPointer { wp in
                d.withUnsafeBufferPointer { dp in
                    let (a0, w0, d0) = (ap.baseAddress!, wp.baseAddress!, dp.baseAddress!)
                    SmallProducts.multiplyTransposed(n: n, m: m, k: k, a: a0, lda: k, w: w0, ldw: k, c: &whole,
                                                     ldc: m, panel: &panel)
                    SmallProducts.multiplyTransposingFirst(n: n, m: m, k: k, d: d0, ldd: m, a: a0, lda: k,
                                                           g: &gradWhole, ldg: k, panel: &dPanel)
                    for (lo, hi) in [(0, 3), (3, 16), (16, 45)] {
                        cut.withUnsafeMutableBufferPointer { cp in
                            SmallProducts.multiplyTransposed(n: n, m: hi - lo, k: k, a: a0, lda: k, w: w0 + lo * k,
                                                             ldw: k, c: cp.baseAddress! + lo, ldc: m, panel: &panel)
                        }
                        gradCut.withUnsafeMutableBufferPointer { gp in
                            SmallProducts.multiplyTransposingFirst(n: n, m: hi - lo, k: k, d: d0 + lo, ldd: m, a: a0,
                                                                   lda: k, g: gp.baseAddress! + lo * k, ldg: k,
                                                                   panel: &dPanel)
                        }
                    }
                }
            }
        }
        XCTAssertEqual(cut.map(\.bitPattern), whole.map(\.bitPattern))
        XCTAssertEqual(gradCut.map(\.bitPattern), gradWhole.map(\.bitPattern))
    }

    /// The variant that forms D[i, j] = ((s·r[i])·q[j])·e[i, j]·mask[i, j] panel by panel gives the bits of forming D
    /// first (with and without the mask, widths with and without a partial panel, leading dimensions past the block).
    func testWeightGradientFormingDEqualsFormingItFirst() {
        var g = LCG(s: 9)
        for (n, m, k) in [(1, 1, 1), (80, 50, 6), (7, 13, 4), (5, 16, 9), (3, 3, 2)] {
            let (lde, ldmask, lda, ldg) = (m + 1, m + 2, k + 1, k)
            let s = 0.37, r = random(n, &g), q = random(m, &g), e = random(n * lde, &g), a = random(n * lda, &g)
            let mask = (0..<(n * ldmask)).map { i in i % 3 == 0 ? 0 : 1 / (1 - 0.3) }
            for masked in [false, true] {
                var d = [Double](repeating: 0, count: n * m)
                for i in 0..<n {
                    for j in 0..<m {
                        let t = ((s * r[i]) * q[j]) * e[i * lde + j]
                        d[i * m + j] = masked ? t * mask[i * ldmask + j] : t
                    }
                }
                var expected = [Double](repeating: .nan, count: m * ldg), got = expected
                var dPanel = [Double](repeating: .nan, count: SmallProducts.deltaPanelCount(n: n))
                SmallProducts.multiplyTransposingFirst(n: n, m: m, k: k, d: d, ldd: m, a: a, lda: lda, g: &expected,
                                                       ldg: ldg, panel: &dPanel)
                var panel = [Double](repeating: .nan, count: SmallProducts.deltaPanelCount(n: n))
                mask.withUnsafeBufferPointer { mp in
                    SmallProducts.multiplyTransposingFirst(n: n, m: m, k: k, scale: s, rowFactors: r, columnFactors: q,
                                                           e: e, lde: lde, mask: masked ? mp.baseAddress! : nil,
                                                           ldmask: ldmask, a: a, lda: lda, g: &got, ldg: ldg,
                                                           panel: &panel)
                }
                XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(n)×\(m)×\(k), mask \(masked)")
                XCTAssert(got.allSatisfy(\.isFinite))
            }
        }
    }

    func testPanelCountsCoverWholePanels() {
        XCTAssertEqual(SmallProducts.panelCount(m: 50, k: 6), 56 * 6)
        XCTAssertEqual(SmallProducts.panelCount(m: 8, k: 3), 24)
        XCTAssertEqual(SmallProducts.panelCount(m: 1, k: 1), 8)
        XCTAssertEqual(SmallProducts.deltaPanelCount(n: 80), 640)
    }
}
