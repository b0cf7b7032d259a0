import XCTest
@testable import Reproduce

/// The one agreement rule at its boundaries: f ≥ 0.8 agrees, 0.3 ≤ f < 0.8 partly, else disagrees.
final class AgreementTests: XCTestCase {
    func testShareBoundaries() {
        XCTAssertEqual(Agreement.fromShare(matching: 8, of: 10), .agrees)
        XCTAssertEqual(Agreement.fromShare(matching: 10, of: 10), .agrees)
        XCTAssertEqual(Agreement.fromShare(matching: 7, of: 10), .partly)
        XCTAssertEqual(Agreement.fromShare(matching: 3, of: 10), .partly)
        XCTAssertEqual(Agreement.fromShare(matching: 2, of: 10), .disagrees)
        XCTAssertEqual(Agreement.fromShare(matching: 0, of: 10), .disagrees)
        // 4 of 5 is exactly 0.8; 3 of 10 exactly 0.3 (both computed in floating point).
        XCTAssertEqual(Agreement.fromShare(matching: 4, of: 5), .agrees)
        XCTAssertEqual(Agreement.fromShare(matching: 1, of: 3), .partly)
        XCTAssertEqual(Agreement.fromShare(matching: 2, of: 3), .partly)
        XCTAssertEqual(Agreement.fromShare(matching: 0, of: 0), .disagrees)
    }
}
