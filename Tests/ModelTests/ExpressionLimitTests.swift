import Foundation
import XCTest
@testable import Model

/// The stated limits of the expression language (length, terms, depth) are enforced at once, and the worst
/// expressions within them are still fast: an expression nested 2000 deep once ran for minutes (640 deep: 9.8 s).
final class ExpressionLimitTests: XCTestCase {
    typealias E = Activation.Expression

    func message(_ text: String) -> String {
        do { _ = try Activation(parsing: text); return "no error" } catch { return "\(error)" }
    }

    /// Seconds taken by `body`.
    func seconds(_ body: () -> Void) -> Double {
        let start = Date()
        body()
        return Date().timeIntervalSince(start)
    }

    func nested(_ function: String, _ depth: Int) -> String {
        String(repeating: "\(function)(", count: depth) + "x" + String(repeating: ")", count: depth)
    }

    func testDeepNestingIsRefusedQuicklyWithTheLimitInTheMessage() {
        for text in [nested("tanh", 2000), nested("", 5000), String(repeating: "-", count: 3000) + "x",
                     Array(repeating: "x", count: 3000).joined(separator: "^"),
                     Array(repeating: "x", count: 400).joined(separator: "+")] {
            var m = ""
            let t = seconds { m = message(text) }
            XCTAssertLessThan(t, 1, "took \(t) s")
            XCTAssertTrue(m.contains("nested more than \(E.maximumDepth) deep") || m.contains("more than \(E.maximumTerms) terms"), m)
            XCTAssertLessThan(m.count, 300, m)
        }
    }

    func testSizeLimits() {
        let long = "x" + String(repeating: " ", count: E.maximumLength) + "*x"
        XCTAssertThrowsError(try E(parsing: long)) { XCTAssertTrue("\($0)".contains("limit of \(E.maximumLength) characters"), "\($0)") }
        let huge = String(repeating: "x+", count: 500_000) + "x"
        var m = ""
        XCTAssertLessThan(seconds { m = message(huge) }, 1)
        XCTAssertTrue(m.contains("limit of \(E.maximumLength) characters"), m)
        XCTAssertLessThan(m.count, 200, m)
        // A balanced product of 256 factors is 9 levels deep but has 767 terms.
        func balanced(_ n: Int) -> String { n == 1 ? "sin(x)" : "(\(balanced(n / 2))*\(balanced(n / 2)))" }
        XCTAssertTrue(message(balanced(256)).contains("more than \(E.maximumTerms) terms"), message(balanced(256)))
    }

    /// The most expensive shapes within the limits: derivatives grow with terms × depth, compiling walks them.
    func testTheWorstWithinTheLimitsIsFast() throws {
        let worst = [
            Array(repeating: "x", count: 99).joined(separator: "^"),
            Array(repeating: "x", count: 99).joined(separator: "*"),
            nested("tanh", 98),
            String(repeating: "x*tanh(", count: 48) + "x" + String(repeating: ")", count: 48),
            Array(repeating: "tanh(x)", count: 60).joined(separator: "^") + "+"
                + Array(repeating: "sin(x)", count: 60).joined(separator: "^"),
        ]
        for text in worst {
            let t = seconds { _ = message(text) }
            XCTAssertLessThan(t, 3, "\(text.prefix(40))…: \(t) s")
            XCTAssertFalse(message(text).contains("limit"), message(text))
        }
        // Within the limits, the canonical text parses back (run files store it).
        let a = try Activation(parsing: "1e15*x+" + nested("tanh", 90))
        XCTAssertNoThrow(try Activation(parsing: a.spec))
    }

    func testMessagesQuoteAnExcerpt() {
        let bad = String(repeating: "x*", count: 30) + "foo(x)" + String(repeating: "*x", count: 30)
        let m = message(bad)
        XCTAssertTrue(m.contains("unknown function 'foo'"), m)
        XCTAssertTrue(m.contains("…"), m)
        XCTAssertLessThan(m.count, 400, m)
        XCTAssertEqual(message("y^2"), "unknown name 'y' (the variable is x; the constants are pi and e) at column 1 in \"y^2\"")
        XCTAssertTrue(message("x\n+").contains("\\n"), message("x\n+"))
        XCTAssertFalse(message("x\n+#").contains("\n"))
    }
}
