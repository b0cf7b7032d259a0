import Foundation
import XCTest

/// `condense sweep plan / run / status`: the local runner keeps every finished run through interruptions.
final class SweepRunTests: SweepTestCase {
    /// SIGTERM, then SIGKILL of the runner, then a last run: no finished run is lost or started again, the
    /// interrupted ones resume (attempt 2 is a `--resume`) and everything ends done with the full step count.
    func testInterruptedRunnerLosesAndRepeatsNothing() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [20, 30, 40]}]"#, seeds: "2",
                                   steps: 20000)
        let out = path("sw")
        XCTAssertTrue(try plan(sweep, out).contains("6 runs"))
        func done() throws -> [Int: [String: Any]] { try records(out).filter { ($0.value["state"] as? String) == "done" } }

        // SIGTERM after the first finished run: the runner stops its children and exits 130.
        let first = try start(["sweep", "run", out, "--jobs", "2"])
        try wait(seconds: 60) { try done().count >= 1 }
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 130)
        let afterTerm = try done()
        for (_, r) in try records(out) {
            XCTAssertNotEqual(r["state"] as? String, "running", "\(r)")   // interrupted runs are pending again
        }

        // SIGKILL after one more, while a run is training: its orphaned children notice, snapshot and stop; the
        // next runner waits for them and resumes.
        let second = try start(["sweep", "run", out, "--jobs", "2"])
        let ids = try runIDs(out)
        try wait(seconds: 60) {
            try done().count > afterTerm.count && records(out).contains { index, r in
                r["state"] as? String == "running" && FileManager.default.fileExists(atPath: "\(out)/runs/\(ids[index])/run.h5")
            }
        }
        // Its first snapshot lands within milliseconds of the file; a run lasts over a second: kill mid-run.
        usleep(100_000)
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        let afterKill = try done()

        let last = try CondenseProcess.run(["sweep", "run", out, "--jobs", "2"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertTrue(last.stdout.contains("6 done, 0 failed"), last.stdout)
        let final = try records(out)
        XCTAssertEqual(final.count, 6)
        for (index, r) in afterKill {
            XCTAssertEqual(final[index]?["finished_utc"] as? String, r["finished_utc"] as? String, "run \(index) redone")
            XCTAssertEqual(final[index]?["attempts"] as? Int, r["attempts"] as? Int, "run \(index) started again")
        }
        for (index, r) in afterTerm { XCTAssertEqual(r["attempts"] as? Int, final[index]?["attempts"] as? Int) }
        var resumed = 0
        for (index, r) in final {
            XCTAssertEqual(r["state"] as? String, "done")
            XCTAssertEqual(r["failures"] as? Int, 0, "\(r)")
            let log = try String(contentsOfFile: "\(out)/runs/\(ids[index])/train.log", encoding: .utf8)
            // A child stopped before its first snapshot starts afresh; one with snapshots is resumed.
            XCTAssertEqual(log.components(separatedBy: "\n== ").count, r["attempts"] as? Int, "one log header per attempt: \(log)")
            if log.contains("--resume") { resumed += 1 }
            XCTAssertTrue(log.contains("completed after 20000 steps"), "\(r)\n\(log)")
        }
        XCTAssertGreaterThanOrEqual(resumed, 1, "no run was interrupted and resumed: \(final)")
        let status = try CondenseProcess.run(["sweep", "status", out])
        XCTAssertEqual(status.status, 0)
        XCTAssertTrue(status.stdout.contains("0 pending, 0 running, 6 done, 0 failed"), status.stdout)
        // Nothing left to do: a fourth runner starts nothing.
        let again = try CondenseProcess.run(["sweep", "run", out])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try records(out).mapValues { $0["attempts"] as? Int }, final.mapValues { $0["attempts"] as? Int })
    }

    /// Re-planning an edited sweep keeps the runs whose configuration did not change; only new ones run.
    /// A classification sweep plans: the planner checks each run's configuration before its data is read, with
    /// the one-hot classes as outputs (it once took 1 output and refused cross-entropy).
    func testClassificationSweepPlans() throws {
        let sweep = path("classes.json")
        try """
        {"name": "classes", "options": {"dataset": "fashion-mnist", "labels": "one-hot", "loss": "cross-entropy",
          "n-train": 100, "n-test": 0, "batch-size": 10, "steps": 10, "hidden": "8"},
         "axes": [{"option": "lr", "values": [0.001, 0.01]}]}
        """.write(toFile: sweep, atomically: true, encoding: .utf8)
        XCTAssertTrue(try plan(sweep, path("sw")).contains("2 runs"))
    }

    func testReplanKeepsFinishedRuns() throws {
        let out = path("sw")
        try writeSweep("a.json", axes: #"[{"option": "hidden", "values": [10, 20]}]"#)
        _ = try plan(path("a.json"), out)
        XCTAssertEqual(try CondenseProcess.run(["sweep", "run", out, "--jobs", "2"]).status, 0)
        let before = try records(out)
        let oldIDs = try runIDs(out)
        // 20 moves to the front, 30 is new, and the integer is written as 10.0: same configuration, same id.
        try writeSweep("b.json", axes: #"[{"option": "hidden", "values": [20, 10.0, 30]}]"#)
        let text = try plan(path("b.json"), out)
        XCTAssertTrue(text.contains("2 kept (2 done), 1 new, 0 no longer"), text)
        let newIDs = try runIDs(out)
        XCTAssertEqual(newIDs[0], oldIDs[1]); XCTAssertEqual(newIDs[1], oldIDs[0])
        let r = try CondenseProcess.run(["sweep", "run", out, "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let after = try records(out)
        XCTAssertEqual(after[0]?["finished_utc"] as? String, before[1]?["finished_utc"] as? String)
        XCTAssertEqual(after[1]?["finished_utc"] as? String, before[0]?["finished_utc"] as? String)
        XCTAssertEqual(after[0]?["attempts"] as? Int, 1); XCTAssertEqual(after[1]?["attempts"] as? Int, 1)
        XCTAssertEqual(after[2]?["state"] as? String, "done")
        // Dropping a value leaves its run on disk and says so.
        try writeSweep("c.json", axes: #"[{"option": "hidden", "values": [10, 20]}]"#)
        XCTAssertTrue(try plan(path("c.json"), out).contains("2 kept (2 done), 0 new, 1 no longer in the sweep"))
    }

    /// A run that fails at run time is recorded failed with its error line (not retried: bad input), the others
    /// finish; `--index` runs exactly one run; collect writes the failed one as missing with its reason.
    func testFailingRunIsRecordedWhileOthersFinishAndCollectMarksItMissing() throws {
        let out = path("sw")
        // --n-train 0 passes the parser but fails when the data are made.
        try writeSweep("s.json", axes: #"[{"option": "n-train", "values": [4, 0, 3]}, {"option": "hidden", "values": [10, 20]}]"#)
        _ = try plan(path("s.json"), out)
        let one = try CondenseProcess.run(["sweep", "run", out, "--index", "5"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try records(out).keys.sorted(), [5])
        let r = try CondenseProcess.run(["sweep", "run", out, "--jobs", "2"])
        XCTAssertEqual(r.status, 1, "some runs failed: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("4 done, 2 failed"), r.stdout)
        let recs = try records(out)
        for i in [2, 3] {
            XCTAssertEqual(recs[i]?["state"] as? String, "failed")
            XCTAssertEqual(recs[i]?["exit_status"] as? Int, 2)
            XCTAssertEqual(recs[i]?["attempts"] as? Int, 1, "bad input is not retried")
            XCTAssertTrue((recs[i]?["error"] as? String ?? "").contains("--n-train must be ≥ 1"), "\(recs[i] ?? [:])")
        }
        for i in [0, 1, 4, 5] { XCTAssertEqual(recs[i]?["state"] as? String, "done") }
        let status = try CondenseProcess.run(["sweep", "status", out])
        XCTAssertTrue(status.stdout.contains("4 done, 2 failed"), status.stdout)
        XCTAssertTrue(status.stdout.contains("error: --n-train must be ≥ 1"), status.stdout)

        let summary = path("summary.h5"), csv = path("summary.csv")
        let c = try CondenseProcess.run(["sweep", "collect", out, "-o", summary, "--csv", csv])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("6 runs, 4 done, 2 missing"), c.stdout)
        XCTAssertTrue(c.stdout.contains("S_w"), c.stdout)        // hidden is a width axis
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 7)
        XCTAssertTrue(rows[0].hasPrefix("n-train,hidden,run_id,status,reason,final_loss,layer_1_"), String(rows[0]))
        XCTAssertTrue(rows[3].hasPrefix("0,10,") && rows[3].contains(",failed,failed: --n-train must be ≥ 1"), String(rows[3]))
        let py = try CondenseProcess.python("""
        import sys, math, xarray as xr
        ds = xr.open_dataset('\(summary)', engine='h5netcdf')
        assert ds['final_loss'].dims == ('n-train', 'hidden'), ds['final_loss'].dims
        assert list(ds['n-train'].values) == [4, 0, 3] and list(ds['hidden'].values) == [10, 20]
        assert ds['relative_distance'].dims == ('n-train', 'hidden', 'layer')
        ok = ds.sel({'n-train': 4, 'hidden': 20})
        assert ok['status'].item() == 'done' and ok['reason'].item() == ''
        assert math.isfinite(float(ok['final_loss'])) and float(ok['final_loss']) >= 0
        assert float(ok['relative_distance'].sel(layer='layer_1')) > 0
        assert 0 < float(ok['effective_ratio'].sel(layer='layer_1')) <= 1
        assert int(ok['final_orientations'].sel(layer='layer_1')) >= 0
        bad = ds.sel({'n-train': 0, 'hidden': 10})
        assert bad['status'].item() == 'failed', bad['status'].item()
        assert bad['reason'].item().startswith('failed: --n-train must be'), bad['reason'].item()
        assert math.isnan(float(bad['final_loss'])) and math.isnan(float(bad['relative_distance'].sel(layer='layer_1')))
        assert int(bad['final_lines'].sel(layer='layer_1')) == -1 and bad['verdict'].sel(layer='layer_1').item() == ''
        assert ds['rd_slope'].dims == ('n-train',), ds['rd_slope'].dims
        assert math.isnan(float(ds['rd_slope'].sel({'n-train': 0})))
        assert int(ds['rd_slope_points'].sel({'n-train': 4})) == 2
        print('ok')
        """, modules: ["xarray", "h5netcdf"])
        XCTAssertEqual(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok", py.stderr)
    }

    /// A child killed from outside (SIGKILL, as by the OOM killer) is a failure with its line, retried once: the
    /// retry resumes from the last flushed snapshot and the run ends done.
    func testKilledChildIsRetriedFromItsLastSnapshot() throws {
        let out = path("sw")
        try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [30]}]"#, steps: 30000)
        _ = try plan(path("s.json"), out)
        let id = try runIDs(out)[0]
        let runner = try start(["sweep", "run", out, "--retries", "1"])
        var child: pid_t = 0
        try wait(seconds: 60) {
            // Our own train child: the process whose command line names this run's file, once it has snapshots.
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = pid_t(entry), let cmd = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
                let text = String(decoding: cmd, as: UTF8.self)
                if text.contains("train\u{0}") && text.contains("\(id)/run.h5") { child = pid }
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(out)/runs/\(id)/run.h5")[.size] as? Int) ?? 0
            // Past ~140 kB the file holds several flushed snapshots (it has ~135 kB after the first).
            return child > 0 && size > 140_000
        }
        XCTAssertGreaterThan(child, 0)
        kill(child, SIGKILL)
        runner.waitUntilExit()
        XCTAssertEqual(runner.terminationStatus, 0)
        let r = try XCTUnwrap(try records(out)[0])
        XCTAssertEqual(r["state"] as? String, "done")
        XCTAssertEqual(r["attempts"] as? Int, 2)
        XCTAssertEqual(r["failures"] as? Int, 1)
        let log = try String(contentsOfFile: "\(out)/runs/\(id)/train.log", encoding: .utf8)
        XCTAssertTrue(log.contains("attempt 2: condense train --resume"), log)
        XCTAssertTrue(log.contains("completed after 30000 steps"), log)
    }

}
