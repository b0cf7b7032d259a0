import Foundation
import Model
import RunFormat
import Training
import XCTest

/// End-to-end: the real binary trains, writes a run file that our reader and h5py/xarray read, reruns
/// bit-identically, survives a kill, and resumes to exactly the uninterrupted result.
final class TrainCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Every layer's weights at every snapshot, concatenated.
    func allWeights(_ path: String) throws -> [Double] {
        let r = try RunReader(path: path)
        defer { try? r.close() }
        var all: [Double] = []
        for s in 0..<r.snapshotCount {
            for l in 0..<r.layers.count { all += try r.weights(layer: l, snapshot: s) }
        }
        return all
    }

    func testDefaultExperimentWritesACompleteRunFile() throws {
        let out = path("run.h5")
        let r = try CondenseProcess.run(["train", "-o", out, "--steps", "20", "--snapshots", "every:5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("completed after 20 steps"), r.stdout)
        let run = try RunReader(path: out)
        defer { try? run.close() }
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(try run.steps(), [0, 5, 10, 15, 20])
        XCTAssertEqual(run.layers.map(\.name), ["layer_1", "readout"])
        XCTAssertEqual(run.layers[0].width, 50)
        XCTAssertEqual(run.layers[0].fanIn, 5)
        XCTAssertEqual(run.layers[0].activation, "tanh")
        XCTAssertEqual(run.layers[0].multiplicity, 1)
        XCTAssertEqual(run.layers[1].width, 1)
        XCTAssertEqual(run.layers[1].hasBias, false)
        XCTAssertEqual(try run.stepLosses()?.count, 20)
        let w0 = try run.weights(layer: 0, snapshot: 0)
        XCTAssertEqual(w0.count, 50 * 6)
        // N(0, 0.005²) at initialization.
        let sd = (w0.map { $0 * $0 }.reduce(0, +) / Double(w0.count)).squareRoot()
        XCTAssertEqual(sd, 0.005, accuracy: 0.001)
        // The readout bias is off: its column is exactly zero at every snapshot.
        for s in 0..<run.snapshotCount { XCTAssertEqual(try run.weights(layer: 1, snapshot: s).last, 0) }
        let train = try XCTUnwrap(run.data("train"))
        XCTAssertEqual(train.n, 80)
        XCTAssertEqual(train.inputDim, 5)
        let losses = try XCTUnwrap(run.snapshotVariable("train_loss"))
        XCTAssertLessThan(losses.last!, losses.first!)
        XCTAssertNotNil(run.configJSON)
        XCTAssertTrue(run.commandLine.contains("--steps 20"))
    }

    /// The command line and the trainer in this process give the same run, bit for bit (the trainer's own tests,
    /// `TrainingTests.TrainerTests`, then stand for the command's: determinism per seed, thread counts, resume).
    func testCommandEqualsTheTrainerInProcess() throws {
        let cli = path("cli.h5"), inProcess = path("in-process.h5")
        let r = try CondenseProcess.run(["train", "-o", cli, "--steps", "30", "--snapshots", "every:10", "--hidden", "8,8",
                                         "--batch-size", "16", "--dropout", "0.1", "--optimizer", "nesterov", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var c = TrainingConfig.paperDefault
        c.architecture = Architecture(inputDim: 0, hiddenWidths: [8, 8], outputDim: 0, activations: ["tanh", "tanh"],
                                      dropout: [0.1, 0.1])
        c.steps = 30
        c.batchSize = 16
        c.optimizer.kind = .sgd
        c.optimizer.momentum = 0.9
        c.optimizer.nesterov = true
        let summary = try Trainer(config: c, path: inProcess, commandLine: "test").run()
        XCTAssertEqual(summary.status, .completed)
        XCTAssertEqual(try allWeights(cli).map(\.bitPattern), try allWeights(inProcess).map(\.bitPattern))
        let a = try RunReader(path: cli), b = try RunReader(path: inProcess)
        defer { try? a.close(); try? b.close() }
        XCTAssertEqual(try a.stepLosses()?.map(\.bitPattern), try b.stepLosses()?.map(\.bitPattern))
        XCTAssertEqual(try a.snapshotVariable("test_loss")?.map(\.bitPattern),
                       try b.snapshotVariable("test_loss")?.map(\.bitPattern))
        XCTAssertEqual(a.configJSON, b.configJSON)
    }

    func testKilledRunKeepsEverySnapshotAndResumesBitIdentically() throws {
        let args = ["train", "--steps", "60", "--snapshots", "every:10", "--hidden", "12", "--batch-size", "32",
                    "--dropout", "0.2", "--optimizer", "adam", "--lr", "0.01", "-q", "--sync-snapshots"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        // Killed (SIGKILL, no clean-up) right after update 37: with --sync-snapshots, snapshots 0…30 were flushed,
        // the rest is lost.
        let killed = try CondenseProcess.run(args + ["-o", path("cut.h5")],
                                             environment: ["CONDENSE_KILL_AFTER_STEP": "37"])
        XCTAssertEqual(killed.status, SIGKILL, "the run was meant to be killed")
        let cut = try RunReader(path: path("cut.h5"))
        XCTAssertEqual(try cut.steps(), [0, 10, 20, 30])
        XCTAssertEqual(cut.status, .running)
        try cut.close()
        // Its writer mark stays (every run is written in SWMR mode): h5py reads it as a SWMR reader.
        let h5py = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(path("cut.h5"))", "r", libver="latest", swmr=True)
            print(f["layers/layer_1/weights"].shape[0], list(f["step"][:]))
            """, modules: ["h5py"])
        XCTAssertEqual(h5py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "4 [0, 10, 20, 30]", h5py.stderr)
        try assertResumedEqualsFull()
    }

    /// Resumes cut.h5 and checks that it ends as full.h5: same weights bit for bit, snapshots every 10 of 60
    /// steps, the same per-step losses, completed.
    func assertResumedEqualsFull(file: StaticString = #filePath, line: UInt = #line) throws {
        let resumed = try CondenseProcess.run(["train", "--resume", path("cut.h5"), "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr, file: file, line: line)
        let full = try allWeights(path("full.h5")), again = try allWeights(path("cut.h5"))
        XCTAssertEqual(full.count, again.count, file: file, line: line)
        XCTAssertTrue(zip(full, again).allSatisfy { $0.bitPattern == $1.bitPattern }, "resumed run differs",
                      file: file, line: line)
        let r = try RunReader(path: path("cut.h5")), f = try RunReader(path: path("full.h5"))
        defer { try? r.close(); try? f.close() }
        XCTAssertEqual(try r.steps(), [0, 10, 20, 30, 40, 50, 60], file: file, line: line)
        XCTAssertEqual(try r.stepLosses(), try f.stepLosses(), file: file, line: line)
        XCTAssertEqual(try r.stepLosses()?.count, 60, file: file, line: line)
        XCTAssertEqual(r.status, .completed, file: file, line: line)
    }

    /// The default writer thread: a run killed outright keeps a consistent prefix of its snapshots (all but the
    /// few still queued), and resuming from whatever it kept ends exactly like the uninterrupted run.
    func testKilledRunWithAWriterThreadKeepsAPrefixAndResumesBitIdentically() throws {
        let args = ["train", "--steps", "60", "--snapshots", "every:10", "--hidden", "12", "--batch-size", "32",
                    "--optimizer", "adam", "--lr", "0.01", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        let (kept, stateStep) = try killAfterStep37(args)
        // This network's optimizer state is small, so it goes with every snapshot: the file's last one.
        XCTAssertEqual(stateStep, kept.last)
        guard !kept.isEmpty else { return }
        try assertResumedEqualsFull()
    }

    /// Runs `args` into cut.h5 with SIGKILL after update 37 (the writer holding nothing back), checks that the
    /// file keeps a prefix of snapshots 0, 10, 20, 30, and returns their steps and the stored optimizer state's step.
    /// `environment` adds variables to the killed run's.
    func killAfterStep37(_ args: [String], environment: [String: String] = [:], file: StaticString = #filePath,
                         line: UInt = #line) throws -> (kept: [Int], stateStep: Int?) {
        let killed = try CondenseProcess.run(args + ["-o", path("cut.h5")],
                                             environment: environment.merging(["CONDENSE_KILL_AFTER_STEP": "37",
                                                                               "CONDENSE_WRITER_MAX_DELAY": "0"]) { $1 })
        XCTAssertEqual(killed.status, SIGKILL, "the run was meant to be killed", file: file, line: line)
        // The kill may land inside a flush of the writer thread: the file, written in SWMR mode, is consistent
        // anyway (a plain file could be torn there, about 1 run in 10 of this test). It still carries the writer
        // mark, and is read as a SWMR reader.
        if !FileManager.default.fileExists(atPath: path("cut.h5")) { return ([], nil) }
        let cut = try RunReader(path: path("cut.h5"))
        let kept = try cut.steps()
        defer { try? cut.close() }
        XCTAssertEqual(kept, Array([0, 10, 20, 30].prefix(kept.count)), "not a prefix of the snapshots taken",
                       file: file, line: line)
        return (kept, try cut.optimizerState()?.step)
    }

    /// With checkpoints far apart only step 0 carries the optimizer state until the run ends (the state of this
    /// 100-100 network, 173 KB, is made larger than the size that goes with every snapshot, as a large network's
    /// is), so a killed run leaves snapshots newer than its state: the resume cuts them off, continues from step 0
    /// and computes them again. The writer is told not to hold snapshots back, so that those newer snapshots are
    /// in the file when the kill lands (a much smaller network trains past step 37 before the first is written).
    /// No test set: the weights and the per-step losses are compared.
    func testKilledRunResumesFromItsLastCheckpoint() throws {
        let args = ["train", "--steps", "60", "--snapshots", "every:10", "--hidden", "100,100", "--batch-size", "32",
                    "--dropout", "0.2", "--optimizer", "adam", "--lr", "0.01", "-q", "--checkpoint-every", "1000", "--n-test", "0"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        let f = try RunReader(path: path("full.h5"))
        XCTAssertEqual(try f.optimizerState()?.step, 60, "the last snapshot always carries the state")
        try f.close()
        let (kept, stateStep) = try killAfterStep37(args, environment: ["CONDENSE_SMALL_STATE_BYTES": "0"])
        XCTAssertEqual(stateStep, kept.isEmpty ? nil : 0)
        guard !kept.isEmpty else { return }
        try assertResumedEqualsFull()
    }

    /// A 400-wide layer has 1.28 MB weight chunks, which are written past the page cache (where the file system
    /// allows it); deflate level 0 sends the same data through HDF5's own path. Both files must hold the same bits,
    /// and h5py must read them.
    func testLargeWeightChunksWrittenDirectlyReadBackExactly() throws {
        let args = ["train", "--hidden", "400,400", "--steps", "12", "--snapshots", "every:3", "--n-test", "0", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("direct.h5")]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("hdf5.h5"), "--compress", "0"]).status, 0)
        let direct = try allWeights(path("direct.h5")), viaHDF5 = try allWeights(path("hdf5.h5"))
        XCTAssertEqual(direct.count, 5 * (400 * 6 + 400 * 401 + 401))
        XCTAssertTrue(zip(direct, viaHDF5).allSatisfy { $0.bitPattern == $1.bitPattern }, "direct chunks differ")
        let h5py = try CondenseProcess.python("""
            import h5py, numpy as np
            a = h5py.File("\(path("direct.h5"))", "r")["layers/layer_2/weights"][()]
            b = h5py.File("\(path("hdf5.h5"))", "r")["layers/layer_2/weights"][()]
            print(a.shape, bool(np.array_equal(a, b)), int(np.isnan(a).sum()))
            """, modules: ["h5py"])
        XCTAssertEqual(h5py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "(5, 400, 401) True 0", h5py.stderr)
    }

    /// The writer holds snapshots back for up to 0.05 s, but not the first: a live run killed early has it in the
    /// file (so SWMR has started) and resumes live, bit for bit.
    func testLiveRunKilledEarlyResumesLive() throws {
        let args = ["train", "--steps", "60", "--snapshots", "every:10", "--hidden", "12", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        let killed = try CondenseProcess.run(args + ["--live", "-o", path("cut.h5")],
                                             environment: ["CONDENSE_KILL_AFTER_STEP": "37"])
        XCTAssertEqual(killed.status, SIGKILL, "the run was meant to be killed")
        let resumed = try CondenseProcess.run(["train", "--resume", path("cut.h5"), "--live", "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try allWeights(path("cut.h5")), try allWeights(path("full.h5")))
    }

    /// Set-up does not grow with the step count: 5·10⁷ steps with a snapshot every 10 used to build the list of
    /// their 5·10⁶ snapshot steps before the first update (seconds in a debug build; 10⁸ steps took ~20 s). The
    /// first snapshot is in the file at once, and SIGTERM then stops the run with its final snapshot (exit 130).
    func testSetUpDoesNotGrowWithTheStepCount() throws {
        let run = path("long.h5")
        let p = Process()
        p.executableURL = CondenseProcess.binary
        p.arguments = ["train", "--steps", "50000000", "--snapshots", "every:10", "-q", "-o", run]
        p.standardError = FileHandle.nullDevice
        let start = Date()
        try p.run()
        while !FileManager.default.fileExists(atPath: run) && p.isRunning && Date().timeIntervalSince(start) < 60 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let setUp = Date().timeIntervalSince(start)
        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        XCTAssertLessThan(setUp, 5, "the first snapshot came \(setUp) s after the start")
        let r = try RunReader(path: run)
        defer { try? r.close() }
        XCTAssertEqual(r.status, .interrupted)
        XCTAssertEqual(try r.steps().first, 0)
    }

    func testCheckpointEveryRejectsNegativeSeconds() throws {
        let r = try CondenseProcess.run(["train", "-o", path("x.h5"), "--checkpoint-every", "-1", "-q"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--checkpoint-every"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.h5")))
    }

    func testFromRerunsTheStoredConfiguration() throws {
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", path("a.h5"), "--steps", "12", "--hidden", "7",
                                                "--activation", "x^3*tanh(x)", "--seed", "9", "-q"]).status, 0)
        let r = try CondenseProcess.run(["train", "--from", path("a.h5"), "-o", path("b.h5"), "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try allWeights(path("a.h5")), try allWeights(path("b.h5")))
    }

    func testH5pyAndXarraySeeNamedDimensions() throws {
        let out = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", out, "--steps", "10", "--hidden", "6,4", "-q"]).status, 0)
        let r = try CondenseProcess.python("""
            import h5py, xarray as xr
            f = h5py.File("\(out)", "r")
            w = f["layers/layer_2/weights"]
            print("h5py", [d.label for d in w.dims], w.shape)
            print("comp", [s.decode() if isinstance(s, bytes) else s for s in f["layers/layer_2/component"][:]])
            print("attr", f.attrs["format"], f.attrs["format_version"], f["layers/layer_1"].attrs["activation"])
            ds = xr.open_dataset("\(out)", engine="h5netcdf", group="layers/layer_2")
            print("xr", dict(ds["weights"].sizes))
            print("sel", ds["weights"].sel(step=10).shape, (ds["weights"].sel(step=10).values == w[1]).all())
            root = xr.open_dataset("\(out)", engine="h5netcdf")
            print("root", dict(root["train_loss"].sizes), list(root["step"].values))
            data = xr.open_dataset("\(out)", engine="h5netcdf", group="data/train")
            print("data", dict(data["x"].sizes))
            """, modules: ["h5py", "xarray", "h5netcdf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first { $0.hasPrefix("h5py") }, "h5py ['step', 'neuron', 'component'] (2, 4, 7)")
        XCTAssertEqual(lines.first { $0.hasPrefix("comp") }, "comp ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b']")
        XCTAssertEqual(lines.first { $0.hasPrefix("attr") }, "attr condense.run 1.2 tanh")
        XCTAssertEqual(lines.first { $0.hasPrefix("xr") }, "xr {'step': 2, 'neuron': 4, 'component': 7}")
        XCTAssertEqual(lines.first { $0.hasPrefix("sel") }, "sel (4, 7) True", "the snapshot of step 10 by its step")
        XCTAssertEqual(lines.first { $0.hasPrefix("root") }, "root {'step': 2} [0, 10]")
        XCTAssertEqual(lines.first { $0.hasPrefix("data") }, "data {'sample': 80, 'input': 5}")
    }

    func testInspectDescribesTheRun() throws {
        let out = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", out, "--steps", "10", "-q"]).status, 0)
        let r = try CondenseProcess.run(["inspect", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("status      completed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("weights (2, 50, 6)  tanh  p = 1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("data/train  80 samples, 5 inputs, 1 outputs"), r.stdout)
    }

    func testDivergenceStopsWithAMarkedFinalSnapshot() throws {
        let out = path("boom.h5")
        let r = try CondenseProcess.run(["train", "-o", out, "--optimizer", "sgd", "--lr", "1e6", "--init-std", "1",
                                         "--steps", "200", "--snapshots", "every:100", "-q"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("non-finite loss at step"), r.stderr)
        let run = try RunReader(path: out)
        defer { try? run.close() }
        XCTAssertEqual(run.status, .diverged)
        let diverged = try XCTUnwrap(run.snapshotVariable("diverged"))
        XCTAssertEqual(diverged.last, 1)
        XCTAssertLessThan(try run.steps().last!, 200)
    }

    func testUserCSVDataAndMiniBatchEpochs() throws {
        var csv = "a,b,target\n"
        for i in 0..<30 { let x = Double(i) / 10; csv += "\(x),\(-x),\(sin(x))\n" }
        try csv.write(toFile: path("d.csv"), atomically: true, encoding: .utf8)
        let out = path("csv.h5")
        let r = try CondenseProcess.run(["train", "-o", out, "--data", path("d.csv"), "--hidden", "4",
                                         "--batch-size", "7", "--steps", "10", "--snapshots", "list:5", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try RunReader(path: out)
        defer { try? run.close() }
        XCTAssertEqual(run.layers[0].fanIn, 2)
        XCTAssertEqual(try run.steps(), [0, 5, 10])
        let epochs = try XCTUnwrap(run.snapshotVariable("epoch"))
        // 30 samples in batches of 7, 7, 7, 7, 2: five steps are one epoch, ten are two.
        XCTAssertEqual(epochs, [0, 1, 2])
        XCTAssertEqual(try run.data("train")?.n, 30)
    }
}
