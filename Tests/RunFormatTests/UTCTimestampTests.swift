import Foundation
import XCTest
@testable import RunFormat

final class UTCTimestampTests: XCTestCase {
    /// The same text as ISO8601DateFormatter's default form, which files written before used.
    func testMatchesISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        var seconds: [Double] = [0, 59.999, 951_782_400 /* 2000-02-29 */, 1_796_688_941.25, 4_102_444_799, -1]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            seconds.append(Double(state >> 33) / 2)   // up to ~2.1e9 s, half seconds included
        }
        for s in seconds {
            let date = Date(timeIntervalSince1970: s)
            XCTAssertEqual(UTCTimestamp.string(date), formatter.string(from: date), "at \(s) s")
        }
    }
}
