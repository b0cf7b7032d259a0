import XCTest
@testable import Sweep

/// Which planned runs `sweep run` may train in one `condense train --seeds` child: those whose arguments differ only
/// in one `--seed N`.
final class SeedBatchGroupingTests: XCTestCase {
    func testSeedAndRestSplitsOffExactlyOneSeed() {
        let a = SeedGrouping.seedAndRest(["--hidden", "6", "--seed", "3", "--lr", "0.1"])
        XCTAssertEqual(a?.seed, 3)
        XCTAssertEqual(a?.rest, ["--hidden", "6", "--lr", "0.1"])
        XCTAssertEqual(SeedGrouping.seedAndRest(["--seed", "4", "--hidden", "6", "--lr", "0.1"])?.rest, a?.rest)
        XCTAssertNil(SeedGrouping.seedAndRest(["--hidden", "6"]), "no seed: nothing to batch")
        XCTAssertNil(SeedGrouping.seedAndRest(["--seed", "1", "--seed", "2"]), "two seeds")
        XCTAssertNil(SeedGrouping.seedAndRest(["--seed=3"]), "the = form is not split")
        XCTAssertNil(SeedGrouping.seedAndRest(["--seed", "x"]))
        XCTAssertNil(SeedGrouping.seedAndRest(["--seed"]))
        XCTAssertNil(SeedGrouping.seedAndRest(["--seeds", "1-3"]))
    }
}
