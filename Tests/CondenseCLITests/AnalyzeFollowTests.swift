import Foundation
import RunFormat
import XCTest

/// `condense train` + `condense analyze --follow`: every run is live, so rows come while the run trains (with or
/// without the old `--live` flag) and the full analysis when it closes; a killed run is followed until idle, then
/// read by every command, and resumes bit for bit.
final class AnalyzeFollowTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Starts `condense` in the background (output discarded).
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = CondenseProcess.binary
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testFollowPrintsRowsWhileALiveRunTrainsThenTheFullAnalysis() throws {
        let run = path("live.h5")
        let trainer = try start(["train", "--live", "-o", run, "--steps", "800", "--snapshots", "every:100", "-q"])
        let r = try CondenseProcess.run(["analyze", run, "--follow", "--poll", "0.05", "--idle", "60"])
        trainer.waitUntilExit()
        XCTAssertEqual(trainer.terminationStatus, 0)
        XCTAssertEqual(r.status, 0, r.stderr)
        // It read the file while the trainer had it open, and saw snapshots land one by one.
        XCTAssertTrue(r.stdout.contains("following \(run) while it is written (live)"), r.stdout)
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("layer_1 step ") }
        XCTAssertGreaterThan(rows.count, 3, r.stdout)
        XCTAssertTrue(rows.contains { $0.contains("layer_1 step 100: 50/50 kept, 2 orientations, 1 lines") }, r.stdout)
        // Every snapshot exactly once, the last ones too (they may land after the last look before the close).
        let steps = rows.compactMap { Int($0.dropFirst("layer_1 step ".count).prefix { $0.isNumber }) }
        XCTAssertEqual(steps, Array(stride(from: 0, through: 800, by: 100)), r.stdout)
        // Then the whole analysis, stored in the (now closed) run file.
        XCTAssertTrue(r.stdout.contains("layer_1 (tanh, p = 1): initial stage"), r.stdout)
        XCTAssertTrue(r.stdout.contains("analysis stored in \(run) (group /analysis)"), r.stdout)
        let reader = try RunReader(path: run)
        XCTAssertEqual(reader.status, .completed)
        XCTAssertEqual(try reader.steps().last, 800)
    }

    func testKilledLiveRunIsFollowedUntilIdleAndResumesBitForBit() throws {
        let run = path("killed.h5"), whole = path("whole.h5")
        let killed = try CondenseProcess.run(["train", "--live", "-o", run, "--steps", "400", "--snapshots", "every:100", "-q",
                                              "--sync-snapshots", "--n-test", "0"],
                                             environment: ["CONDENSE_KILL_AFTER_STEP": "250"])
        XCTAssertNotEqual(killed.status, 0)
        // The writer mark stays: following sees the flushed snapshots, until idle.
        let followed = try CondenseProcess.run(["analyze", run, "--follow", "--poll", "0.05", "--idle", "0.3"])
        XCTAssertEqual(followed.status, 0, followed.stderr)
        XCTAssertTrue(followed.stdout.contains("layer_1 step 200: "), followed.stdout)
        XCTAssertFalse(followed.stdout.contains("layer_1 step 300: "), followed.stdout)
        XCTAssertTrue(followed.stderr.contains("stopped following"), followed.stderr)
        XCTAssertTrue(followed.stderr.contains("not stored in it"), followed.stderr)
        // inspect and --no-write read it as it is; an in-place analyze (nobody writes the file) clears the mark and
        // stores its analysis.
        let inspect = try CondenseProcess.run(["inspect", run])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("running"), inspect.stdout)
        XCTAssertEqual(try CondenseProcess.run(["analyze", run, "--no-write"]).status, 0)
        let plain = try CondenseProcess.run(["analyze", run])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("analysis stored in \(run)"), plain.stdout)
        XCTAssertEqual(RunReader.writerState(path: run), .closed, "the in-place analyze cleared the writer mark")
        // Resume clears the mark and continues exactly as an uninterrupted run.
        XCTAssertEqual(try CondenseProcess.run(["train", "--resume", run, "-q"]).status, 0)
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", whole, "--steps", "400", "--snapshots", "every:100", "--n-test", "0",
                                                "-q"]).status, 0)
        let a = try RunReader(path: run), b = try RunReader(path: whole)
        XCTAssertEqual(try a.steps(), try b.steps())
        for l in a.layers.indices {
            XCTAssertEqual(try a.weights(layer: l, snapshot: a.snapshotCount - 1),
                           try b.weights(layer: l, snapshot: b.snapshotCount - 1))
        }
        XCTAssertEqual(try a.stepLosses(), try b.stepLosses())
    }

    /// A run started without `--live` is live too: while it trains, SWMR readers open it (HDF5's own lock is
    /// gone), `analyze --follow` follows it, and an in-place analyze is refused in one line (the writer's lock).
    func testARunWithoutLiveIsFollowedToo() throws {
        let run = path("plain.h5")
        let trainer = try start(["train", "-o", run, "--steps", "1000000", "--snapshots", "every:1000", "-q"])
        defer { if trainer.isRunning { trainer.terminate() }; trainer.waitUntilExit() }
        let deadline = Date().addingTimeInterval(30)
        while RunReader.writerState(path: run) != .writingLive && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(RunReader.writerState(path: run), .writingLive)
        let r = try CondenseProcess.run(["analyze", run, "--follow", "--poll", "0.05", "--idle", "0.5", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("stopped following"), r.stderr)
        let inPlace = try CondenseProcess.run(["analyze", run])
        XCTAssertEqual(inPlace.status, 2)
        XCTAssertEqual(inPlace.stderr.split(separator: "\n").count, 1, inPlace.stderr)
        XCTAssertTrue(trainer.isRunning, "the run was disturbed")
    }

    /// A following reader sees each snapshot's weights exactly, also when they land in a shared chunk it has already
    /// read (a 50-neuron layer's snapshots share 64 KiB chunks, filled over several of the writer's batches): each
    /// refresh must drop the rows it cached, not serve the chunk's fill values.
    func testFollowingReaderSeesRowsAddedToAChunkItAlreadyRead() throws {
        let run = path("shared.h5")
        let trainer = try start(["train", "-o", run, "--steps", "400000", "--snapshots", "every:40", "--n-test", "0",
                                 "-q"])
        defer { if trainer.isRunning { trainer.terminate() }; trainer.waitUntilExit() }
        let deadline = Date().addingTimeInterval(60)
        while RunReader.writerState(path: run) != .writingLive && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(RunReader.writerState(path: run), .writingLive)
        let reader = try RunReader(path: run, following: true)
        var seen: [Int: [Double]] = [:]
        var looks = 0
        while seen.count < 12 && Date() < deadline && trainer.isRunning {
            try reader.refresh()
            looks += 1
            // The newest snapshot (its chunk's earlier rows were read on an earlier look).
            if reader.snapshotCount > 0, seen[reader.snapshotCount - 1] == nil {
                seen[reader.snapshotCount - 1] = try reader.weights(layer: 0, snapshot: reader.snapshotCount - 1)
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        trainer.terminate()
        trainer.waitUntilExit()
        XCTAssertGreaterThan(seen.count, 5, "too few snapshots seen while the run trained (\(looks) looks)")
        let after = try RunReader(path: run)
        for (s, w) in seen {
            XCTAssertFalse(w.contains { $0.isNaN }, "snapshot \(s) read as fill values while followed")
            XCTAssertEqual(w, try after.weights(layer: 0, snapshot: s), "snapshot \(s)")
        }
    }
}
