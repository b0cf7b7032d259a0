import Foundation
import Sweep
import XCTest

/// A real single-node Slurm (tools/slurm/up.sh): the sweep as one job array, checked by its outputs.
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
        try wait(seconds: 120) {
            let q = try shell("squeue -h -j \(job)", env)
            return q.status == 0 && q.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        // The records, not Slurm's exit codes, say whether each run finished.
        let recs = try records(out)
        XCTAssertEqual(recs.count, 4)
        for (_, r) in recs {
            XCTAssertEqual(r["state"] as? String, "done", "\(r)")
            XCTAssertEqual(r["attempts"] as? Int, 1)
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: out + "/slurm").filter { $0.hasPrefix(job + "_") }
        XCTAssertEqual(logs.count, 4, "one Slurm output per array task: \(logs)")
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
