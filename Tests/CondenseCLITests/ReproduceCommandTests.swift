import Foundation
import HDF5
import XCTest

/// `condense reproduce`: the list, bad input, and one small real reproduction end to end (train, analyze, judge,
/// JSON, summary.h5, report.md; a second invocation redoes no run).
final class ReproduceCommandTests: XCTestCase {
    let ids = ["p1-fig2", "p1-fig3", "p1-fig4a", "p1-fig4b", "p1-fig5", "p2-fig3", "p2-fig5", "growth", "lyapunov", "degeneracy",
               "jn-training", "lyapunov-training"]

    func testListNamesEveryExperimentOnOneLineEach() throws {
        let r = try CondenseProcess.run(["reproduce", "list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, ids.count, r.stdout)
        for (line, id) in zip(lines, ids) {
            XCTAssertTrue(line.hasPrefix(id + " "), line)
        }
        XCTAssertTrue(lines[0].contains("P1 Fig. 2"), lines[0])
        XCTAssertTrue(lines[5].contains("P2 Fig. 3"), lines[5])
    }

    func reject(_ args: [String], mentions needle: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CondenseProcess.run(["reproduce"] + args)
        XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("condense: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(needle), "\(r.stderr) lacks '\(needle)'", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testBadInputIsOneLineAndExitTwo() throws {
        try reject(["p1-fig9"], mentions: "unknown experiment 'p1-fig9': use one of p1-fig2, p1-fig3")
        try reject(["p1-fig2", "--seeds", "0"], mentions: "--seeds must be 1…1000 (got 0)")
        try reject(["p1-fig2", "--seeds", "-4"], mentions: "--seeds must be 1…1000 (got -4)")
        try reject(["all", "--seeds", "1000000"], mentions: "--seeds must be 1…1000")
        try reject(["p1-fig2", "--jobs", "0"], mentions: "--jobs must be ≥ 1")
        try reject(["p1-fig2", "--jobs", "100000"], mentions: "--jobs must be at most")
        try reject(["p1-fig2", "--seeds", "two"], mentions: "two")
        let tmp = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("plain-file").path
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        try reject(["lyapunov", "-o", file], mentions: "exists and is not a directory")
    }

    /// P1 Fig. 4(b) on the installed Fashion-MNIST (tools/install-deps.sh installs it, so CI runs this): one seed
    /// of the quick variant trains, is analyzed and judged; the report says Fashion-MNIST stands in for MNIST.
    func testP1Fig4bOnFashionMNIST() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist, or tools/install-deps.sh)")
        }
        let dir = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CondenseProcess.run(["reproduce", "p1-fig4b", "--quick", "--seeds", "1", "--json", "-o", dir.path, "--no-figures"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let experiment = (json["experiments"] as! [[String: Any]])[0]
        XCTAssertEqual(experiment["id"] as? String, "p1-fig4b")
        XCTAssertTrue((experiment["notes"] as! [String]).joined().contains("Fashion-MNIST stands in for MNIST"))
        let runs = experiment["runs"] as! [String: Any]
        XCTAssertEqual(runs["done"] as? Int, 1, "\(runs)")
        let claim = (experiment["claims"] as! [[String: Any]])[0]
        XCTAssertEqual(claim["key"] as? String, "lines_at_end")
        let perSeed = (claim["obtained"] as! [String: Any])["per_seed"] as! [Any]
        XCTAssertTrue(perSeed.first is NSNumber, "seed 1 has a line count: \(claim)")
    }

    func testSmallReproductionEndToEnd() throws {
        let dir = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rep").path
        let r = try CondenseProcess.run(["reproduce", "p1-fig4a", "--quick", "--seeds", "2", "--json", "-o", out, "--jobs", "2", "--no-figures"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(json["schema"] as? String, "condense.reproduce/1")
        let experiments = try XCTUnwrap(json["experiments"] as? [[String: Any]])
        XCTAssertEqual(experiments.map { $0["id"] as? String }, ["p1-fig4a"])
        XCTAssertEqual((experiments[0]["runs"] as? [String: Int])?["done"], 2)
        let claims = try XCTUnwrap(experiments[0]["claims"] as? [[String: Any]])
        XCTAssertEqual(claims.count, 3)
        var perClaim: [[Double]] = []
        for c in claims {
            for key in ["claim", "source", "expected", "agreement", "reason"] { XCTAssertNotNil(c[key] as? String, key) }
            XCTAssertEqual(c["seeds"] as? Int, 2)
            let obtained = try XCTUnwrap(c["obtained"] as? [String: Any])
            let values = try XCTUnwrap(obtained["per_seed"] as? [Double], "every run finished, so every seed has a count")
            XCTAssertEqual(values.count, 2)
            XCTAssertEqual(obtained["median"] as? Double, (values[0] + values[1]) / 2)
            XCTAssertEqual(obtained["min"] as? Double, values.min())
            // The agreement follows from the matching count by the share rule.
            let matching = try XCTUnwrap(c["matching"] as? Int)
            XCTAssertEqual(c["agreement"] as? String, matching == 2 ? "agrees" : matching == 1 ? "partly" : "disagrees")
            perClaim.append(values)
        }
        // Orientations counted twice (the exact claim and the "fewer than 2p" claim) are the same numbers.
        XCTAssertEqual(perClaim[0], perClaim[2])

        let file = try H5File.open(out + "/summary.h5")
        let g = try file.root.openGroup("p1-fig4a")
        XCTAssertEqual(try g.openDataset("seed").readInt64(), [1, 2])
        XCTAssertEqual(try g.openDataset("obtained").dimensionNames(), ["claim", "seed"])
        XCTAssertEqual(try g.openDataset("obtained").read(), perClaim.flatMap { $0 })
        XCTAssertEqual(try g.openDataset("agreement").readStrings(), claims.map { $0["agreement"] as! String })
        try file.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/p1-fig4a/result.json"))
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("## p1-fig4a"), report)
        XCTAssertTrue(report.contains("f ≥ 0.8 agrees"), report)

        // Again, as text: the finished runs are reused (one attempt each), the table is the same claims.
        let again = try CondenseProcess.run(["reproduce", "p1-fig4a", "--quick", "--seeds", "2", "-o", out, "--no-figures"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("x2tanh, low frequency: condensed orientations at step 100"), again.stdout)
        XCTAssertTrue(again.stdout.contains("agreement: f = share of seeds"), again.stdout)
        let runs = try FileManager.default.contentsOfDirectory(atPath: out + "/p1-fig4a/runs")
        XCTAssertEqual(runs.count, 2)
        for id in runs {
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/p1-fig4a/runs/\(id)/record.json"))) as! [String: Any]
            XCTAssertEqual(record["attempts"] as? Int, 1, "run \(id) was trained again")
        }
    }

    /// `condense reproduce p1-fig5 --seeds 2 --json`: P1 Figs. 5-6 with the output-polynomial and direction-field
    /// claims computed from the runs (tanh: degree 1 and one line, as P1 shows and as every seed here gives).
    func testFig5ComputesTheOutputDegreeAndTheDirectionField() throws {
        let dir = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CondenseProcess.run(["reproduce", "p1-fig5", "--seeds", "2", "--json", "-o", dir.appendingPathComponent("rep").path, "--no-figures"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let experiment = try XCTUnwrap((json["experiments"] as? [[String: Any]])?.first)
        let claims = try XCTUnwrap(experiment["claims"] as? [[String: Any]])
        func claim(_ key: String) throws -> [String: Any] {
            try XCTUnwrap(claims.first { ($0["key"] as? String) == key }, "no claim \(key)")
        }
        for key in ["tanh.output_polynomial_degree", "tanh.direction_field_stable_lines"] {
            let c = try claim(key)
            XCTAssertEqual(c["agreement"] as? String, "agrees", "\(key): \(c)")
            let obtained = try XCTUnwrap(c["obtained"] as? [String: Any])
            XCTAssertEqual(obtained["per_seed"] as? [Double], [1, 1], "\(key)")
        }
        // x·tanh's field has two lines (P1 Fig. 6), whatever its output's degree at step 1000.
        let lines = try XCTUnwrap(try claim("xtanh.direction_field_stable_lines")["obtained"] as? [String: Any])
        XCTAssertEqual(lines["per_seed"] as? [Double], [2, 2])
        XCTAssertNotEqual(try claim("relu.direction_field_stable_lines")["agreement"] as? String, "not yet computed")
    }
}
