import Analysis
import XCTest

final class OrientationTests: XCTestCase {
    func testNormalizesAndLeavesOutNonFiniteAndNegligibleRows() {
        var rows: [Double] = [3, 4, .nan, 1, 1e-9, 0, 0, -2]
        let kinds = rows.withUnsafeMutableBufferPointer {
            normalizeRows($0, count: 4, dimension: 2, relativeThreshold: 1e-3)
        }
        XCTAssertEqual(kinds, [.kept(norm: 5), .nonFinite, .negligible(norm: 1e-9), .kept(norm: 2)])
        XCTAssertEqual(rows, [0.6, 0.8, 0, 0, 0, 0, 0, -1])
    }
}
