import Foundation
import XCTest

/// Bad input: one line on stderr, exit status 2, and no file left behind that looks like a good run.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs `train -o out.h5 <args>` and checks the failure shape; returns the error line.
    @discardableResult
    func rejectTrain(_ args: [String], mentions needle: String, file: StaticString = #filePath,
                     line: UInt = #line) throws -> String {
        let out = path("out.h5")
        let r = try CondenseProcess.run(["train", "-o", out, "--steps", "3", "-q"] + args)
        XCTAssertEqual(r.status, 2, "exit status for \(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "expected one line, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("condense: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.lowercased().contains(needle.lowercased()), "\(r.stderr) lacks '\(needle)'",
                      file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a run file was left behind for \(args)",
                       file: file, line: line)
        return String(lines.first ?? "")
    }

    func testUnknownActivation() throws { try rejectTrain(["--activation", "swoosh"], mentions: "swoosh") }
    func testBrokenExpression() throws { try rejectTrain(["--activation", "x^3*tanh(x"], mentions: "column") }
    func testUnknownInitializer() throws { try rejectTrain(["--init", "magic"], mentions: "magic") }
    func testZeroWidth() throws { try rejectTrain(["--hidden", "50,0"], mentions: "≥ 1") }
    func testNegativeWidth() throws { try rejectTrain(["--hidden", "-3"], mentions: "got -3") }
    func testNonPositiveLearningRate() throws { try rejectTrain(["--lr", "0"], mentions: "learning rate") }
    func testNaNLearningRate() throws { try rejectTrain(["--lr", "nan"], mentions: "learning rate") }
    func testUnknownTarget() throws { try rejectTrain(["--target", "mnist"], mentions: "mnist") }
    func testUnknownOption() throws { try rejectTrain(["--widht", "3"], mentions: "widht") }
    func testMissingDataFile() throws {
        try rejectTrain(["--data", path("nope.csv")], mentions: "nope.csv")
        try rejectTrain(["--data", dir.path], mentions: "is a directory")
    }
    /// A negative number is the option's value (so the error says what is wrong with it), not a missing value.
    func testNegativeNumbersReachTheirChecks() throws {
        try rejectTrain(["--lr", "-1"], mentions: "learning rate")
        try rejectTrain(["--init-std", "-1"], mentions: "--init-std must be")
        try rejectTrain(["--dropout", "-0.1"], mentions: "rate in [0, 1)")
        try rejectTrain(["--steps", "-5"], mentions: "--steps must be")
        try rejectTrain(["--threads", "-1"], mentions: "--threads must be")
    }

    /// A network or schedule beyond the machine fails before anything is allocated or written.
    func testRunsBeyondTheMachine() throws {
        try rejectTrain(["--hidden", "1000000,1000000"], mentions: "of memory")
        try rejectTrain(["--steps", "100000000000"], mentions: "snapshots")
    }

    /// A mistyped thread count once exhausted the process limit before the first step.
    func testThreadCountBeyondTheMachine() throws {
        try rejectTrain(["--hidden", "1000,1000", "--threads", "100000"], mentions: "--threads must be at most")
    }

    /// An option of the optimizer not chosen, or --residual with no pair of equal widths, would do nothing.
    func testOptionsThatWouldDoNothing() throws {
        try rejectTrain(["--optimizer", "adam", "--momentum", "0.9"], mentions: "--momentum is for SGD")
        try rejectTrain(["--optimizer", "sgd", "--beta2", "0.99"], mentions: "--beta2 is for Adam")
        try rejectTrain(["--hidden", "10,20", "--residual"], mentions: "same width")
        try "1,2\n3,4\n".write(toFile: path("two.csv"), atomically: true, encoding: .utf8)
        try rejectTrain(["--data", path("two.csv"), "--n-test", "5"], mentions: "built-in targets and --dataset only")
    }

    func testBadSnapshotSchedule() throws { try rejectTrain(["--snapshots", "every:0"], mentions: "every") }

    func testNonNumericCSV() throws {
        try "x,y\n1,2\n3,abc\n".write(toFile: path("bad.csv"), atomically: true, encoding: .utf8)
        try rejectTrain(["--data", path("bad.csv")], mentions: "abc")
    }

    func testMismatchedTestData() throws {
        try "1,2,3\n4,5,6\n".write(toFile: path("train.csv"), atomically: true, encoding: .utf8)
        try "1,2\n3,4\n".write(toFile: path("test.csv"), atomically: true, encoding: .utf8)
        try rejectTrain(["--data", path("train.csv"), "--test-data", path("test.csv")], mentions: "columns")
    }

    func testNaNInData() throws {
        try "1,2\nnan,4\n".write(toFile: path("nan.csv"), atomically: true, encoding: .utf8)
        try rejectTrain(["--data", path("nan.csv")], mentions: "nan")
    }

    func testExistingOutputNeedsForce() throws {
        let out = path("out.h5")
        try "keep me".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try CondenseProcess.run(["train", "-o", out, "--steps", "3", "-q"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--force"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
    }

    func testUnwritableOutputDirectory() throws {
        let r = try CondenseProcess.run(["train", "-o", path("no/such/dir/out.h5"), "--steps", "3", "-q"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("does not exist"), r.stderr)
    }

    func testInspectRejectsNonRunFiles() throws {
        try "not hdf5".write(toFile: path("text.h5"), atomically: true, encoding: .utf8)
        var r = try CondenseProcess.run(["inspect", path("text.h5")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("not an HDF5 file"), r.stderr)
        r = try CondenseProcess.run(["inspect", path("missing.h5")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no such file"), r.stderr)
        let py = try CondenseProcess.python("""
            import h5py
            with h5py.File("\(path("other.h5"))", "w") as f:
                f["x"] = [1.0, 2.0]
            with h5py.File("\(path("future.h5"))", "w") as f:
                f.attrs["format"] = "condense.run"
                f.attrs["format_version"] = "2.0"
            """, modules: ["h5py"])
        XCTAssertEqual(py.status, 0, py.stderr)
        r = try CondenseProcess.run(["inspect", path("other.h5")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("not a condense run file"), r.stderr)
        r = try CondenseProcess.run(["inspect", path("future.h5")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("2.0"), r.stderr)
    }

    /// A non-UTF-8 path was decoded lossily: `-o $'x\xffy.h5'` wrote "x\u{FFFD}y.h5" and every later command on the
    /// real name missed it. Now the argument is refused before anything is written.
    func testNonUTF8ArgumentsAreRefused() throws {
        let name: [UInt8] = Array("x".utf8) + [0xFF] + Array("y.h5".utf8)
        for args: [RawProcess.Argument] in [["train", "-o", .bytes(name), "--steps", "2", "-q"],
                                            ["inspect", .bytes(name)], ["analyze", .bytes(name)],
                                            ["train", "--data", .bytes(Array("d".utf8) + [0xC3, 0x28])]] {
            let r = try RawProcess.run(args, in: dir.path, scratch: NSTemporaryDirectory(), timeout: 30)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("condense: error: argument "), r.stderr)
            XCTAssertTrue(r.stderr.contains("is not valid UTF-8"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    /// m^(-γ/2) underflowing made every weight 0 without a word (--gamma 1e308); overflowing "diverged" (exit 3).
    func testGammaOutsideTheRepresentableScale() throws {
        try rejectTrain(["--gamma", "1e308"], mentions: "every weight would be 0 or subnormal: give γ between -362 and 362")
        try rejectTrain(["--gamma", "-1e308"], mentions: "every weight would be infinite")
        try rejectTrain(["--readout-gamma", "400"], mentions: "--readout-gamma 400.0 at width m = 50")
    }

    /// `--resume r.h5 --steps 40 --activation relu --hidden 7 --lr 5` exited 0 after training the stored net.
    func testResumeRefusesOptionsItWouldIgnore() throws {
        let run = path("r.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "3", "-q"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: run))
        let r = try CondenseProcess.run(["train", "--resume", run, "--steps", "40", "--activation", "relu",
                                         "--hidden", "7", "--lr", "5"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stderr, "condense: error: --resume continues the run as stored, so --hidden, --activation, --lr "
                       + "would be ignored: drop them (with --resume only --steps, --threads, --live, --sync-snapshots, "
                       + "--checkpoint-every, --quiet, --progress apply; start a changed run with --from)\n")
        for extra in [["-o", run], ["--force"], ["--seed", "2"], ["--snapshots", "every:1"], ["--stop-loss", "0"],
                      ["--data", path("d.csv")], ["--full-batch"], ["--no-hidden-bias"]] {
            let r = try CondenseProcess.run(["train", "--resume", run, "--steps", "6"] + extra)
            XCTAssertEqual(r.status, 2, "\(extra): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\(extra[0].hasPrefix("--no-") ? "--hidden-bias" : extra[0]) would be ignored"), r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: run)), before)
        let ok = try CondenseProcess.run(["train", "--resume", run, "--steps", "6", "--threads", "1", "-q",
                                          "--sync-snapshots", "--checkpoint-every", "0"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    /// `analyze --snapshots ""` analyzed nothing and exited 0, `--snapshots -12` on 11 snapshots named "snapshot -1",
    /// and `--min-share -1` was "Missing value" (a negative number taken for an option name).
    func testAnalyzeSnapshotsAndNegativeValues() throws {
        let run = path("a.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", run, "--steps", "10", "--snapshots", "every:1", "-q"]).status, 0)
        let cases: [([String], String)] = [
            (["--snapshots", ""], "--snapshots is empty"),
            (["--snapshots", "1,,2"], "--snapshots: '' is not a snapshot index"),
            (["--snapshots", "-12"], "--snapshots -12: the file holds 11 snapshots (0…10, or -11…-1 counted from the end)"),
            (["--snapshots", "11"], "--snapshots 11: the file holds 11 snapshots"),
            (["--min-share", "-1"], "minimum condensed share -1.0 must be in [0, 1]"),
            (["--cos", "-0.5"], "cosine threshold -0.5"),
            (["--settle", "-2"], "settle -2 must be ≥ 1"),
            (["--heatmaps", "-1"], "--heatmaps must be ≥ 0"),
            (["--jobs", "-1"], "--jobs must be ≥ 1"),
            (["--poll", "-1"], "--poll and --idle must be > 0"),
        ]
        for (args, needle) in cases {
            let r = try CondenseProcess.run(["analyze", run, "--no-write"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
        for (args, needle) in [(["multiplicity", "tanh", "--terms", "-1"], "--terms must be 1…25"),
                                (["propagate", "--hidden", "-5", "--depth", "2"], "--hidden must be ≥ 1"),
                                (["compare-init", "--seeds", "-1"], "--seeds must be 1…100000")] {
            let r = try CondenseProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
    }

    func testResumeOfACompletedRunSaysHowToContinue() throws {
        let out = path("done.h5")
        XCTAssertEqual(try CondenseProcess.run(["train", "-o", out, "--steps", "3", "-q"]).status, 0)
        let r = try CondenseProcess.run(["train", "--resume", out, "-q"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--steps"), r.stderr)
    }
}
