import XCTest
@testable import Sweep

/// `sweep slurm`'s array tasks: one per group of runs differing only in seed, cut by the rule `sweep run` uses for
/// its seed-batch children (`SeedGrouping`), each task asking for its group's memory and time.
final class SlurmSeedGroupTests: XCTestCase {
    /// `points` grid points of `seeds` seeds each, seeds fastest (as the planner orders them).
    func runs(points: Int, seeds: Int) -> [PlannedRun] {
        (0..<points * seeds).map { k in
            PlannedRun(index: k, id: "r\(k)", coordinates: [k / seeds, k % seeds],
                       arguments: ["--hidden", "\(10 * (k / seeds + 1))", "--seed", "\(k % seeds + 1)", "--lr", "0.1"])
        }
    }

    func indices(_ groups: [[PlannedRun]]) -> [[Int]] { groups.map { $0.map(\.index) } }

    func testAPointsSeedsAreOneGroup() {
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 2, seeds: 3), freeSlots: nil)), [[0, 1, 2], [3, 4, 5]])
        // As many slots as points (or fewer): no split.
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 2, seeds: 3), freeSlots: 3)), [[0, 1, 2], [3, 4, 5]])
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 2, seeds: 3), freeSlots: 1)), [[0, 1, 2], [3, 4, 5]])
    }

    func testSplitOverFreeSlotsEvenlyAsTheLocalRunner() {
        // 2 points, 4 slots: 2 slots each, batches of ⌈3/2⌉ = 2 (the local runner's size), parts 2 + 1.
        XCTAssertEqual(SeedGrouping.batchSize(runs: 3, points: 2, freeSlots: 4), 2)
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 2, seeds: 3), freeSlots: 4)), [[0, 1], [2], [3, 4], [5]])
        // A slot per run: every run alone.
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 2, seeds: 3), freeSlots: 6)), [[0], [1], [2], [3], [4], [5]])
        // 7 seeds at most 3 per group: ⌈7/3⌉ = 3 groups of 3, 2, 2 (even parts, none above the limit).
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 1, seeds: 7), freeSlots: nil, limit: 3)),
                       [[0, 1, 2], [3, 4], [5, 6]])
        XCTAssertEqual(indices(SeedGrouping.groups(runs(points: 1, seeds: 3), freeSlots: nil, limit: 1)), [[0], [1], [2]])
    }

    func testAtMostSixtyFourPerGroup() {
        let groups = SeedGrouping.groups(runs(points: 1, seeds: 130), freeSlots: nil)
        XCTAssertEqual(groups.map(\.count), [44, 43, 43])
        XCTAssertEqual(groups.flatMap { $0.map(\.index) }, Array(0..<130))
        XCTAssertEqual(SeedGrouping.batchSize(runs: 130, points: 1, freeSlots: 1), SeedGrouping.maximumBatch)
    }

    func testRunsWithoutOneSeedAreAlone() {
        var r = runs(points: 1, seeds: 2)
        r.append(PlannedRun(index: 2, id: "x", coordinates: [], arguments: ["--hidden", "10"]))
        r.append(PlannedRun(index: 3, id: "y", coordinates: [], arguments: ["--hidden", "10"]))
        XCTAssertEqual(indices(SeedGrouping.groups(r, freeSlots: nil)), [[0, 1], [2], [3]])
        // Seeds of one point need not be adjacent: grouped by the other arguments, in the order of a group's first run.
        let a = runs(points: 2, seeds: 2)
        XCTAssertEqual(indices(SeedGrouping.groups([a[0], a[2], a[1], a[3]], freeSlots: nil)), [[0, 1], [2, 3]])
    }

    func testBatchedScript() {
        var s = SlurmScript(executable: "/bin/condense", directory: SweepDirectory("/d"), name: "t",
                            tasks: [[0, 1, 2], [3, 4, 5], [7]], maxParallel: 2, cpus: 1, memory: "3G", time: "00:30:00",
                            partition: nil)
        XCTAssertTrue(s.batched)
        XCTAssertEqual(s.arraySpec, "0-2%2", "task ids are the groups' numbers")
        for line in ["#SBATCH --array=0-2%2\n", "runs=(0-2 3-5 7)\n", "#SBATCH --mem=3G\n",
                     "exec '/bin/condense' sweep run '/d' --index \"${runs[$SLURM_ARRAY_TASK_ID]}\"\n"] {
            XCTAssertTrue(s.text.contains(line), "\(line) in\n\(s.text)")
        }
        // Two CPUs: the group's runs on two children.
        s.cpus = 2
        XCTAssertTrue(s.text.contains("--index \"${runs[$SLURM_ARRAY_TASK_ID]}\" --jobs 2\n"), s.text)
        // Every group one run: the old script, task id = manifest index.
        s.tasks = [[3], [5], [6]]
        XCTAssertFalse(s.batched)
        XCTAssertEqual(s.arraySpec, "3,5-6%2")
        XCTAssertTrue(s.text.contains("--index \"$SLURM_ARRAY_TASK_ID\"\n"), s.text)
        XCTAssertFalse(s.text.contains("runs=("))
    }

    func testTaskResourcesScaleWithTheGroup() throws {
        for (text, factor, scaled, seconds) in [("90", 2, "03:00:00", 10_800), ("0:05:00", 3, "00:15:00", 900),
                                                ("1:30", 1, "1:30", 90), ("0:0:50", 2, "00:01:40", 100), ("10:00:00", 3, "1-06:00:00", 108_000),
                                                ("2-12", 2, "5-00:00:00", 432_000)] {
            let t = try SlurmTimeLimit(parsing: text).scaled(by: factor)
            XCTAssertEqual(t.description, scaled, text)
            XCTAssertEqual(t.seconds, seconds, text)
            XCTAssertEqual(try SlurmTimeLimit(parsing: t.description).seconds, seconds, "Slurm reads it back")
        }
        XCTAssertEqual(try SlurmTimeLimit(parsing: "unlimited").scaled(by: 9).description, "unlimited")
    }

    func testIndexLists() throws {
        XCTAssertEqual(try RunSelection.parse("7", runs: 10), [7])
        XCTAssertEqual(try RunSelection.parse("3,4,5", runs: 10), [3, 4, 5])
        XCTAssertEqual(try RunSelection.parse("3-5,9,0", runs: 10), [3, 4, 5, 9, 0])
        for (text, message) in [("10", "--index 10: the sweep has runs 0…9"), ("-1", "--index -1: the sweep has runs 0…9"),
                                ("8-12", "the sweep has runs 0…9"), ("3,3", "lists run 3 twice"),
                                ("2-4,3", "lists run 3 twice"), ("5-3", "runs backwards"), ("", "is not a run index"),
                                ("1,", "is not a run index"), ("a", "is not a run index"), ("1-2-3", "is not a run index"),
                                ("1-99999999999999999999", "is not a run index")] {
            XCTAssertThrowsError(try RunSelection.parse(text, runs: 10), text) {
                XCTAssertTrue("\($0)".contains(message), "\(text): \($0)")
                XCTAssertFalse("\($0)".contains("\n"))
            }
        }
    }
}
