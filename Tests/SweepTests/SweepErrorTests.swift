import Foundation
import XCTest
@testable import Sweep

/// Each kind of sweep problem comes back as its own case of the one error enum, and its text is the whole line.
final class SweepErrorTests: XCTestCase {
    func testEachProblemHasItsCaseAndItsLine() throws {
        // The sweep file.
        XCTAssertThrowsError(try SweepFile(top: ["axes": .string("x")], base: "/")) {
            XCTAssertEqual($0 as? SweepError, .sweepFile("'axes' must be a list"))
        }
        let path = NSTemporaryDirectory() + "sweep-error-\(UUID().uuidString).json"
        try Data("{\"nme\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        XCTAssertThrowsError(try SweepFile(path: path)) {
            XCTAssertEqual($0 as? SweepError,
                           .sweepFile("\(path): unknown key 'nme' (a sweep file has name, description, options, axes, seeds)"))
        }
        // Planning: two runs with the same configuration.
        let file = try SweepFile(top: ["axes": .list([.object(["option": .string("gamma"),
                                                                "values": .list([.number(1), .number(2)])])])], base: "/")
        XCTAssertThrowsError(try SweepPlanner { _ in "same" }.plan(file, source: "/x.json")) {
            guard case .plan(let line)? = $0 as? SweepError else { return XCTFail("\($0)") }
            XCTAssertTrue(line.hasPrefix("runs 0 and 1 have the same configuration"), line)
        }
        // The sweep directory.
        let missing = NSTemporaryDirectory() + "no-such-sweep-\(UUID().uuidString)"
        XCTAssertThrowsError(try SweepManifest.load(directory: missing)) {
            XCTAssertEqual($0 as? SweepError, .directory("\(missing): no such sweep directory"))
        }
        // Options.
        XCTAssertThrowsError(try SlurmMemory(parsing: "lots")) {
            guard case .option(let line)? = $0 as? SweepError else { return XCTFail("\($0)") }
            XCTAssertEqual("\($0)", line)
            XCTAssertTrue(line.hasPrefix("--mem 'lots' is not a Slurm memory size"), line)
        }
        // What the system refused.
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: missing + "/x")) {
            guard case .system(let line)? = $0 as? SweepError else { return XCTFail("\($0)") }
            XCTAssertTrue(line.hasPrefix("cannot write \(missing)/x"), line)
        }
    }
}
