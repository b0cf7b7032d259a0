import Foundation
import XCTest

/// `sweep collect` reads a run's stored `/analysis` instead of analyzing the run again exactly when that analysis
/// is the one collect would make (`SweepCollector.reuseRefusal`), and the table is the same either way.
final class SweepCollectReuseTests: SweepTestCase {
    func collect(_ sweep: String, _ name: String, _ extra: [String] = []) throws -> (stdout: String, csv: String) {
        let r = try CondenseProcess.run(["sweep", "collect", sweep, "-o", path(name + ".h5"), "--csv", path(name + ".csv")] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (r.stdout, try String(contentsOfFile: path(name + ".csv"), encoding: .utf8))
    }

    func analyze(_ run: String, _ extra: [String] = []) throws {
        let r = try CondenseProcess.run(["analyze", run] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testStoredAnalysesAreReusedOnlyWhenTheyMatchAndGiveTheSameTable() throws {
        // P1's 5-D tanh recipe, small: every run condenses, so the initial-stage columns are filled too.
        let sweep = path("s.json")
        try """
        {"name": "reuse", "options": {"steps": 60, "snapshots": "every:10"},
         "axes": [{"option": "hidden", "values": [20, 40]}], "seeds": 2}
        """.write(toFile: sweep, atomically: true, encoding: .utf8)
        let out = path("sw")
        _ = try plan(sweep, out)
        let run = try CondenseProcess.run(["sweep", "run", out, "--jobs", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let runs = try runIDs(out).map { "\(out)/runs/\($0)/run.h5" }
        XCTAssertEqual(runs.count, 4)

        let fresh = try collect(out, "fresh")
        XCTAssertFalse(fresh.stdout.contains("reused"), "nothing is stored yet: \(fresh.stdout)")
        XCTAssertTrue(fresh.csv.contains("condensed within bound"), fresh.csv)

        // Every run analyzed in place with the defaults: all four reused, the same table.
        for r in runs { try analyze(r) }
        let reused = try collect(out, "reused")
        XCTAssertTrue(reused.stdout.contains("4 done, 0 missing; CSV \(path("reused.csv")); stored analyses reused: 4"), reused.stdout)
        XCTAssertEqual(reused.csv, fresh.csv)
        // --reanalyze ignores them.
        XCTAssertFalse(try collect(out, "forced", ["--reanalyze"]).stdout.contains("reused"))

        // Heat-map size only: still reused. Other thresholds, or a subset of the snapshots: analyzed again.
        try analyze(runs[0], ["--heatmap-neurons", "5", "--heatmaps", "1"])
        try analyze(runs[1], ["--cos", "0.9"])
        try analyze(runs[2], ["--snapshots", "last"])
        let mixed = try collect(out, "mixed")
        XCTAssertTrue(mixed.stdout.contains("; stored analyses reused: 2"), mixed.stdout)
        XCTAssertEqual(mixed.csv, fresh.csv)

        // Stale: run 3 trains on after its analysis (more snapshots), so its stored analysis no longer covers the
        // run; collect analyzes it again and agrees with a full re-analysis, not with the old table.
        let resume = try CondenseProcess.run(["train", "--resume", runs[3], "--steps", "100", "-q"])
        XCTAssertEqual(resume.status, 0, resume.stderr)
        let stale = try collect(out, "stale")
        XCTAssertTrue(stale.stdout.contains("; stored analyses reused: 1"), stale.stdout)
        let truth = try collect(out, "truth", ["--reanalyze"])
        XCTAssertEqual(stale.csv, truth.csv)
        XCTAssertNotEqual(stale.csv, fresh.csv, "the resumed run's row changed")
    }
}
