import XCTest
@testable import Sweep

/// `sweep slurm --time abc` once wrote `#SBATCH --time=abc`: the values that go into #SBATCH lines are checked.
final class SlurmValueTests: XCTestCase {
    func testTimeLimitsInEverySlurmForm() throws {
        let good: [(String, Int?)] = [("90", 5400), ("0", 0), ("1:30", 90), ("1:00:00", 3600), ("25:00:00", 90000),
                                      ("2-12", 216_000), ("2-12:30", 217_800), ("0-0:0:5", 5), ("UNLIMITED", nil),
                                      ("infinite", nil)]
        for (text, seconds) in good {
            XCTAssertEqual(try SlurmTimeLimit(parsing: text).seconds, seconds, text)
        }
        for text in ["abc", "", "-5", "1:60", "1:2:3:4", "2-24", "1-2-3", "2-", "-2", "1:", ":30", "1.5", "1h",
                     "1\n#SBATCH --x", "9999999999", " 90"] {
            XCTAssertThrowsError(try SlurmTimeLimit(parsing: text), text) {
                XCTAssertTrue("\($0)".contains("is not a Slurm time limit"), "\($0)")
                XCTAssertFalse("\($0)".contains("\n"), "\($0)")
            }
        }
    }

    func testMemorySizes() throws {
        for text in ["2G", "500M", "1024", "0", "3t", "64K"] { XCTAssertNoThrow(try SlurmMemory(parsing: text), text) }
        for text in ["2GB", "", "G", "-1", "1.5G", "2 G", "lots"] {
            XCTAssertThrowsError(try SlurmMemory(parsing: text), text)
        }
    }
}
