import XCTest
@testable import Sweep

/// Which planned runs `sweep run` may train in one `condense train --seeds` child: those whose arguments differ only
/// in one `--seed N`.
final class SeedBatchGroupingTests: XCTestCase {
    func testSeedAndRestSplitsOffExactlyOneSeed() {
        let a = SweepRunner.seedAndRest(["--hidden", "6", "--seed", "3", "--lr", "0.1"])
        XCTAssertEqual(a?.seed, 3)
        XCTAssertEqual(a?.rest, ["--hidden", "6", "--lr", "0.1"])
        XCTAssertEqual(SweepRunner.seedAndRest(["--seed", "4", "--hidden", "6", "--lr", "0.1"])?.rest, a?.rest)
        XCTAssertNil(SweepRunner.seedAndRest(["--hidden", "6"]), "no seed: nothing to batch")
        XCTAssertNil(SweepRunner.seedAndRest(["--seed", "1", "--seed", "2"]), "two seeds")
        XCTAssertNil(SweepRunner.seedAndRest(["--seed=3"]), "the = form is not split")
        XCTAssertNil(SweepRunner.seedAndRest(["--seed", "x"]))
        XCTAssertNil(SweepRunner.seedAndRest(["--seed"]))
        XCTAssertNil(SweepRunner.seedAndRest(["--seeds", "1-3"]))
    }
}
