import Foundation
import RunFormat
import XCTest

/// `condense analyze` end to end: the paper's 5-D tanh experiment condenses onto one line (2 orientations)
/// within 2p = 2, the results land in /analysis with named dimensions, and bad files fail in one line.
final class AnalyzeCommandTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func analyzeJSON(_ args: [String]) throws -> [String: Any] {
        let r = try CondenseProcess.run(["analyze"] + args + ["--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func testPaperTanhExperimentCondensesOntoOneLineForSeveralSeeds() throws {
        for seed in 1...3 {
            let run = path("tanh\(seed).h5")
            XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--seed", "\(seed)", "-q"]).status, 0)
            let report = try analyzeJSON([run, "--no-write"])
            let layer = try XCTUnwrap((report["layers"] as? [[String: Any]])?.first)
            XCTAssertEqual(layer["multiplicity"] as? Int, 1)
            let stage = try XCTUnwrap(layer["initial_stage"] as? [String: Any], "seed \(seed): never condensed")
            XCTAssertEqual(stage["condensed_orientations"] as? Int, 2, "seed \(seed)")
            XCTAssertEqual(stage["condensed_lines"] as? Int, 1, "seed \(seed)")
            XCTAssertEqual(stage["verdict"] as? String, "condensed within bound", "seed \(seed)")
            let last = try XCTUnwrap((layer["snapshots"] as? [[String: Any]])?.last)
            XCTAssertEqual(last["condensed_lines"] as? Int, 1)
            // At initialization the 50 random directions are not condensed.
            let first = try XCTUnwrap((layer["snapshots"] as? [[String: Any]])?.first)
            XCTAssertEqual(first["verdict"] as? String, "not condensed")
            // The line is the p = 1 direction v = Σ e_i (x_i, 1) early on.
            let early = try XCTUnwrap((layer["snapshots"] as? [[String: Any]])?[2])
            XCTAssertGreaterThan(try XCTUnwrap(early["predicted_cosine"] as? Double), 0.7)
        }
    }

    func testJSONSchemaShowsWhatDecidesAndEveryThresholdIsStored() throws {
        let run = path("sigmoid.h5")
        // A sigmoid run whose groups merge 3 → 1 over the first 40 steps (P1 Fig. 2(e) recipe).
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--activation", "sigmoid", "--lr", "8e-4",
                                                "--seed", "22", "-q", "--n-test", "0"]).status, 0)
        let report = try analyzeJSON([run, "--settle", "3"])
        XCTAssertEqual(report["schema"] as? String, "condense.analysis/2")
        let settings = try XCTUnwrap(report["settings"] as? [String: Any])
        XCTAssertEqual(settings["enter_coverage"] as? Double ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(settings["check_thresholds"] as? [Double], [0.90, 0.98])
        let layer = try XCTUnwrap((report["layers"] as? [[String: Any]])?.first)
        let rows = try XCTUnwrap(layer["snapshots"] as? [[String: Any]])
        for row in rows {
            let counts = try XCTUnwrap(row["threshold_counts"] as? [[String: Any]])
            XCTAssertEqual(counts.compactMap { $0["tau"] as? Double }, [0.90, 0.95, 0.98])
            XCTAssertNotNil(row["straggler_share"] as? Double)
            XCTAssertNotNil(row["condensed"] as? Bool)
        }
        // The stage is the settled single line, not the mid-collapse count of its first condensed snapshot.
        let stage = try XCTUnwrap(layer["initial_stage"] as? [String: Any])
        XCTAssertEqual(stage["condensed_orientations"] as? Int, 1)
        XCTAssertEqual(stage["verdict"] as? String, "condensed within bound")
        XCTAssertEqual(stage["settled"] as? Bool, true)
        // No verdict flips back and forth: once condensed, every later row is condensed (hysteresis).
        let states = rows.compactMap { $0["condensed"] as? Bool }
        if let first = states.firstIndex(of: true) { XCTAssertFalse(states[first...].contains(false), "\(states)") }
        let py = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(run)", "r")
            a = f["analysis"]
            print("attrs", a.attrs["schema"], a.attrs["enter_coverage"], a.attrs["hold_coverage"], a.attrs["settle"])
            print("threshold", list(a["threshold"][()]))
            g = a["layer_1"]
            print("dims", [d.label for d in g["threshold_orientations"].dims])
            print("stable", g.attrs["initial_threshold_stable"], list(g.attrs["initial_orientations_by_threshold"]))
            """, modules: ["h5py"])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertTrue(py.stdout.contains("attrs condense.analysis/2 0.666"), py.stdout)
        XCTAssertTrue(py.stdout.contains("threshold [0.9, 0.95, 0.98]"), py.stdout)
        XCTAssertTrue(py.stdout.contains("dims ['analyzed_step', 'threshold']"), py.stdout)
        XCTAssertTrue(py.stdout.contains("stable 1 [1, 1, 1]"), py.stdout)
    }

    func testBadVerdictOptionsAreRefusedInOneLine() throws {
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "-q", "--steps", "5"]).status, 0)
        for args in [["--check-cos", "0.9,abc"], ["--check-cos", "1.5"], ["--coverage", "0.4", "--hold-coverage", "0.6"],
                     ["--settle", "0"], ["--min-cluster-size", "0"], ["--hold-coverage", "0"]] {
            let r = try CondenseProcess.run(["analyze", run, "--no-write"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
        }
        XCTAssertEqual(try CondenseProcess.run(["analyze", run, "--no-write", "--check-cos", "none"]).status, 0)
    }

    func testTableAndStoredGroupWithNamedDimensions() throws {
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "-q"]).status, 0)
        let r = try CondenseProcess.run(["analyze", run])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("layer_1 (tanh, p = 1): initial stage steps"), r.stdout)
        XCTAssertTrue(r.stdout.contains("vs bound 2p = 2: condensed within bound"), r.stdout)
        XCTAssertTrue(r.stdout.contains("analysis stored in"), r.stdout)
        let py = try CondenseProcess.python("""
            import h5py, xarray as xr
            f = h5py.File("\(run)", "r")
            g = f["analysis/layer_1"]
            print("dims", [d.label for d in g["label"].dims], [d.label for d in g["similarity"].dims])
            print("stage", g.attrs["initial_orientations"], g.attrs["initial_lines"], g.attrs["bound_orientations"])
            ds = xr.open_dataset("\(run)", engine="h5netcdf", group="analysis/layer_1")
            print("xr", dict(ds["cluster_direction"].sizes))
            print("verdict", str(ds["verdict"].values[-1]))
            print("at step 100", int(ds["condensed_orientations"].sel(analyzed_step=100)) == int(ds["condensed_orientations"].values[-1]))
            """, modules: ["h5py", "xarray", "h5netcdf"])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertTrue(py.stdout.contains("dims ['analyzed_step', 'neuron'] ['heatmap_step', 'row', 'column']"), py.stdout)
        XCTAssertTrue(py.stdout.contains("stage 2 1 2"), py.stdout)
        XCTAssertTrue(py.stdout.contains("xr {'analyzed_step': 11, 'cluster': 32, 'component': 6}"), py.stdout)
        XCTAssertTrue(py.stdout.contains("at step 100 True"), "the last snapshot, selected by its step: \(py.stdout)")
        XCTAssertTrue(py.stdout.contains("verdict condensed within bound"), py.stdout)
        let inspect = try CondenseProcess.run(["inspect", run])
        XCTAssertTrue(inspect.stdout.contains("analysis    layer_1: initial stage 2 orientations, 1 lines: condensed within bound"),
                      inspect.stdout)
        // Analyzing again replaces the group rather than failing; negative indices count from the end (the parser
        // once took "-1" for an option).
        XCTAssertEqual(try CondenseProcess.run(["analyze", run, "--snapshots", "last"]).status, 0)
        let fromEnd = try CondenseProcess.run(["analyze", run, "--snapshots", "-1,0", "--json", "--no-write"])
        XCTAssertEqual(fromEnd.status, 0, fromEnd.stderr)
    }

    func testSeparateOutputLeavesTheRunUntouched() throws {
        let run = path("run.h5"), out = path("analysis.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "30", "-q"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: run))
        let r = try CondenseProcess.run(["analyze", run, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: run)), before)
        let py = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(out)", "r")
            print(f.attrs["format"], f["analysis"].attrs["source"].endswith("run.h5"), f["analysis/step"][:].tolist())
            """, modules: ["h5py"])
        XCTAssertEqual(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "condense.analysis True [0, 10, 20, 30]", py.stderr)
        XCTAssertEqual(try CondenseProcess.run(["analyze", run, "-o", out]).status, 2, "exists without --force")
    }

    func testForeignFileWithOnlyTheRequiredLayout() throws {
        // Two orientations u and −u plus a third, written by someone else's code: no readout, no data, no steps.
        let file = path("foreign.h5")
        let py = try CondenseProcess.python("""
            import h5py, numpy as np
            rng = np.random.default_rng(0)
            u = np.array([1.0, 2.0, -1.0]); u /= np.linalg.norm(u)
            v = np.array([0.0, 1.0, 1.0]); v /= np.linalg.norm(v)
            rows = [s * (u + 0.01 * rng.standard_normal(3)) * rng.uniform(0.5, 2) for s in [1] * 12 + [-1] * 12]
            rows += [v + 0.01 * rng.standard_normal(3) for _ in range(6)]
            w = np.array(rows)[None, :, :]
            with h5py.File("\(file)", "w") as f:
                f.attrs["format"] = "condense.run"
                f.attrs["format_version"] = "1.0"
                a = f.create_group("layers/a")
                a.create_dataset("weights", data=w)
                a.attrs["activation"] = "x^2*tanh(x)"   # p is worked out from the activation: 3
                b = f.create_group("layers/b")
                b.create_dataset("weights", data=w)
                b.attrs["activation"] = "relu"          # p undefined
            """, modules: ["h5py", "numpy"])
        XCTAssertEqual(py.status, 0, py.stderr)
        let report = try analyzeJSON([file, "--no-write"])
        let layers = try XCTUnwrap(report["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 2)
        for layer in layers {
            let row = try XCTUnwrap((layer["snapshots"] as? [[String: Any]])?.first)
            XCTAssertEqual(row["orientations"] as? Int, 3)
            XCTAssertEqual(row["lines"] as? Int, 2)
            XCTAssertEqual(row["condensed_orientations"] as? Int, 3)
        }
        XCTAssertEqual(layers[0]["multiplicity"] as? Int, 3)
        XCTAssertEqual((layers[0]["snapshots"] as? [[String: Any]])?.first?["verdict"] as? String, "condensed within bound")
        XCTAssertNil(layers[1]["multiplicity"] as? Int)
        XCTAssertEqual((layers[1]["snapshots"] as? [[String: Any]])?.first?["verdict"] as? String, "bound undefined")
    }

    func testUnusableLayersAreMarkedNotCrashed() throws {
        let file = path("odd.h5")
        let py = try CondenseProcess.python("""
            import h5py, numpy as np
            with h5py.File("\(file)", "w") as f:
                f.attrs["format"] = "condense.run"
                f.attrs["format_version"] = "1.0"
                f.create_group("layers/nan").create_dataset("weights", data=np.full((2, 4, 3), np.nan))
                f.create_group("layers/zero").create_dataset("weights", data=np.zeros((2, 4, 3)))
                f.create_group("layers/one").create_dataset("weights", data=np.ones((2, 1, 3)))
            """, modules: ["h5py", "numpy"])
        XCTAssertEqual(py.status, 0, py.stderr)
        let report = try analyzeJSON([file, "--no-write"])
        let layers = try XCTUnwrap(report["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 3)
        var rows: [String: [String: Any]] = [:]
        for l in layers { rows[l["name"] as? String ?? ""] = (l["snapshots"] as? [[String: Any]])?.first }
        XCTAssertEqual(rows["nan"]?["non_finite"] as? Int, 4)
        XCTAssertEqual(rows["nan"]?["kept"] as? Int, 0)
        XCTAssertEqual(rows["nan"]?["verdict"] as? String, "not condensed")
        XCTAssertEqual(rows["zero"]?["kept"] as? Int, 0)
        XCTAssertEqual(rows["zero"]?["negligible"] as? Int, 4)
        XCTAssertEqual(rows["one"]?["kept"] as? Int, 1)
    }

    func testBadFilesFailInOneLine() throws {
        try "text".write(toFile: path("t.h5"), atomically: true, encoding: .utf8)
        let empty = path("empty.h5")
        let locked = path("locked.h5")
        let py = try CondenseProcess.python("""
            import h5py, numpy as np, subprocess
            with h5py.File("\(empty)", "w") as f:
                f.attrs["format"] = "condense.run"
                f.attrs["format_version"] = "1.0"
                f.create_group("layers/hidden").create_dataset("weights", shape=(0, 3, 2), maxshape=(None, 3, 2))
            with h5py.File("\(path("plain.h5"))", "w") as f:
                f["x"] = 1.0
            with h5py.File("\(locked)", "w") as f:
                f.attrs["format"] = "condense.run"
                f.attrs["format_version"] = "1.0"
                f.create_group("layers/hidden").create_dataset("weights", data=np.ones((1, 3, 2)))
                f.flush()
                r = subprocess.run(["\(CondenseProcess.binary.path)", "analyze", "\(locked)"], capture_output=True, text=True)
                print(r.returncode, r.stderr.strip().replace("\\n", " | "))
            """, modules: ["h5py", "numpy"])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertTrue(py.stdout.hasPrefix("2 condense: error: "), py.stdout)
        XCTAssertFalse(py.stdout.contains(" | "), "more than one line: \(py.stdout)")
        for (file, needle) in [(path("t.h5"), "not an HDF5 file"), (empty, "no snapshots"),
                               (path("plain.h5"), "not a condense run file"), (path("none.h5"), "no such file")] {
            let r = try CondenseProcess.run(["analyze", file])
            XCTAssertEqual(r.status, 2, "\(file): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(needle), "\(r.stderr) lacks \(needle)")
        }
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "5", "-q"]).status, 0)
        for args in [["--cos", "1.5"], ["--snapshots", "7"], ["--snapshots", "x"], ["--jobs", "0"]] {
            let r = try CondenseProcess.run(["analyze", run, "--no-write"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }
}
