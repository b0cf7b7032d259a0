import Foundation
import XCTest

/// A real single-node Slurm (tools/slurm/up.sh): the sweep as one job array, checked by its outputs.
final class SweepSlurmTests: SweepTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs a bash script with posix_spawn + waitpid, output through a file (Foundation's Process was seen to
    /// miss the exit of a script whose daemons outlive it).
    func shell(_ script: String, _ env: [String: String]) throws -> CondenseProcess.Result {
        let log = path("shell-\(UUID().uuidString).log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = ([String](["/bin/bash", "-c", script])).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp) == 0 else { throw XCTSkip("cannot start bash") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return CondenseProcess.Result(status: (status >> 8) & 0xff, stdout: output, stderr: output)
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
