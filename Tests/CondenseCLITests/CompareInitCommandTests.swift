import Foundation
import RunFormat
import XCTest

/// `condense compare-init` end to end on a tiny setting.
final class CompareInitCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let tiny = ["compare-init", "--steps", "30", "--seeds", "2", "--hidden", "8,8", "--n-train", "30", "--n-test", "50",
                "--snapshots", "list:0,10,30"]

    func testJSONIsCompleteFiniteDeterministicAndLossesDecrease() throws {
        let first = try CondenseProcess.run(tiny + ["--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CondenseProcess.run(tiny + ["--json", "--jobs", "1"])
        XCTAssertEqual(second.status, 0, second.stderr)
        func parse(_ text: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let a = try parse(first.stdout), b = try parse(second.stdout)
        XCTAssertEqual(a["format"] as? String, "condense-compare-init")
        XCTAssertEqual(a["steps"] as? [Int], [0, 10, 30])
        XCTAssertEqual(a["seeds"] as? [Int], [1, 2])
        let schemes = try XCTUnwrap(a["schemes"] as? [[String: Any]])
        XCTAssertEqual(schemes.map { $0["scheme"] as? String ?? "" }.map { String($0.prefix(while: { $0 != "(" })) },
                       ["he_normal", "rai", "rai_matched_gaussian", "anti_correlated", "anti_correlated_rai"])
        XCTAssertTrue((schemes[3]["scheme"] as? String ?? "").contains("kappa=-0.5"))
        // Every pair of schemes compared seed by seed (RAI beside its scale-matched control among them).
        let paired = try XCTUnwrap(a["paired"] as? [[String: Any]])
        XCTAssertEqual(paired.count, 10)
        let raiControl = try XCTUnwrap(paired.first { ($0["first"] as? String) == "rai" && ($0["second"] as? String) == "rai_matched_gaussian" })
        XCTAssertEqual(raiControl["seeds"] as? Int, 2)
        XCTAssertEqual((raiControl["train"] as? [Int])?.count, 3, "one count per reported step")
        XCTAssertTrue((raiControl["test"] as? [Int] ?? []).allSatisfy { (0...2).contains($0) })
        for s in schemes {
            for part in ["train", "test"] {
                let summary = try XCTUnwrap(s[part] as? [String: Any])
                let median = try XCTUnwrap(summary["median"] as? [Double]), q1 = try XCTUnwrap(summary["q1"] as? [Double])
                let q3 = try XCTUnwrap(summary["q3"] as? [Double])
                XCTAssertEqual(median.count, 3)
                XCTAssertTrue((median + q1 + q3).allSatisfy(\.isFinite))
                for k in 0..<3 { XCTAssertLessThanOrEqual(q1[k], median[k]); XCTAssertLessThanOrEqual(median[k], q3[k]) }
                XCTAssertEqual(summary["n"] as? [Int], [2, 2, 2])
                if part == "train" { XCTAssertLessThan(median[2], median[0], "\(s["scheme"] ?? "") must train") }
            }
            let runs = try XCTUnwrap(s["runs"] as? [[String: Any]])
            XCTAssertEqual(runs.count, 2)
            // with two seeds the median is the mean of the two runs
            let losses = runs.map { $0["train_loss"] as? [Double] ?? [] }
            let median = (s["train"] as? [String: Any])?["median"] as? [Double] ?? []
            for k in 0..<3 { XCTAssertEqual(median[k], (losses[0][k] + losses[1][k]) / 2, accuracy: 1e-15 * median[k]) }
        }
        // the same results whatever the number of workers
        XCTAssertEqual(NSArray(array: schemes), NSArray(array: try XCTUnwrap(b["schemes"] as? [[String: Any]])))
    }

    func testTableAndRunFiles() throws {
        let out = dir.appendingPathComponent("runs").path
        let r = try CondenseProcess.run(tiny + ["--schemes", "he_normal; lyapunov_gaussian(slope=0.1)", "--activation",
                                                "leaky_relu(0.1)", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("compare-init: teacher"), lines[0])
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("scheme") })
        XCTAssertTrue(lines[header].contains("train loss") && lines[header].contains("test loss"))
        let rows = lines[(header + 1)...].prefix { !$0.isEmpty }
        XCTAssertEqual(rows.count, 2 * 3)
        XCTAssertTrue(r.stdout.contains("  he_normal(slope=0.0) vs lyapunov_gaussian(slope=0.1)  "), r.stdout)
        XCTAssertTrue(rows[rows.startIndex].hasPrefix("he_normal(slope=0.0)"))
        XCTAssertTrue(rows[rows.startIndex + 3].hasPrefix("lyapunov_gaussian(slope=0.1)"))
        for row in rows { XCTAssertFalse(row.contains("—") || row.contains("nan"), row) }
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(files.count, 4, "\(files)")
        let run = try RunReader(path: (out as NSString).appendingPathComponent(files[0]))
        defer { try? run.close() }
        XCTAssertEqual(try run.steps(), [0, 10, 30])
    }

    func testBadInputIsOneLineStatusTwo() throws {
        for args in [["--seeds", "0"], ["--seeds", "100000000000"], ["--schemes", "bogus"], ["--kappa", "-3"], ["--schemes", "anti_correlated(kappa=-2)"],
                     ["--jobs", "0"]] {
            let r = try CondenseProcess.run(["compare-init", "--steps", "1"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }
}
