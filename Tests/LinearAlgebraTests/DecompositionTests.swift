import XCTest
@testable import LinearAlgebra

final class DecompositionTests: XCTestCase {
    private func sample(_ r: Int, _ c: Int, seed: Double) -> Matrix {
        Matrix(rows: r, cols: c) { i, j in sin(seed + 1.7 * Double(i) + 0.37 * Double(j * j) + Double(i * j)) }
    }

    func testQRTallWideAndSquare() throws {
        for (m, n) in [(6, 4), (4, 6), (5, 5), (1, 3), (3, 1)] {
            let a = sample(m, n, seed: Double(m + 10 * n))
            let (q, r) = try a.qr()
            let k = min(m, n)
            XCTAssertEqual(q.rows, m); XCTAssertEqual(q.cols, k)
            XCTAssertEqual(r.rows, k); XCTAssertEqual(r.cols, n)
            XCTAssertLessThan(q.multiplied(by: q, transposingSelf: true).maxAbsDifference(.identity(k)), 1e-13,
                              "QᵀQ ≠ I for \(m)×\(n)")
            XCTAssertLessThan((q * r).maxAbsDifference(a), 1e-13, "QR ≠ A for \(m)×\(n)")
            for i in 0..<k { for j in 0..<min(i, n) { XCTAssertEqual(r[i, j], 0, "R not upper triangular") } }
        }
    }

    func testSymmetricEigen() throws {
        let b = sample(5, 5, seed: 0.3)
        let s = b.multiplied(by: b, transposingOther: true)   // symmetric PSD
        let (values, vecs) = try s.symmetricEigen()
        let v = try XCTUnwrap(vecs)
        XCTAssertEqual(values, values.sorted())
        XCTAssertLessThan(v.multiplied(by: v, transposingSelf: true).maxAbsDifference(.identity(5)), 1e-12)
        let sv = s * v
        for j in 0..<5 { for i in 0..<5 { XCTAssertEqual(sv[i, j], values[j] * v[i, j], accuracy: 1e-12) } }
        let (only, none) = try s.symmetricEigen(vectors: false)
        XCTAssertNil(none)
        for j in 0..<5 { XCTAssertEqual(only[j], values[j], accuracy: 1e-12) }
        // A known spectrum: diag(3, 1, 2).
        let d = Matrix(rows: 3, cols: 3, elements: [3, 0, 0, 0, 1, 0, 0, 0, 2])
        let dv = try d.symmetricEigen(vectors: false).values
        XCTAssertEqual(dv[0], 1, accuracy: 1e-15); XCTAssertEqual(dv[1], 2, accuracy: 1e-15); XCTAssertEqual(dv[2], 3, accuracy: 1e-15)
    }

    func testNonSquareEigenThrowsReadableError() {
        XCTAssertThrowsError(try Matrix(rows: 2, cols: 3).symmetricEigen()) { error in
            XCTAssertTrue("\(error)".contains("square"), "\(error)")
        }
    }

    func testNaNEigenReportsLapackError() {
        let m = Matrix(rows: 2, cols: 2, elements: [.nan, 0, 0, 1])
        // dsyevd either reports a failure (info ≠ 0) or returns NaN; it must not crash.
        if let r = try? m.symmetricEigen(vectors: false) {
            XCTAssertTrue(r.values.contains { $0.isNaN })
        }
    }
}
