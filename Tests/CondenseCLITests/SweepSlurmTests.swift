import Foundation
import Sweep
import XCTest

/// A real single-node Slurm (tools/slurm/up.sh): the sweep as one job array, checked by its outputs — one array
/// task per grid point, its two seeds trained in one `condense train --seeds` child.
final class SweepSlurmTests: SweepTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs a bash script through posix_spawn + waitpid (Foundation's Process was seen to miss the exit of a
    /// script whose daemons outlive it).
    func shell(_ script: String, _ env: [String: String]) throws -> CondenseProcess.Result {
        let r = try HelperCommand.run("/bin/bash", ["-c", script],
                                      environment: ProcessInfo.processInfo.environment.merging(env) { $1 })
        return CondenseProcess.Result(status: r.status, stdout: r.output, stderr: r.output)
    }

    func testSweepAsJobArray() throws {
        guard getuid() == 0 else { throw XCTSkip("standing up slurmd needs root") }
        let tools = Self.repository.appendingPathComponent("tools/slurm").path
        let slurmDir = path("slurm")
        let env = ["SLURM_DIR": slurmDir, "SLURM_CONF": slurmDir + "/slurm.conf"]
        let up = try shell("'\(tools)/up.sh'", env)
        defer { _ = try? shell("'\(tools)/down.sh'", env) }
        XCTAssertEqual(up.status, 0, up.stderr)
        guard up.status == 0 else { return }

        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [10, 20]}]"#, seeds: "2")
        let out = path("sw")
        _ = try plan(sweep, out)
        let submit = try CondenseProcess.run(["sweep", "slurm", out, "--submit", "--max-parallel", "2", "--mem", "500M",
                                              "--time", "0:05:00"], environment: env)
        XCTAssertEqual(submit.status, 0, submit.stderr)
        let job = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotNil(Int(job), "job id: \(submit.stdout)")
        // Two grid points of two seeds: two tasks, each asking for two runs' memory and time.
        let script = try String(contentsOfFile: out + "/sweep.sbatch", encoding: .utf8)
        for line in ["#SBATCH --array=0-1%2\n", "runs=(0-1 2-3)\n", "#SBATCH --mem=500M\n", "#SBATCH --time=00:10:00\n"] {
            XCTAssertTrue(script.contains(line), "\(line) missing in:\n\(script)")
        }
        try wait(seconds: 120) {
            let q = try shell("squeue -h -j \(job)", env)
            return q.status == 0 && q.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        // The records, not Slurm's exit codes, say whether each run finished.
        let recs = try records(out)
        XCTAssertEqual(recs.count, 4)
        let ids = try runIDs(out)
        for (index, r) in recs {
            XCTAssertEqual(r["state"] as? String, "done", "\(r)")
            XCTAssertEqual(r["attempts"] as? Int, 1)
            let log = try String(contentsOfFile: "\(out)/runs/\(ids[index])/train.log", encoding: .utf8)
            XCTAssertTrue(log.contains("--seeds 1,2") || log.contains("in one process"), "trained in a seed batch: \(log)")
        }
        // A batched run's file is the run alone.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let arguments = (manifest["runs"] as! [[String: Any]])[3]["arguments"] as! [String]
        XCTAssertEqual(try CondenseProcess.run(["train"] + arguments + ["-o", path("alone.h5"), "-q"]).status, 0)
        XCTAssertTrue(try bits("\(out)/runs/\(ids[3])/run.h5") == bits(path("alone.h5")), "run 3 differs from the run alone")
        let logs = try FileManager.default.contentsOfDirectory(atPath: out + "/slurm").filter { $0.hasPrefix(job + "_") }
        XCTAssertEqual(logs.count, 2, "one Slurm output per array task: \(logs)")
        let status = try CondenseProcess.run(["sweep", "status", out])
        XCTAssertTrue(status.stdout.contains("4 done, 0 failed"), status.stdout)
        let csv = path("s.csv")
        let c = try CondenseProcess.run(["sweep", "collect", out, "--csv", csv])
        XCTAssertEqual(c.status, 0, c.stderr)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        XCTAssertEqual(rows.count, 5)
        for row in rows.dropFirst() {
            for column in ["final_loss", "layer_1_relative_distance", "layer_1_effective_ratio"] {
                let v = Double(row[header.firstIndex(of: column)!])
                XCTAssertNotNil(v, "\(column) in \(row)")
                XCTAssertTrue(v.map { $0.isFinite && $0 > 0 } ?? false, "\(column) in \(row)")
            }
            XCTAssertEqual(row[header.firstIndex(of: "status")!], "done")
        }
        // Everything done: nothing more to submit.
        let again = try CondenseProcess.run(["sweep", "slurm", out, "--submit"], environment: env)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("nothing to submit"), again.stdout)
    }
}
