import Foundation
import RunFormat
import XCTest

/// `sweep run` trains the runs that differ only in seed in one `condense train --seeds` child: every run file is the
/// one its seed gives alone, every run keeps its own record and log, and a runner killed in the middle of a batch
/// loses and repeats nothing (the next one resumes the batch's runs one by one).
final class SweepSeedBatchTests: SweepTestCase {
    func testSeedsOfAPointShareOneChildAndEqualSingleRuns() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [6, 9]}]"#, seeds: "3", steps: 120)
        let out = path("sw")
        XCTAssertTrue(try plan(sweep, out).contains("6 runs"))
        let r = try CondenseProcess.run(["sweep", "run", out, "--jobs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("6 done, 0 failed"), r.stdout)
        let ids = try runIDs(out)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let runs = manifest["runs"] as! [[String: Any]]
        var batched = 0
        for (index, record) in try records(out) {
            XCTAssertEqual(record["state"] as? String, "done")
            XCTAssertEqual(record["attempts"] as? Int, 1)
            let log = try String(contentsOfFile: "\(out)/runs/\(ids[index])/train.log", encoding: .utf8)
            if log.contains("--seeds") || log.contains("in one process") { batched += 1 }
            XCTAssertTrue(log.contains("completed after 120 steps"), log)
            // The same run alone, through the plain train command.
            let arguments = runs[index]["arguments"] as! [String]
            let alone = path("alone\(index).h5")
            XCTAssertEqual(try CondenseProcess.run(["train"] + arguments + ["-o", alone, "-q"]).status, 0)
            XCTAssertEqual(try bits("\(out)/runs/\(ids[index])/run.h5"), try bits(alone), "run \(index)")
        }
        XCTAssertEqual(batched, 6, "every run should have trained in a seed batch")
    }

    func testKilledRunnerInTheMiddleOfABatchLosesAndRepeatsNothing() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [20, 30]}]"#, seeds: "3",
                                   steps: 20000)
        let out = path("sw")
        XCTAssertTrue(try plan(sweep, out).contains("6 runs"))
        let ids = try runIDs(out)
        func state(_ s: String) throws -> [Int: [String: Any]] { try records(out).filter { ($0.value["state"] as? String) == s } }
        let first = try start(["sweep", "run", out, "--jobs", "1"])
        // Killed while a batch trains: its files exist and hold snapshots.
        try wait(seconds: 60) {
            try state("running").count >= 2 && state("running").keys.allSatisfy {
                FileManager.default.fileExists(atPath: "\(out)/runs/\(ids[$0])/run.h5")
            }
        }
        usleep(200_000)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let afterKill = try state("done")
        let last = try CondenseProcess.run(["sweep", "run", out, "--jobs", "1"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertTrue(last.stdout.contains("6 done, 0 failed"), last.stdout)
        let final = try records(out)
        for (index, r) in afterKill {
            XCTAssertEqual(final[index]?["attempts"] as? Int, r["attempts"] as? Int, "run \(index) started again")
        }
        var resumed = 0
        for (index, r) in final {
            XCTAssertEqual(r["state"] as? String, "done")
            XCTAssertEqual(r["failures"] as? Int, 0, "\(r)")
            let log = try String(contentsOfFile: "\(out)/runs/\(ids[index])/train.log", encoding: .utf8)
            XCTAssertEqual(log.components(separatedBy: "\n== ").count, r["attempts"] as? Int, "one header per attempt: \(log)")
            if log.contains("--resume") { resumed += 1 }
            XCTAssertTrue(log.contains("completed after 20000 steps"), "\(r)\n\(log)")
            let file = try RunReader(path: "\(out)/runs/\(ids[index])/run.h5")
            XCTAssertEqual(try file.steps().last, 20000)
            try file.close()
        }
        XCTAssertGreaterThanOrEqual(resumed, 2, "the killed batch's runs were not resumed: \(final)")
    }
}
