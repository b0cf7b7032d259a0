import Foundation
import XCTest

/// `condense --version` names the release and the commit the binary was built from.
final class VersionTests: XCTestCase {
    func testVersionNamesTheCommitOfTheCheckout() throws {
        let r = try CondenseProcess.run(["--version"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotNil(line.range(of: #"^\d+\.\d+\.\d+ \(commit [0-9a-f]{12}\)$"#, options: .regularExpression), line)
        // The commit is the checkout's HEAD (the test runs from the package directory).
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["rev-parse", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        try git.run()
        git.waitUntilExit()
        let head = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if git.terminationStatus == 0 { XCTAssertTrue(line.contains(String(head.prefix(12))), "\(line) vs \(head)") }
    }
}

/// A misspelled command gets one line naming the closest one, and exit 2.
final class CommandSuggestionTests: XCTestCase {
    func testMisspelledCommandsAreSuggested() throws {
        for (args, expected) in [(["trian"], "did you mean 'condense train'?"),
                                 (["analyse", "run.h5"], "did you mean 'condense analyze'?"),
                                 (["sweep", "rnu", "dir"], "did you mean 'condense sweep run'?"),
                                 (["frobnicate"], "(commands: train, analyze")] {
            let r = try CondenseProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        XCTAssertEqual(try CondenseProcess.run(["help", "train"]).status, 0)
    }
}

/// Progress when stderr is not a terminal (a batch log): plain lines, not an overwriting one; none with --progress none.
final class ProgressModeTests: XCTestCase {
    /// The first line comes after 0.2 s of training (`Trainer.progressInterval`); 500 steps of the debug binary
    /// take several times that.
    func testBatchLogsGetPlainProgressLines() throws {
        let dir = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("p.h5").path
        let r = try CondenseProcess.run(["train", "-o", run, "--steps", "500", "--n-test", "0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("step "), r.stderr)
        XCTAssertFalse(r.stderr.contains("\r"), "a batch log gets no carriage returns")
        XCTAssertTrue(r.stderr.contains("steps/s"), r.stderr)
        let quiet = try CondenseProcess.run(["train", "-o", run, "--force", "--steps", "500", "--n-test", "0", "--progress", "none"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
    }
}

/// Whole numbers in exponent form where the option takes a count: `--steps 2e2` is 200, `--steps 1.5` is refused.
final class IntegerArgumentTests: XCTestCase {
    func testExponentFormCounts() throws {
        let dir = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("r.h5").path
        let r = try CondenseProcess.run(["train", "-o", run, "--steps", "2e2", "--n-test", "1e1", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let inspect = try CondenseProcess.run(["inspect", run])
        XCTAssertTrue(inspect.stdout.contains("200"), inspect.stdout)
        let bad = try CondenseProcess.run(["train", "-o", run, "--force", "--steps", "1.5", "-q"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not a whole number"), bad.stderr)
    }
}
