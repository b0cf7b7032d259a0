import XCTest
@testable import CondenseCLI

/// `UsageError` and `FigureError`: each kind's line is its text exactly (it is what stderr shows), and the parsers
/// throw the kind the user can act on.
final class UsageErrorTests: XCTestCase {
    func testEachCaseIsItsLine() {
        let cases: [(UsageError, String)] = [
            (.option("--terms must be 1…25 (got 0)"), "--terms must be 1…25 (got 0)"),
            (.input("data file d.csv does not exist"), "data file d.csv does not exist"),
            (.output("output r.h5 is a directory; give a file name with -o"),
             "output r.h5 is a directory; give a file name with -o"),
            (.tool("sbatch printed no job id: "), "sbatch printed no job id: "),
            (.interrupted("stopped following r.h5 (interrupted)"), "stopped following r.h5 (interrupted)"),
        ]
        for (error, line) in cases {
            XCTAssertEqual(error.description, line)
            XCTAssertEqual("\(error)", line)
        }
        XCTAssertNotEqual(UsageError.option("x"), UsageError.input("x"))
        XCTAssertEqual(FigureError.plotting("ModuleNotFoundError: matplotlib").description, "ModuleNotFoundError: matplotlib")
        XCTAssertEqual("\(FigureError.helper("python3: not found"))", "python3: not found")
    }

    func testSnapshotSelectionThrowsAnOptionError() {
        XCTAssertThrowsError(try SnapshotSelection(parsing: "")) {
            XCTAssertEqual($0 as? UsageError, .option("--snapshots is empty: give all, last, or snapshot indices like 0,5,-1"))
        }
        XCTAssertThrowsError(try SnapshotSelection(parsing: "x")) {
            XCTAssertEqual($0 as? UsageError,
                           .option("--snapshots: 'x' is not a snapshot index (use all, last or 0,5,-1)"))
        }
    }
}
