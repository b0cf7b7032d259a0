import Foundation
import RunFormat
import Sweep
import XCTest

/// `sweep slurm`'s array tasks without a Slurm: the script run by bash with `SLURM_ARRAY_TASK_ID` set, as a node
/// runs it. A task trains its group of runs differing only in seed in one `condense train --seeds` child (each run
/// file the one its seed gives alone), a partly done group trains only what is missing, and `--no-seed-batch` keeps
/// the script of one task per run (`--index K`).
final class SweepSlurmTaskTests: SweepTestCase {
    /// Runs the sweep's script as array task `task`.
    func runTask(_ script: String, _ task: Int) throws -> (status: Int32, output: String) {
        let r = try HelperCommand.run("/bin/bash", [script],
                                      environment: ProcessInfo.processInfo.environment.merging(["SLURM_ARRAY_TASK_ID": "\(task)"]) { $1 })
        return (r.status, r.output)
    }

    func manifestArguments(_ out: String) throws -> [[String]] {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        return (manifest["runs"] as! [[String: Any]]).map { $0["arguments"] as! [String] }
    }

    /// Each listed run's file against the same run trained alone by `condense train`: every bit of the weights
    /// and step losses, or (`resumed`) those of every snapshot the run alone has (a stopped run keeps the extra
    /// snapshot it wrote when it stopped) and every step loss.
    func assertEqualToRunsAlone(_ out: String, _ indices: [Int], resumed: Set<Int> = [],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let ids = try runIDs(out), arguments = try manifestArguments(out)
        for index in indices {
            let alone = path("alone\(index).h5")
            XCTAssertEqual(try CondenseProcess.run(["train"] + arguments[index] + ["-o", alone, "-q", "--force"]).status, 0)
            let here = "\(out)/runs/\(ids[index])/run.h5"
            if !resumed.contains(index) {
                let (a, b) = (try bits(here), try bits(alone))
                XCTAssertTrue(a == b, "run \(index): \(a.count) values, \(b.count) alone, "
                              + "\(zip(a, b).filter { $0 != $1 }.count) differ", file: file, line: line)
                continue
            }
            let (a, b) = (try RunReader(path: here), try RunReader(path: alone))
            defer { try? a.close(); try? b.close() }
            let (stepsA, stepsB) = (try a.steps(), try b.steps())
            XCTAssertEqual(stepsA.last, stepsB.last, "run \(index)", file: file, line: line)
            var compared = 0
            for (sb, step) in stepsB.enumerated() {
                guard let sa = stepsA.firstIndex(of: step) else { XCTFail("run \(index): no snapshot at step \(step)"); continue }
                for l in 0..<b.layers.count {
                    XCTAssertTrue(try a.weights(layer: l, snapshot: sa).map(\.bitPattern) == b.weights(layer: l, snapshot: sb).map(\.bitPattern),
                                  "run \(index): layer \(l) at step \(step)", file: file, line: line)
                }
                compared += 1
            }
            XCTAssertEqual(compared, stepsB.count)
            XCTAssertTrue(try XCTUnwrap(a.stepLosses()).map(\.bitPattern) == XCTUnwrap(b.stepLosses()).map(\.bitPattern),
                          "run \(index): step losses", file: file, line: line)
        }
    }

    func log(_ out: String, _ index: Int) throws -> String {
        try String(contentsOfFile: "\(out)/runs/\(try runIDs(out)[index])/train.log", encoding: .utf8)
    }

