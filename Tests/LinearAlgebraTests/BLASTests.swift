import XCTest
@testable import LinearAlgebra

/// A tiny deterministic generator so these tests do not depend on the Model target.
private struct LCG {
    var s: UInt64
    mutating func next() -> Double {
        s = s &* 6364136223846793005 &+ 1442695040888963407
        return Double(s >> 11) / Double(1 << 53) * 2 - 1
    }
}

private func randomMatrix(_ r: Int, _ c: Int, _ g: inout LCG) -> Matrix {
    Matrix(rows: r, cols: c) { _, _ in g.next() }
}

private func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    Matrix(rows: a.rows, cols: b.cols) { i, j in
        var s = 0.0
        for k in 0..<a.cols { s += a[i, k] * b[k, j] }
        return s
    }
}

final class BLASTests: XCTestCase {
    func testGemmAllTransposesAgainstNaiveLoop() {
        var g = LCG(s: 1)
        let (m, n, k) = (7, 5, 9)
        let a = randomMatrix(m, k, &g), b = randomMatrix(k, n, &g), c0 = randomMatrix(m, n, &g)
        let expected = naiveProduct(a, b)
        for ta in [Transpose.none, .transpose] {
            for tb in [Transpose.none, .transpose] {
                let aStored = ta == .none ? a : a.transposed
                let bStored = tb == .none ? b : b.transposed
                var c = c0
                aStored.elements.withUnsafeBufferPointer { ap in
                    bStored.elements.withUnsafeBufferPointer { bp in
                        c.elements.withUnsafeMutableBufferPointer { cp in
                            BLAS.gemm(ta, tb, m: m, n: n, k: k, alpha: 2,
                                      a: ap.baseAddress!, lda: aStored.cols,
                                      b: bp.baseAddress!, ldb: bStored.cols,
                                      beta: -0.5, c: cp.baseAddress!, ldc: n)
                        }
                    }
                }
                let want = Matrix(rows: m, cols: n) { i, j in 2 * expected[i, j] - 0.5 * c0[i, j] }
                XCTAssertLessThan(c.maxAbsDifference(want), 1e-12, "transA \(ta) transB \(tb)")
            }
        }
    }

    /// The transposed copy is exact, and works on sub-blocks through the leading dimensions: the left 5×3 block
    /// of a 5×4 buffer goes into the top-left 3×5 block of a 3×7 buffer, the rest of which stays untouched.
    func testTransposeCopiesSubBlocksExactly() {
        var g = LCG(s: 3)
        let a = randomMatrix(5, 4, &g)
        var b = [Double](repeating: 9, count: 21)
        a.elements.withUnsafeBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                BLAS.transpose(rows: 5, cols: 3, a: ap.baseAddress!, lda: 4, into: bp.baseAddress!, ldb: 7)
            }
        }
        for i in 0..<3 {
            for j in 0..<7 {
                let want = j < 5 ? a[j, i] : 9
                XCTAssertEqual(b[i * 7 + j].bitPattern, want.bitPattern, "(\(i), \(j))")
            }
        }
    }

    func testGemmWithLeadingDimensionsOnSubBlocks() {
        // A is the left 4×3 block of a 4×6 buffer, C the left 4×2 block of a 4×5 buffer.
        var g = LCG(s: 2)
        let big = randomMatrix(4, 6, &g), b = randomMatrix(3, 2, &g)
        var cBuf = [Double](repeating: 7, count: 20)
        big.elements.withUnsafeBufferPointer { ap in
            b.elements.withUnsafeBufferPointer { bp in
                cBuf.withUnsafeMutableBufferPointer { cp in
                    BLAS.gemm(m: 4, n: 2, k: 3, a: ap.baseAddress!, lda: 6, b: bp.baseAddress!, ldb: 2,
                              c: cp.baseAddress!, ldc: 5)
                }
            }
        }
        let a = Matrix(rows: 4, cols: 3) { i, j in big[i, j] }
        let want = naiveProduct(a, b)
        for i in 0..<4 {
            for j in 0..<2 { XCTAssertEqual(cBuf[i * 5 + j], want[i, j], accuracy: 1e-13) }
            for j in 2..<5 { XCTAssertEqual(cBuf[i * 5 + j], 7, "gemm wrote outside its block") }
        }
    }

    func testMatrixProductAndGemv() {
        var g = LCG(s: 3)
        let a = randomMatrix(6, 4, &g), b = randomMatrix(4, 3, &g)
        XCTAssertLessThan((a * b).maxAbsDifference(naiveProduct(a, b)), 1e-13)
        XCTAssertLessThan(a.multiplied(by: a, transposingSelf: true)
            .maxAbsDifference(naiveProduct(a.transposed, a)), 1e-13)
        let x = (0..<4).map { Double($0) - 1.5 }
        let y = a.multiplied(by: x)
        for i in 0..<6 {
            XCTAssertEqual(y[i], (0..<4).reduce(0) { $0 + a[i, $1] * x[$1] }, accuracy: 1e-13)
        }
    }

    func testLevelOneRoutines() {
        var x: [Double] = [3, -4, 1, 2]
        var y: [Double] = [1, 1, 1, 1]
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                BLAS.axpy(n: 4, alpha: 2, x: xp.baseAddress!, y: yp.baseAddress!)
            }
        }
        XCTAssertEqual(y, [7, -7, 3, 5])
        XCTAssertEqual(BLAS.dot(n: 4, x: x, y: y), 21 + 28 + 3 + 10)
        XCTAssertEqual(BLAS.nrm2(n: 2, x: x), 5, accuracy: 1e-15)
        XCTAssertEqual(BLAS.nrm2(n: 2, x: x, incx: 2), sqrt(10), accuracy: 1e-15)
        x.withUnsafeMutableBufferPointer { BLAS.scal(n: 4, alpha: -0.5, x: $0.baseAddress!) }
        XCTAssertEqual(x, [-1.5, 2, -0.5, -1])
    }

    func testThreadsRoundTrip() {
        let old = BLAS.threads
        XCTAssertGreaterThanOrEqual(old, 1)
        BLAS.threads = 1
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.threads = old
        XCTAssertEqual(BLAS.threads, old)
    }
}
