import XCTest
@testable import RunFormat
@testable import Training

/// `TrainingError`: each kind's line is its text exactly (the CLI prints it as is), and the loaders, parsers and
/// the stored-configuration reader throw the kind a caller can act on.
final class TrainingErrorTests: XCTestCase {
    func testEachCaseIsItsLine() {
        XCTAssertEqual(TrainingError.option("--steps must be ≥ 0 (got -1)").description, "--steps must be ≥ 0 (got -1)")
        XCTAssertEqual(TrainingError.data("data file a.csv is empty (no data lines)").description,
                       "data file a.csv is empty (no data lines)")
        XCTAssertEqual(TrainingError.resources("this run needs about 9 GiB").description, "this run needs about 9 GiB")
        XCTAssertEqual(TrainingError.run("r.h5: has no training data").description, "r.h5: has no training data")
        XCTAssertEqual("\(TrainingError.run("r.h5: x"))", "r.h5: x")
        XCTAssertNotEqual(TrainingError.option("x"), TrainingError.data("x"))
    }

    func testSitesThrowTheirKind() {
        XCTAssertThrowsError(try SeedList(parsing: "")) { error in
            XCTAssertEqual(error as? TrainingError,
                           .option("--seeds: the list is empty; give seeds like 1-16 or 1,3,7-9"))
        }
        XCTAssertThrowsError(try Dataset(x: [], y: [], n: 0, inputDim: 2, outputDim: 1).validate("data file t.csv")) {
            XCTAssertEqual($0 as? TrainingError, .data("data file t.csv has no samples"))
        }
        XCTAssertThrowsError(try TrainingConfig.fromJSON("{not json")) { error in
            guard case .run(let line)? = error as? TrainingError else { return XCTFail("\(error)") }
            XCTAssertTrue(line.hasPrefix("the run file's configuration cannot be read by this condense ("), line)
        }
    }
}