    func testOneTaskPerSeedGroupEqualToTheRunsAlone() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [6, 9]}]"#, seeds: "3", steps: 120)
        let out = path("sw"), script = path("sw/sweep.sbatch")
        XCTAssertTrue(try plan(sweep, out).contains("6 runs"))
        // Two grid points of three seeds: two tasks, each asking for three runs' memory and time.
        let slurm = try CondenseProcess.run(["sweep", "slurm", out, "--mem", "500M", "--time", "0:05:00"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stdout.contains("2 array tasks (6 runs, at most 3 per task"), slurm.stdout)
        var text = try String(contentsOfFile: script, encoding: .utf8)
        for line in ["#SBATCH --array=0-1\n", "runs=(0-2 3-5)\n", "#SBATCH --mem=500M\n", "#SBATCH --time=00:15:00\n",
                     "sweep run '\(out)' --index \"${runs[$SLURM_ARRAY_TASK_ID]}\"\n"] {
            XCTAssertTrue(text.contains(line), "\(line) missing in:\n\(text)")
        }
        // Task 1: runs 3-5 in one child, each file the run alone; the other group untouched.
        let task = try runTask(script, 1)
        XCTAssertEqual(task.status, 0, task.output)
        XCTAssertTrue(task.output.contains("3 runs (3-5): 3 done, 0 failed"), task.output)
        var recs = try records(out)
        XCTAssertEqual(recs.keys.sorted(), [3, 4, 5])
        for index in 3...5 {
            XCTAssertEqual(recs[index]?["state"] as? String, "done")
            XCTAssertEqual(recs[index]?["attempts"] as? Int, 1)
            let l = try log(out, index)
            XCTAssertTrue(l.contains("--seeds 1,2,3") || l.contains("trained with runs 3, 4, 5 in one process"), l)
        }
        try assertEqualToRunsAlone(out, [3, 4, 5])

        // --no-seed-batch: the script of one task per run, task K = manifest index K; run 0 alone through it.
        let single = try CondenseProcess.run(["sweep", "slurm", out, "--no-seed-batch", "--mem", "500M", "--time", "0:05:00"])
        XCTAssertEqual(single.status, 0, single.stderr)
        XCTAssertTrue(single.stdout.contains("3 array tasks (0-2)"), single.stdout)
        text = try String(contentsOfFile: script, encoding: .utf8)
        for line in ["#SBATCH --array=0-2\n", "#SBATCH --mem=500M\n", "#SBATCH --time=0:05:00\n",
                     "sweep run '\(out)' --index \"$SLURM_ARRAY_TASK_ID\"\n"] {
            XCTAssertTrue(text.contains(line), "\(line) missing in:\n\(text)")
        }
        XCTAssertFalse(text.contains("runs=("), text)
        let zero = try runTask(script, 0)
        XCTAssertEqual(zero.status, 0, zero.output)
        XCTAssertTrue(zero.output.contains("run 0: 1 done, 0 failed"), zero.output)
        XCTAssertTrue(try log(out, 0).contains(" -o "), "trained alone")
        XCTAssertEqual(try records(out).keys.sorted(), [0, 3, 4, 5])

        // Written again: only the runs left, 1 and 2, as task 0.
        let rest = try CondenseProcess.run(["sweep", "slurm", out])
        XCTAssertTrue(rest.stdout.contains("1 array tasks (2 runs, at most 2 per task; 0)"), rest.stdout)
        XCTAssertTrue(try String(contentsOfFile: script, encoding: .utf8).contains("runs=(1-2)\n"))
        XCTAssertEqual(try runTask(script, 0).status, 0)
        recs = try records(out)
        for index in 0..<6 {
            XCTAssertEqual(recs[index]?["state"] as? String, "done", "run \(index)")
            XCTAssertEqual(recs[index]?["attempts"] as? Int, 1, "run \(index)")
        }
        try assertEqualToRunsAlone(out, [0, 1, 2])
        // status and collect see six finished runs, as after a local sweep run.
        XCTAssertTrue(try CondenseProcess.run(["sweep", "status", out]).stdout.contains("6 done, 0 failed"))
        let c = try CondenseProcess.run(["sweep", "collect", out, "--csv", path("s.csv")])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("6 runs, 6 done"), c.stdout)
        XCTAssertTrue(try CondenseProcess.run(["sweep", "slurm", out]).stdout.contains("nothing to submit"))
    }

    /// A task whose group is partly done — one run finished alone, the two others killed in the middle of their
    /// batch — trains again only what is missing: the finished run is skipped, the killed ones resume from their
    /// last snapshot, and every file is still the run alone.
    func testPartlyDoneGroupRedoesOnlyWhatIsMissing() throws {
        let sweep = path("s.json")
        try """
        {"name": "long", "options": {"activation": "relu", "target": "tworelu1d", "n-test": 0, "optimizer": "sgd",
          "lr": 0.05, "gamma": 1.5, "hidden": 6, "steps": 200000, "snapshots": "every:1000"}, "seeds": 3}
        """.write(toFile: sweep, atomically: true, encoding: .utf8)
        let out = path("sw"), script = path("sw/sweep.sbatch")
        XCTAssertTrue(try plan(sweep, out).contains("3 runs"))
        XCTAssertEqual(try CondenseProcess.run(["sweep", "slurm", out]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: script, encoding: .utf8).contains("runs=(0-2)\n"))
        // Run 0 alone (--index K), then the task, killed while runs 1 and 2 train in one child.
        XCTAssertTrue(try CondenseProcess.run(["sweep", "run", out, "--index", "0"]).stdout.contains("run 0: 1 done"))
        let ids = try runIDs(out)
        let task = Process()
        task.executableURL = URL(fileURLWithPath: "/bin/bash")
        task.arguments = [script]
        task.environment = ProcessInfo.processInfo.environment.merging(["SLURM_ARRAY_TASK_ID": "0"]) { $1 }
        task.standardOutput = FileHandle.nullDevice
        task.standardError = FileHandle.nullDevice
        try task.run()
        try wait(seconds: 60) {
            let running = try records(out).filter { ($0.value["state"] as? String) == "running" }.keys.sorted()
            return running == [1, 2] && running.allSatisfy {
                FileManager.default.fileExists(atPath: "\(out)/runs/\(ids[$0])/run.h5")
            }
        }
        usleep(300_000)
        kill(task.processIdentifier, SIGKILL)
        task.waitUntilExit()
        let killedLog = try log(out, 1)
        XCTAssertTrue(killedLog.contains("trained with runs 1, 2 in one process") || killedLog.contains("--seeds 2,3"), killedLog)
        // The orphaned child sees its runner gone and stops with a final snapshot; the task again waits for it.
        let again = try runTask(script, 0)
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.output.contains("3 runs (0-2): 3 done, 0 failed"), again.output)
        let recs = try records(out)
        XCTAssertEqual(recs[0]?["attempts"] as? Int, 1, "the finished run trained again")
        for index in [1, 2] {
            XCTAssertEqual(recs[index]?["state"] as? String, "done")
            XCTAssertEqual(recs[index]?["failures"] as? Int, 0, "\(recs[index] ?? [:])")
            XCTAssertEqual(recs[index]?["attempts"] as? Int, 2, "\(recs[index] ?? [:])")
            let l = try log(out, index)
            XCTAssertTrue(l.contains("--resume"), l)
        }
        try assertEqualToRunsAlone(out, [0, 1, 2], resumed: [1, 2])
    }
}
