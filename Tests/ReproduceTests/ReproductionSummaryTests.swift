import Foundation
import HDF5
import RunFormat
import XCTest
@testable import Reproduce

/// summary.h5: one group per experiment, per-claim strings over `claim` and per-(claim, seed) values.
final class ReproductionSummaryTests: XCTestCase {
    func testLayoutAndValues() throws {
        let claims = [
            CountClaims.count(PlantedRuns.finalLines([1, 2, 1]), key: "tanh.lines", claim: "tanh lines",
                              source: "P1 Fig. 2(a)", lines: true, expected: 1),
            ClaimOutcome.notComputed(key: "pending", claim: "later", source: "P1 Fig. 6", expected: "1 line",
                                     seeds: [1, 2, 3], reason: "not in this build"),
        ]
        let report = ExperimentReport(id: "p1-fig2", figure: "P1 Fig. 2", summary: "s",
                                      settings: ReproduceSettings(seeds: 3, quick: true, jobs: 1), claims: claims,
                                      notes: ["a note"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReproductionFiles.write([report], into: dir)
        let file = try H5File.open(dir + "/summary.h5")
        defer { try? file.close() }
        XCTAssertEqual(try file.root.stringAttribute("format"), ReproductionSummaryFormat.name)
        let g = try file.root.openGroup("p1-fig2")
        XCTAssertEqual(try g.openDataset("claim").readStrings(), ["tanh.lines", "pending"])
        XCTAssertEqual(try g.openDataset("seed").readInt64(), [1, 2, 3])
        let obtained = try g.openDataset("obtained")
        XCTAssertEqual(obtained.shape, [2, 3])
        XCTAssertEqual(try obtained.dimensionNames(), ["claim", "seed"])
        let values = try obtained.read()
        XCTAssertEqual(Array(values[0..<3]), [1, 2, 1])
        XCTAssertTrue(values[3...].allSatisfy(\.isNaN))
        XCTAssertEqual(try g.openDataset("matches").readInt64(), [1, 0, 1, 0, 0, 0])
        XCTAssertEqual(try g.openDataset("agreement").readStrings(), ["partly", "not yet computed"])
        XCTAssertEqual(try g.openDataset("matching").readInt64(), [2, 0])
        XCTAssertEqual(try g.openDataset("agreement").dimensionNames(), ["claim"])
        XCTAssertEqual(try g.stringAttribute("agreement_rule"), Agreement.ruleText)
        let markdown = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("| tanh lines | P1 Fig. 2(a) | 1 line | median 1 (1–2), 2/3 match | partly |"), markdown)
        XCTAssertTrue(markdown.contains(Agreement.ruleText))
    }
}

/// Each experiment's latest result is kept; summary.h5 and report.md hold every experiment of the directory.
final class ReproductionRecordTests: XCTestCase {
    func report(_ id: String, lines: [Int]) -> ExperimentReport {
        ExperimentReport(id: id, figure: "f", summary: "s", settings: ReproduceSettings(seeds: lines.count, quick: false, jobs: 1),
                         claims: [CountClaims.count(PlantedRuns.finalLines(lines), key: "k", claim: "c", source: "s",
                                                    lines: true, expected: 1)],
                         notes: [])
    }

    func testRecordKeepsOtherExperimentsAndReplacesTheSameOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReproductionFiles.record(report("p1-fig3", lines: [1, 2]), root: dir)
        let after = try ReproductionFiles.record(report("p1-fig2", lines: [1, 1, 1]), root: dir)
        XCTAssertEqual(after.map(\.id), ["p1-fig2", "p1-fig3"], "catalog order, both kept")
        // Again with other seeds: replaced, not added.
        let replaced = try ReproductionFiles.record(report("p1-fig3", lines: [2, 2, 2, 2]), root: dir)
        XCTAssertEqual(replaced.map(\.id), ["p1-fig2", "p1-fig3"])
        XCTAssertEqual(replaced[1].claims[0].perSeed, [2, 2, 2, 2])
        let file = try H5File.open(dir + "/summary.h5")
        defer { try? file.close() }
        XCTAssertEqual(try file.root.openGroup("p1-fig2").openDataset("seed").readInt64(), [1, 2, 3])
        XCTAssertEqual(try file.root.openGroup("p1-fig3").openDataset("obtained").read(), [2, 2, 2, 2])
        let markdown = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("## p1-fig2") && markdown.contains("## p1-fig3"), markdown)
    }

    func testMissingValuesSurviveTheResultFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reproduce-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var runs = PlantedRuns.finalLines([1, 1])
        runs.runs[1] = AnalyzedRun(seed: 2, labels: [:], layers: nil, problem: "failed")
        let r = ExperimentReport(id: "growth", figure: "f", summary: "s", settings: ReproduceSettings(seeds: 2, quick: true, jobs: 1),
                                 claims: [CountClaims.count(runs, key: "k", claim: "c", source: "s", lines: true, expected: 1)],
                                 notes: ["n"])
        try ReproductionFiles.save(r, root: dir)
        let back = try XCTUnwrap(ReproductionFiles.load(root: dir).first)
        XCTAssertEqual(back.claims[0].perSeed[0], 1)
        XCTAssertTrue(back.claims[0].perSeed[1].isNaN)
        XCTAssertEqual(back.claims[0].agreement, .partly)
        XCTAssertEqual(back.settings, r.settings)
    }
}
