import XCTest

final class MultiplicityCommandTests: XCTestCase {
    func testPrintsMultiplicityAndCoefficients() throws {
        let cases: [(String, String)] = [("tanh", "p           1 "), ("xtanh", "p           2 "),
                                         ("x^2*tanh(x)", "p           3 "), ("sigmoid", "p           1 "),
                                         ("1-cos(x)", "p           2 "), ("x^3*tanh(x)", "p           4 ")]
        for (activation, line) in cases {
            let r = try CondenseProcess.run(["multiplicity", activation])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains(line), "\(activation): \(r.stdout)")
        }
        let tanh = try CondenseProcess.run(["multiplicity", "tanh"])
        XCTAssertTrue(tanh.stdout.contains("c3 = -0.3333333333"), tanh.stdout)
    }

    func testReLUSaysUndefinedWithBothSides() throws {
        let r = try CondenseProcess.run(["multiplicity", "relu"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("undefined"), r.stdout)
        XCTAssertTrue(r.stdout.contains("x → 0+"), r.stdout)
        XCTAssertTrue(r.stdout.contains("x → 0-"), r.stdout)
    }

    func testUnknownActivationIsOneLineExitTwo() throws {
        let r = try CondenseProcess.run(["multiplicity", "x^"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
