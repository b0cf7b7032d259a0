import Foundation
import RunFormat
import XCTest

/// `condense train --seeds`: one process writes one run file per seed, each bit-identical to `--seed S` alone and
/// storing that single run's command line; bad lists and combinations are refused in one line, exit 2, before any
/// file is written.
final class TrainSeedsCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func bits(_ path: String) throws -> [UInt64] { try runFileBits(path, snapshotLosses: true) }

    func testSeedsWriteOneFilePerSeedEqualToTheSingleRuns() throws {
        let common = ["--steps", "40", "--snapshots", "every:10", "--hidden", "10,6", "--batch-size", "32",
                      "--optimizer", "adam", "--lr", "0.01"]
        let r = try CondenseProcess.run(["train", "--seeds", "2,5-6", "-o", path("run.h5"), "--threads", "2"] + common)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "completed after 40 steps").count - 1, 3, r.stdout)
        var previous: [UInt64] = []
        for seed in [2, 5, 6] {
            let batched = path("run-seed\(seed).h5")
            let alone = path("alone\(seed).h5")
            XCTAssertEqual(try CondenseProcess.run(["train", "--seed", "\(seed)", "-o", alone, "-q"] + common).status, 0)
            let b = try bits(batched)
            XCTAssertEqual(b, try bits(alone), "seed \(seed)")
            XCTAssertNotEqual(b, previous)
            previous = b
            let reader = try RunReader(path: batched)
            XCTAssertEqual(reader.seed, UInt64(seed))
            XCTAssertEqual(reader.status, .completed)
            XCTAssertTrue(reader.commandLine.contains("--seed \(seed) -o \(batched)"), reader.commandLine)
            XCTAssertFalse(reader.commandLine.contains("--seeds"), reader.commandLine)
            try reader.close()
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("run.h5")))
        // A directory as the output: DIR/run-seedS.h5.
        let d = try CondenseProcess.run(["train", "--seeds", "3", "-o", dir.path + "/", "--steps", "5", "-q"])
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("run-seed3.h5")))
    }

    func testBadSeedListsAreRefusedBeforeAnythingIsWritten() throws {
        let width = Int((Double(ProcessInfo.processInfo.physicalMemory) / 400).squareRoot())
        let cases: [([String], String)] = [
            (["--seeds", ""], "empty"),
            (["--seeds", "9-3"], "backwards"),
            (["--seeds", "1,1"], "twice"),
            (["--seeds", "0-100000000"], "more than"),
            (["--seeds", "x"], "is not a seed"),
            (["--seeds", "1-3", "--seed", "4"], "--seed"),
            (["--seeds", "1-3", "--progress", "lines"], "--progress"),
            (["--seeds", "1-3", "--resume", path("none.h5")], "--resume"),
            // A network of about a fifth of the machine's memory (two square layers of w² parameters, ~80 bytes
            // each with Adam): one fits, a group of 16 does not.
            (["--seeds", "1-16", "--hidden", "\(width),\(width)"], "16 networks trained at once"),
        ]
        for (args, expected) in cases {
            let r = try CondenseProcess.run(["train", "-o", path("bad.h5"), "--steps", "3"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            let written = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            XCTAssertEqual(written, [], "\(args) wrote \(written)")
        }
        // An existing output among the seeds' files: refused before any other is written.
        FileManager.default.createFile(atPath: path("run-seed2.h5"), contents: Data())
        let r = try CondenseProcess.run(["train", "--seeds", "1-3", "-o", path("run.h5"), "--steps", "3"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("run-seed2.h5 exists"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["run-seed2.h5"])
    }
}
