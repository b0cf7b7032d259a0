import Foundation
import XCTest

/// Bad sweep input: one line on stderr, exit status 2.
final class SweepBadInputTests: SweepTestCase {
    @discardableResult
    func reject(_ args: [String], mentions needle: String, environment: [String: String] = [:],
                file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try CondenseProcess.run(args, environment: environment)
        XCTAssertEqual(r.status, 2, "exit status for \(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "expected one line, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("condense: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(needle), "\(r.stderr) lacks '\(needle)'", file: file, line: line)
        return r.stderr
    }

    func rejectSweep(_ text: String, mentions needle: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try text.write(toFile: path("bad.json"), atomically: true, encoding: .utf8)
        try reject(["sweep", "plan", path("bad.json"), "-o", path("out")], mentions: needle, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/manifest.json")), file: file, line: line)
    }

    func testMalformedSweepFile() throws {
        try rejectSweep(#"{"options": {"steps": 10},"#, mentions: "not a JSON object")
        try rejectSweep(#"[1, 2]"#, mentions: "not a JSON object")
        try rejectSweep(#"{"option": {"steps": 10}}"#, mentions: "unknown key 'option'")
        try rejectSweep(#"{"axes": [{"values": [1]}]}"#, mentions: "needs \"option\"")
        try reject(["sweep", "plan", path("missing.json"), "-o", path("out")], mentions: "cannot be read")
    }

    func testUnknownOptionIsCaughtAtPlanTime() throws {
        try rejectSweep(#"{"options": {"widht": 3}}"#, mentions: "Unknown option '--widht'")
        try rejectSweep(#"{"axes": [{"option": "gama", "values": [1, 2]}]}"#, mentions: "Unknown option '--gama'")
        try rejectSweep(#"{"axes": [{"option": "lr", "values": [0.1, -1]}]}"#, mentions: "run 1: lr=-1")
        try rejectSweep(#"{"axes": [{"option": "activation", "values": ["relu", "swoosh"]}]}"#, mentions: "swoosh")
        try rejectSweep(#"{"options": {"output": "x.h5"}}"#, mentions: "set by the sweep runner")
    }

    func testEmptyAxis() throws {
        try rejectSweep(#"{"axes": [{"option": "hidden", "values": []}]}"#, mentions: "axis 'hidden' is empty")
        try rejectSweep(#"{"seeds": []}"#, mentions: "axis 'seed' is empty")
        try rejectSweep(#"{"axes": [{"zip": []}]}"#, mentions: "non-empty list")
    }

    /// A mistyped count aborted in an allocation of 800 GB before.
    func testTooManyRuns() throws {
        try rejectSweep(#"{"seeds": 100000000000}"#, mentions: "at most 1000000")
        let rates = (1...600).map { "\(Double($0) * 1e-4)" }.joined(separator: ", ")
        try rejectSweep(#"{"axes": [{"option": "lr", "values": ["# + rates + #"]}], "seeds": 2000}"#,
                        mentions: "1.2e+06 runs, more than 1000000")
    }

    func testConflictingAxes() throws {
        try rejectSweep(#"{"options": {"lr": 0.1}, "axes": [{"option": "lr", "values": [0.1, 0.2]}]}"#,
                        mentions: "option 'lr' is set both in options and in axis 'lr'")
        try rejectSweep(#"{"axes": [{"option": "lr", "values": [0.1]}, {"zip": [{"option": "lr", "values": [1]}], "name": "z"}]}"#,
                        mentions: "option 'lr' is set both in axis 'lr' and in axis 'z'")
        try rejectSweep(#"{"options": {"seed": 3}, "seeds": 2}"#, mentions: "option 'seed' is set both")
        try rejectSweep(#"{"axes": [{"zip": [{"option": "lr", "values": [1, 2]}, {"option": "steps", "values": [5]}]}]}"#,
                        mentions: "different lengths")
        try rejectSweep(#"{"axes": [{"option": "hidden", "values": [10, 10]}]}"#, mentions: "repeats a value")
        // Values that differ as text but resolve to the same run.
        try rejectSweep(#"{"axes": [{"option": "loss", "values": ["half-sum", "halfsum"]}]}"#, mentions: "same configuration")
    }

    func testNewerManifestFormatIsRefused() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [10]}]"#)
        _ = try plan(sweep, path("sw"))
        let manifest = path("sw/manifest.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
            .replacingOccurrences(of: "\"format_version\" : \"1.0\"", with: "\"format_version\" : \"2.0\"")
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        for sub in ["run", "status", "collect", "slurm"] {
            try reject(["sweep", sub, path("sw")], mentions: "manifest format 2.0 is newer")
        }
        try reject(["sweep", "plan", sweep, "-o", path("sw")], mentions: "manifest format 2.0 is newer")
        try reject(["sweep", "status", path("nowhere")], mentions: "no such sweep directory")
    }

    func testSlurmSubmitWithoutSbatch() throws {
        let sweep = try writeSweep("s.json", axes: #"[{"option": "hidden", "values": [10, 20]}]"#)
        _ = try plan(sweep, path("sw"))
        try reject(["sweep", "slurm", path("sw"), "--submit"], mentions: "sbatch not found",
                   environment: ["PATH": path("empty")])
        // Without --submit the script is written: an array over both runs with the concurrency limit.
        let r = try CondenseProcess.run(["sweep", "slurm", path("sw"), "--max-parallel", "1", "--mem", "1G",
                                         "--time", "0:10:00", "--partition", "debug"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = try String(contentsOfFile: path("sw/sweep.sbatch"), encoding: .utf8)
        for line in ["#SBATCH --array=0-1%1", "#SBATCH --mem=1G", "#SBATCH --time=0:10:00", "#SBATCH --partition=debug",
                     "#SBATCH --cpus-per-task=1", "sweep run '\(path("sw"))' --index \"$SLURM_ARRAY_TASK_ID\""] {
            XCTAssertTrue(script.contains(line), "\(line) missing in:\n\(script)")
        }
        try reject(["sweep", "slurm", path("sw"), "--max-parallel", "0"], mentions: "--max-parallel")
        try reject(["sweep", "run", path("sw"), "--index", "7"], mentions: "runs 0…1")
    }
}
