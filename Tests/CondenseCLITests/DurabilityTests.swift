import Foundation
import RunFormat
import XCTest

/// Issue 17's accidents, each reproduced on purpose: a second writer on a running run (plain and `--live`), a
/// kill in the middle of `analyze` and of a checkpoint, a damaged `/analysis`, a full disk, and the epoch of a
/// resumed mini-batch run. Kills land at chosen moments through the binary's fault-injection variables
/// (`CONDENSE_KILL_*`), so each case is deterministic; `tools/crashtest.sh` adds random moments.
final class DurabilityTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Starts `condense <arguments>` in the background (output discarded).
    func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = CondenseProcess.binary
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { a, _ in a }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (up to 20 s) until the run file at `path` holds a snapshot, as a SWMR reader sees it (every run is
    /// live, with or without `--live`).
    func waitForFirstSnapshot(_ path: String, live: Bool) throws {
        let end = Date().addingTimeInterval(20)
        while Date() < end {
            if let r = try? RunReader(path: path, following: true) {
                defer { try? r.close() }
                if r.snapshotCount > 0 { return }
            }
            usleep(50_000)
        }
        XCTFail("\(path): no snapshot within 20 s")
    }

    func inode(_ path: String) -> UInt64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? NSNumber)?.uint64Value
    }

    func oneLine(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1 }

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

    func assertBitIdentical(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try allWeights(a), y = try allWeights(b)
        XCTAssertEqual(x.count, y.count, file: file, line: line)
        XCTAssertTrue(zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(b) differs from \(a)", file: file, line: line)
    }

    // MARK: - D1, D2: one writer per run file

    /// D1: `--force` used to unlink the file of a run that was still training (the second writer then failed on
    /// HDF5's lock, but the file was gone).
    func testForceRefusesToReplaceARunThatIsStillTraining() throws {
        let run = path("same.h5")
        let first = try start(["train", "--hidden", "50", "--steps", "10000000", "--snapshots", "every:100", "-o", run, "-q"])
        defer { if first.isRunning { first.terminate() } }
        try waitForFirstSnapshot(run, live: false)
        let before = inode(run)
        let second = try CondenseProcess.run(["train", "--steps", "10", "-o", run, "--force", "-q"])
        XCTAssertEqual(second.status, 2, second.stderr)
        XCTAssertTrue(oneLine(second.stderr) && second.stderr.contains("another process"), second.stderr)
        XCTAssertEqual(inode(run), before, "the running run's file was replaced")
        first.interrupt()
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 130)
        let r = try RunReader(path: run)
        defer { try? r.close() }
        XCTAssertEqual(r.status, .interrupted)
        XCTAssertGreaterThan(r.snapshotCount, 1)
    }

    /// D2: HDF5 drops its own file lock in SWMR mode, so a second writer used to open a `--live` run and both
    /// wrote it (afterwards it had no /layers). Now every second writer — plain, --force, --resume, analyze in
    /// place — is refused in one line while the live run goes on untouched.
    func testALiveRunRefusesEverySecondWriter() throws {
        let run = path("live.h5")
        let first = try start(["train", "--hidden", "50", "--steps", "10000000", "--snapshots", "every:100", "--live",
                               "-o", run, "-q"])
        defer { if first.isRunning { first.terminate() } }
        try waitForFirstSnapshot(run, live: true)
        let before = inode(run)
        for args in [["train", "--steps", "10", "-o", run, "--force", "-q"],
                     ["train", "--steps", "10", "-o", run, "--force", "--live", "-q"],
                     ["train", "--resume", run, "--steps", "20000000", "-q"],
                     ["train", "--resume", run, "--steps", "20000000", "--live", "-q"]] {
            let second = try CondenseProcess.run(args)
            XCTAssertEqual(second.status, 2, "\(args): \(second.stderr)")
            XCTAssertTrue(oneLine(second.stderr), "\(args): \(second.stderr)")
        }
        XCTAssertEqual(inode(run), before, "the live run's file was replaced")
        first.interrupt()
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 130)
        let r = try RunReader(path: run)
        defer { try? r.close() }
        XCTAssertEqual(r.status, .interrupted)
        XCTAssertEqual(r.layers.map(\.name), ["layer_1", "readout"])
        let steps = try r.steps()
        XCTAssertEqual(steps, steps.sorted())
        XCTAssertEqual(Set(steps).count, steps.count, "two writers appended to the file")
    }

    /// Two plain writers started at once on a new name: exactly one succeeds, and the loser leaves the winner's
    /// file alone (it used to remove it as "half-written").
    func testTwoNewRunsOnOneNameLeaveExactlyOneWinner() throws {
        let run = path("race.h5")
        final class Statuses: @unchecked Sendable { var list: [Int32] = [] }
        let statuses = Statuses()
        let group = DispatchGroup()
        let lock = NSLock()
        for seed in 1...2 {
            group.enter()
            DispatchQueue.global().async {
                let r = try? CondenseProcess.run(["train", "--steps", "2000", "--snapshots", "every:100", "--seed",
                                                  "\(seed)", "-o", run, "-q"])
                lock.lock(); statuses.list.append(r?.status ?? -1); lock.unlock()
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(statuses.list.sorted(), [0, 2])
        let r = try RunReader(path: run)
        defer { try? r.close() }
        XCTAssertEqual(r.status, .completed)
        XCTAssertEqual(try r.steps().last, 2000)
    }

    // MARK: - D3: analyze in place

    /// D3: a kill in the middle of an in-place analyze used to leave a half-written /analysis in place of the
    /// complete one (and the next analyze could crash deleting it). Now the previous analysis stays whole until
    /// the new one is complete, and the next analyze replaces it.
    func testKilledAnalyzeKeepsThePreviousAnalysisAndTheNextOneWorks() throws {
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "200", "--snapshots", "every:2", "-q"]).status, 0)
        let first = try CondenseProcess.run(["analyze", run, "--json", "--jobs", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let stored = try storedStages(run)
        XCTAssertFalse(stored.isEmpty)
        for k in [1, 40, 100] {
            let killed = try CondenseProcess.run(["analyze", run, "--cos", "0.9", "--jobs", "1"],
                                                 environment: ["CONDENSE_KILL_AFTER_ANALYZED": "\(k)"])
            XCTAssertEqual(killed.status, SIGKILL, "analyze was meant to be killed after \(k) snapshots")
            XCTAssertEqual(try storedStages(run), stored, "after a kill at snapshot \(k) the stored analysis changed")
            XCTAssertEqual(try allWeights(run).count, 101 * (50 * 6 + 51))
        }
        // Each killed analyze left its half-written `analysis.incoming`, moved aside by the next one.
        XCTAssertEqual(try rootMembers(run).filter { $0.hasPrefix("analysis.discarded-") }.count, 2)
        let again = try CondenseProcess.run(["analyze", run, "--json", "--jobs", "1"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, first.stdout)
        XCTAssertEqual(try storedStages(run), stored)
        // Once the new analysis reads back whole, the leftovers of the killed ones are gone (only the analysis
        // just replaced waits for the next analyze, which reuses its space).
        XCTAssertEqual(try rootMembers(run).filter { $0.hasPrefix("analysis") },
                       ["analysis", "analysis.replaced-1"])
        let cos = try CondenseProcess.run(["analyze", run, "--cos", "0.9", "--jobs", "1"])
        XCTAssertEqual(cos.status, 0, cos.stderr)
        XCTAssertEqual(try storedOption(run, "cosine_threshold"), 0.9)
    }

    /// The names in the run file's root group, sorted (h5py).
    func rootMembers(_ run: String) throws -> [String] {
        let h5py = try CondenseProcess.python("""
            import h5py
            print("\\n".join(sorted(h5py.File("\(run)", "r").keys())))
            """, modules: ["h5py"])
        XCTAssertEqual(h5py.status, 0, h5py.stderr)
        return h5py.stdout.split(separator: "\n").map(String.init)
    }

    func storedStages(_ run: String) throws -> [String] {
        let r = try RunReader(path: run)
        defer { try? r.close() }
        return try (r.storedAnalysis() ?? []).map {
            "\($0.layer) \($0.stage.multiplicity ?? -1) \(String(describing: $0.stage.initialStage)) \($0.stage.initialOrientations) \($0.stage.initialVerdict)"
        }
    }

    func storedOption(_ run: String, _ name: String) throws -> Double? {
        let h5py = try CondenseProcess.python("""
            import h5py
            print(float(h5py.File("\(run)", "r")["analysis"].attrs["\(name)"]))
            """, modules: ["h5py"])
        return Double(h5py.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A damaged /analysis (older versions left one after a kill): overwrite the object header of one of its
    /// datasets with garbage. Nothing may crash: inspect and analyze --no-write still work, and an in-place
    /// analyze either replaces it (exit 0) or says in one line what to do (exit 2); the snapshots stay intact.
    func testDamagedAnalysisNeverCrashesAndIsReplaced() throws {
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "40", "--snapshots", "every:2", "-q"]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(["analyze", run, "--jobs", "1"]).status, 0)
        let weights = try allWeights(run)
        let damage = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(run)", "r")
            addr = h5py.h5o.get_info(f["analysis/layer_1/label"].id).addr
            f.close()
            with open("\(run)", "r+b") as raw:
                raw.seek(addr + 6)
                raw.write(b"\\xff" * 40)
            print(addr)
            """, modules: ["h5py"])
        XCTAssertEqual(damage.status, 0, damage.stderr)
        let inspect = try CondenseProcess.run(["inspect", run])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let noWrite = try CondenseProcess.run(["analyze", run, "--no-write", "--jobs", "1"])
        XCTAssertEqual(noWrite.status, 0, noWrite.stderr)
        let replace = try CondenseProcess.run(["analyze", run, "--jobs", "1"])
        XCTAssertTrue(replace.status == 0 || (replace.status == 2 && oneLine(replace.stderr)), "\(replace.status): \(replace.stderr)")
        if replace.status == 0 {
            XCTAssertFalse(try storedStages(run).isEmpty)
            let readBack = try CondenseProcess.python("""
                import h5py
                f = h5py.File("\(run)", "r")
                print(f["analysis/layer_1/label"].shape)
                """, modules: ["h5py"])
            XCTAssertEqual(readBack.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "(21, 50)", readBack.stderr)
            // The damaged analysis was renamed aside; the next analyze, whose own analysis reads back whole, drops
            // it (unlinked without freeing it: HDF5 can crash freeing a damaged group) and the file stays whole.
            XCTAssertTrue(try rootMembers(run).contains("analysis.replaced-1"))
            let next = try CondenseProcess.run(["analyze", run, "--jobs", "1"])
            XCTAssertEqual(next.status, 0, next.stderr)
            XCTAssertEqual(try rootMembers(run).filter { $0.hasPrefix("analysis") }, ["analysis", "analysis.replaced-2"])
            XCTAssertEqual(try CondenseProcess.run(["analyze", run, "--jobs", "1"]).status, 0)
        }
        XCTAssertEqual(try allWeights(run), weights)
    }

    // MARK: - Every run is live (SWMR)

    /// A run file of an older condense, in the plain HDF5 format (superblock 0 here: the live file rewritten by
    /// `h5repack`), cannot switch to SWMR: `--resume --live` refuses it in one line without changing it, and a
    /// plain `--resume` appends to it plainly, ending as the straight run, still in its own format.
    func testAnOlderPlainRunIsResumedPlainlyAndRefusedLive() throws {
        let args = ["train", "--snapshots", "every:10", "--hidden", "12", "--n-test", "0", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["--steps", "30", "-o", path("live.h5")]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(args + ["--steps", "60", "-o", path("full.h5")]).status, 0)
        let repack = Process()
        repack.executableURL = URL(fileURLWithPath: "/usr/bin/h5repack")
        repack.arguments = [path("live.h5"), path("plain.h5")]
        guard FileManager.default.fileExists(atPath: "/usr/bin/h5repack") else { throw XCTSkip("needs h5repack (hdf5-tools)") }
        try repack.run(); repack.waitUntilExit()
        XCTAssertEqual(repack.terminationStatus, 0)
        func superblock(_ file: String) throws -> String {
            let r = try CondenseProcess.python("""
                import h5py
                print(h5py.File("\(file)", "r").id.get_create_plist().get_version()[0])
                """, modules: ["h5py"])
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try superblock(path("live.h5")), "3", "a new run is written in the latest format")
        XCTAssertEqual(try superblock(path("plain.h5")), "0")
        let before = try Data(contentsOf: URL(fileURLWithPath: path("plain.h5")))
        let refused = try CondenseProcess.run(["train", "--resume", path("plain.h5"), "--steps", "60", "--live"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(oneLine(refused.stderr) && refused.stderr.contains("cannot be written live"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("plain.h5"))), before, "the refused resume changed the file")
        let resumed = try CondenseProcess.run(["train", "--resume", path("plain.h5"), "--steps", "60", "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertBitIdentical(path("full.h5"), path("plain.h5"))
        XCTAssertEqual(try superblock(path("plain.h5")), "0")
    }

    /// A killed run keeps HDF5's SWMR writer mark, which plain HDF5 readers refuse: every command that reads
    /// run files opens it as a SWMR reader by itself (inspect, analyze -o, sweep collect), h5py with swmr=True.
    func testEveryCommandReadsAKilledRun() throws {
        let spec = path("s.json"), sweep = path("sweep")
        try Data("""
            {"name": "k", "options": {"activation": "tanh", "steps": 200, "snapshots": "every:20", "n-test": 0},
             "axes": [{"option": "gamma", "values": [1, 2]}]}
            """.utf8).write(to: URL(fileURLWithPath: spec))
        XCTAssertEqual(try CondenseProcess.run(["sweep", "plan", spec, "-o", sweep]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(["sweep", "run", sweep, "--jobs", "1"]).status, 0)
        let runs = try FileManager.default.contentsOfDirectory(atPath: sweep + "/runs").sorted()
        let run = sweep + "/runs/\(runs[0])/run.h5"
        let killed = try CondenseProcess.run(["train", "--from", run, "-o", run, "--force", "--sync-snapshots", "-q"],
                                             environment: ["CONDENSE_KILL_AFTER_STEP": "90"])
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertEqual(RunReader.writerState(path: run), .writingLive, "the writer mark stays after a kill")
        let inspect = try CondenseProcess.run(["inspect", run])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("running"), inspect.stdout)
        let analyzed = try CondenseProcess.run(["analyze", run, "-o", path("a.h5"), "--jobs", "1"])
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        let collect = try CondenseProcess.run(["sweep", "collect", sweep])
        XCTAssertEqual(collect.status, 0, collect.stderr)
        let h5py = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(run)", "r", libver="latest", swmr=True)
            print(list(f["step"][:]))
            """, modules: ["h5py"])
        XCTAssertEqual(h5py.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[0, 20, 40, 60, 80]", h5py.stderr)
        XCTAssertEqual(RunReader.writerState(path: run), .writingLive, "a reader cleared the SWMR mark")
    }

    /// Deflated weights (`--compress`) in SWMR mode: the run holds the same bits as an uncompressed one, a kill
    /// leaves a prefix that h5py reads as a SWMR reader, and the resume ends as the straight run.
    func testCompressedRunsAreWrittenLiveKilledAndResumed() throws {
        let args = ["train", "--steps", "60", "--snapshots", "every:10", "--hidden", "40", "--n-test", "0", "-q",
                    "--sync-snapshots"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(args + ["--compress", "4", "-o", path("deflated.h5")]).status, 0)
        try assertBitIdentical(path("full.h5"), path("deflated.h5"))
        let killed = try CondenseProcess.run(args + ["--compress", "4", "-o", path("cut.h5")],
                                             environment: ["CONDENSE_KILL_AFTER_STEP": "37"])
        XCTAssertEqual(killed.status, SIGKILL)
        let read = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(path("cut.h5"))", "r", libver="latest", swmr=True)
            w = f["layers/layer_1/weights"]
            print(list(f["step"][:]), w.compression, int((w[:len(f["step"])] != w[:len(f["step"])]).sum()))
            """, modules: ["h5py"])
        XCTAssertEqual(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[0, 10, 20, 30] gzip 0", read.stderr)
        let resumed = try CondenseProcess.run(["train", "--resume", path("cut.h5"), "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertBitIdentical(path("full.h5"), path("cut.h5"))
    }

    // MARK: - D4: checkpoints

    /// D4: the optimizer state used to be overwritten in place, so a kill in the middle of a checkpoint left new
    /// buffers under the old step, and a resume continued from that torn state without a word. Killed halfway
    /// through writing a checkpoint (after its first buffer), the run must resume to the uninterrupted result.
    /// Each snapshot is a checkpoint written before training goes on (`--sync-snapshots`), so the k-th is reached;
    /// the 100-100 network's buffers (86 KB) are larger than HDF5's 64 KiB sieve buffer, so the first one is on
    /// disk when the kill lands (a smaller one would stay in memory and leave nothing torn). No test set: only the
    /// weights are compared.
    func testResumeNeverUsesATornCheckpoint() throws {
        let args = ["train", "--steps", "20", "--snapshots", "every:2", "--hidden", "100,100", "--optimizer", "adam",
                    "--lr", "0.01", "--checkpoint-every", "0", "--sync-snapshots", "--n-test", "0", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        for k in [2, 3, 5] {
            let cut = path("cut\(k).h5")
            let killed = try CondenseProcess.run(args + ["-o", cut], environment: ["CONDENSE_KILL_IN_CHECKPOINT": "\(k)"])
            XCTAssertEqual(killed.status, SIGKILL, "the run was meant to be killed in checkpoint \(k)")
            let resumed = try CondenseProcess.run(["train", "--resume", cut, "-q"])
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            try assertBitIdentical(path("full.h5"), cut)
        }
    }

    // MARK: - D5: a full disk

    /// D5: a run that fills its disk fails in one line (exit 2) and stays resumable: no snapshot of NaNs stored as
    /// if valid, the checkpoint at a complete snapshot; resumed where there is space it ends as the straight run.
    /// Also the up-front check names small sizes in sensible units. Needs root (a small tmpfs); skipped otherwise.
    func testFullDiskLeavesAResumableRunAndSmallSizesAreNamedSensibly() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to mount a small tmpfs") }
        let mount = path("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let m = Process()
        m.executableURL = URL(fileURLWithPath: "/bin/mount")
        m.arguments = ["-t", "tmpfs", "-o", "size=1200k", "tmpfs", mount]
        try m.run(); m.waitUntilExit()
        guard m.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs here") }
        defer {
            let u = Process()
            u.executableURL = URL(fileURLWithPath: "/bin/umount")
            u.arguments = [mount]
            try? u.run(); u.waitUntilExit()
        }
        // The up-front estimate: 5-50-1 with 2001 snapshots needs ~5.6 MiB, more than the tmpfs holds.
        let refused = try CondenseProcess.run(["train", "--steps", "2000", "--snapshots", "every:1", "-o", mount + "/big.h5", "-q"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("MiB"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("0.0 GiB"), refused.stderr)
        // Wider snapshots, few enough to pass the estimate, then the disk is filled by someone else.
        let args = ["train", "--hidden", "300", "--steps", "60", "--snapshots", "every:2", "--sync-snapshots", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["-o", path("full.h5")]).status, 0)
        let run = mount + "/run.h5"
        let filler = mount + "/filler"
        let fill = try CondenseProcess.python("""
            import os
            with open("\(filler)", "wb") as f:
                f.write(b"\\0" * (560 * 1024))
            """, modules: ["os"])
        XCTAssertEqual(fill.status, 0, fill.stderr)
        let failed = try CondenseProcess.run(args + ["-o", run])
        XCTAssertEqual(failed.status, 2, failed.stderr)
        XCTAssertTrue(oneLine(failed.stderr), failed.stderr)
        // Readable by any HDF5 reader at once, not only after the next writer opened it (a flush that ran out of
        // space in the middle used to leave /step pointing past the file's stored end: "addr overflow").
        // The writer left at once, so its SWMR mark stays: h5py reads the file as a SWMR reader.
        let read = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(run)", "r", libver="latest", swmr=True)
            print(len(f["step"][:]), f["layers/layer_1/weights"][:len(f["step"])].shape[0])
            """, modules: ["h5py"])
        XCTAssertEqual(read.status, 0, read.stderr)
        let full = try allWeights(path("full.h5"))
        let kept = try allWeights(run)
        XCTAssertGreaterThan(kept.count, 0)
        XCTAssertTrue(kept.allSatisfy(\.isFinite), "a snapshot of NaNs is stored as if valid")
        XCTAssertTrue(zip(full, kept).allSatisfy { $0.bitPattern == $1.bitPattern }, "not a prefix of the straight run")
        // Space is freed; the run resumes and ends as the straight run.
        try FileManager.default.removeItem(atPath: filler)
        let resumed = try CondenseProcess.run(["train", "--resume", run, "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        try assertBitIdentical(path("full.h5"), run)
    }

    // MARK: - /epoch after a resume

    /// Batches of 30 on 80 samples are 30, 30, 20: three steps per epoch, so step 110 is 36 epochs and two
    /// batches, 36.75 epochs — also after a resume (which used to restart the count at step × batch / n).
    func testEpochAfterAResumeWithAShortLastBatchEqualsTheStraightRun() throws {
        let args = ["train", "--batch-size", "30", "--snapshots", "every:10", "-q"]
        XCTAssertEqual(try CondenseProcess.run(args + ["--steps", "110", "-o", path("straight.h5")]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(args + ["--steps", "50", "-o", path("resumed.h5")]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(["train", "--resume", path("resumed.h5"), "--steps", "110", "-q"]).status, 0)
        let a = try RunReader(path: path("straight.h5")), b = try RunReader(path: path("resumed.h5"))
        defer { try? a.close(); try? b.close() }
        let straight = try XCTUnwrap(a.snapshotVariable("epoch")), resumed = try XCTUnwrap(b.snapshotVariable("epoch"))
        XCTAssertEqual(straight.last, 36.75)
        XCTAssertEqual(resumed, straight)
        try assertBitIdentical(path("straight.h5"), path("resumed.h5"))
    }

    // MARK: - Files written whole: analyze -o, the sweep summary, hidden files of killed writers

    /// The hidden `.NAME.creating-PID` files in the test directory (and in `sub`).
    func hiddenCreations(_ sub: String? = nil) throws -> [String] {
        let where_ = sub.map(path) ?? dir.path
        return try FileManager.default.contentsOfDirectory(atPath: where_).filter { $0.contains(".creating-") }.sorted()
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// `analyze -o` used to truncate its output and write it in place: a kill left a torn file at the name (a
    /// `--force` rerun destroyed the previous complete analysis first). Now the file is made under a hidden name
    /// and renamed in once complete: a kill leaves nothing, or the previous file byte for byte.
    func testKilledAnalyzeToAFileOfItsOwnLeavesThePreviousFileOrNone() throws {
        let run = path("run.h5"), out = path("out.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "40", "--snapshots", "every:2", "-q"]).status, 0)
        let killed = try CondenseProcess.run(["analyze", run, "-o", out, "--jobs", "1"],
                                             environment: ["CONDENSE_KILL_AFTER_ANALYZED": "5"])
        XCTAssertEqual(killed.status, SIGKILL, "analyze was meant to be killed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a killed analyze -o left a file at its name")
        let first = try CondenseProcess.run(["analyze", run, "-o", out, "--jobs", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try hiddenCreations(), [], "the killed analyze's hidden file was not cleaned up")
        let complete = try XCTUnwrap(bytes(out))
        let again = try CondenseProcess.run(["analyze", run, "-o", out, "--force", "--cos", "0.9", "--jobs", "1"],
                                            environment: ["CONDENSE_KILL_AFTER_ANALYZED": "5"])
        XCTAssertEqual(again.status, SIGKILL, "analyze was meant to be killed")
        XCTAssertEqual(bytes(out), complete, "a killed analyze -o --force changed the previous file")
        let read = try CondenseProcess.python("""
            import h5py
            f = h5py.File("\(out)", "r")
            print(f["analysis"].attrs["cosine_threshold"], f["analysis/layer_1/label"].shape)
            """, modules: ["h5py"])
        XCTAssertEqual(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.95 (21, 50)", read.stderr)
        let replaced = try CondenseProcess.run(["analyze", run, "-o", out, "--force", "--cos", "0.9", "--jobs", "1"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual(try hiddenCreations(), [])
        XCTAssertNotEqual(bytes(out), complete)
    }

    /// `sweep collect` used to truncate summary.h5 and write it in place: a kill halfway left a file with the
    /// coordinates and none of the variables instead of the previous summary. Now the previous one stays (and a
    /// new name stays absent) until the new summary is complete.
    func testKilledSweepCollectKeepsThePreviousSummary() throws {
        let sweep = path("s.json"), out = path("sweep")
        try """
        {"name": "t", "options": {"activation": "relu", "target": "tworelu1d", "n-test": 0, "optimizer": "sgd",
          "lr": 0.05, "gamma": 1.5, "steps": 100, "snapshots": "every:50"},
         "axes": [{"option": "seed", "values": [1, 2]}]}
        """.write(toFile: sweep, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CondenseProcess.run(["sweep", "plan", sweep, "-o", out]).status, 0)
        let ran = try CondenseProcess.run(["sweep", "run", out, "--jobs", "1"])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let summary = out + "/summary.h5"
        let first = try CondenseProcess.run(["sweep", "collect", out])
        XCTAssertEqual(first.status, 0, first.stderr)
        let complete = try XCTUnwrap(bytes(summary))
        let killed = try CondenseProcess.run(["sweep", "collect", out], environment: ["CONDENSE_KILL_IN_SUMMARY": "1"])
        XCTAssertEqual(killed.status, SIGKILL, "collect was meant to be killed")
        XCTAssertEqual(bytes(summary), complete, "a killed collect changed the previous summary")
        let other = path("other.h5")
        let killedNew = try CondenseProcess.run(["sweep", "collect", out, "-o", other],
                                                environment: ["CONDENSE_KILL_IN_SUMMARY": "1"])
        XCTAssertEqual(killedNew.status, SIGKILL)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other), "a killed collect left a file at its name")
        XCTAssertEqual(try CondenseProcess.run(["sweep", "collect", out, "-o", other]).status, 0)
        XCTAssertEqual(try hiddenCreations(), [], "the killed collect's hidden file was not cleaned up")
        let read = try CondenseProcess.python("""
            import h5py
            print(list(h5py.File("\(other)", "r")["status"][:].astype(str)))
            """, modules: ["h5py"])
        XCTAssertEqual(read.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "['done', 'done']", read.stderr)
    }

    /// A `train` killed before its file was linked in leaves `.NAME.creating-PID` beside it. The next run in the
    /// directory removes those whose process is gone (and nobody holds), never a live writer's.
    func testHiddenFilesOfKilledWritersAreRemovedByTheNextRun() throws {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run(); gone.waitUntilExit()
        let dead = gone.processIdentifier, alive = getpid()
        let stale = path(".run.h5.creating-\(dead)"), other = path(".other.h5.creating-\(dead)")
        let live = path(".run.h5.creating-\(alive)")
        for f in [stale, other, live] { XCTAssertTrue(FileManager.default.createFile(atPath: f, contents: Data("x".utf8))) }
        let r = try CondenseProcess.run(["train", "--steps", "10", "-o", path("run.h5"), "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try hiddenCreations(), [".run.h5.creating-\(alive)"], "stale hidden files stay (or a live one went)")
        let inspect = try CondenseProcess.run(["inspect", path("run.h5")])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
    }

    /// A run killed after its last snapshot and final optimizer state were flushed, but before its status was set,
    /// holds the whole run and says `running`. `--resume` used to refuse it ("already at step 20 of 20", exit 2):
    /// the next command after such a kill failed. Now it marks the run completed and changes nothing else.
    func testResumingARunKilledAfterItsLastSnapshotMarksItCompleted() throws {
        let run = path("run.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "--steps", "20", "--snapshots", "every:5", "--optimizer", "adam",
                                                "-o", run, "-q"]).status, 0)
        let weights = try allWeights(run)
        // What the kill leaves: the status of a running writer.
        let killed = try CondenseProcess.python("""
            import h5py
            with h5py.File("\(run)", "r+") as f:
                f.attrs["status"] = "running"
            """, modules: ["h5py"])
        XCTAssertEqual(killed.status, 0, killed.stderr)
        let resumed = try CondenseProcess.run(["train", "--resume", run])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("marked completed"), resumed.stdout)
        let r = try RunReader(path: run)
        XCTAssertEqual(r.status, .completed)
        try r.close()
        XCTAssertEqual(try allWeights(run), weights)
        // A larger total still continues the run.
        let more = try CondenseProcess.run(["train", "--resume", run, "--steps", "30", "-q"])
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertEqual(try RunReader(path: run).steps().last, 30)
    }
}
