import Foundation
import Sweep
import XCTest
@testable import Reproduce

/// The recipes as sweeps: seeds 1…N last, the quick variants, and P2 Fig. 3 the same as the sweep file.
final class RecipeTests: XCTestCase {
    func testEveryTrainingRecipeEndsWithSeeds1ToN() throws {
        for e in ExperimentCatalog.all {
            guard let sweep = e.sweep else { continue }
            let file = try sweep(ReproduceSettings(seeds: 4, quick: false, jobs: 1))
            let seeds = try XCTUnwrap(file.dimensions.last, e.id)
            XCTAssertEqual(seeds.name, "seed", e.id)
            XCTAssertEqual(seeds.values, [[.integer(1), .integer(2), .integer(3), .integer(4)]], e.id)
        }
        XCTAssertEqual(Set(ExperimentCatalog.ids).count, ExperimentCatalog.all.count, "ids are unique")
    }

    func testQuickPhaseDiagramUsesThreeSmallWidths() throws {
        let quick = try XCTUnwrap(ExperimentCatalog.p2Fig3.sweep)(ReproduceSettings(seeds: 2, quick: true, jobs: 1))
        let hidden = try XCTUnwrap(quick.dimensions.first { $0.name == "hidden" })
        XCTAssertEqual(hidden.values, [[.integer(1000), .integer(2000), .integer(5000)]])
        XCTAssertEqual(quick.runCount, 3 * 3 * 2)
        let full = try XCTUnwrap(ExperimentCatalog.p2Fig3.sweep)(ReproduceSettings(seeds: 2, quick: false, jobs: 1))
        XCTAssertEqual(full.dimensions.first { $0.name == "hidden" }?.size, 5)
    }

    /// p2-fig3 reuses tools/sweeps/phase-diagram.json: the same fixed options, γ, learning rates and widths.
    func testPhaseDiagramRecipeMatchesTheSweepFile() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try SweepFile(path: repo.appendingPathComponent("tools/sweeps/phase-diagram.json").path)
        let fixed = Dictionary(uniqueKeysWithValues: file.fixed)
        XCTAssertEqual(fixed, ExperimentCatalog.phaseDiagramOptions)
        let mine = try XCTUnwrap(ExperimentCatalog.p2Fig3.sweep)(ReproduceSettings(seeds: 3, quick: false, jobs: 1))
        func values(_ f: SweepFile, _ option: String) -> [Double]? {
            for d in f.dimensions { if let i = d.options.firstIndex(of: option) {
                return d.values[i].compactMap { v -> Double? in
                    switch v { case .integer(let n): return Double(n); case .number(let x): return x; default: return nil }
                }
            } }
            return nil
        }
        for option in ["gamma", "lr", "hidden"] {
            XCTAssertEqual(values(file, option), values(mine, option), option)
        }
    }

    /// p2-fig5's paper-size grid (tools/sweeps/p2-fig5.json, for condense sweep slurm) is the reproduction's recipe
    /// at the paper's widths: the same options, γ and steps; only the widths, images and step limit differ.
    func testRealDataPhaseDiagramMatchesItsSweepFile() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try SweepFile(path: repo.appendingPathComponent("tools/sweeps/p2-fig5.json").path)
        var fixed = Dictionary(uniqueKeysWithValues: file.fixed)
        XCTAssertEqual(fixed.removeValue(forKey: "n-train"), .integer(1000))
        XCTAssertEqual(fixed.removeValue(forKey: "steps"), .integer(100_000))
        XCTAssertEqual(fixed, ExperimentCatalog.fig5Options)
        let mine = try XCTUnwrap(ExperimentCatalog.p2Fig5.sweep)(ReproduceSettings(seeds: 3, quick: true, jobs: 1))
        XCTAssertEqual(file.dimensions[0], mine.dimensions[0], "γ and lr zipped alike")
        XCTAssertEqual(file.dimensions[1].values, [[1000, 10000, 40000, 50000, 250000].map { SweepValue.integer($0) }])
    }

    func testOnlyThePhaseDiagramJudgesByItsOwnRule() {
        for e in ExperimentCatalog.all where !["p2-fig3", "p2-fig5"].contains(e.id) { XCTAssertEqual(e.rule, Agreement.ruleText, e.id) }
        XCTAssertTrue(ExperimentCatalog.p2Fig3.rule.contains("|S_w − paper| ≤ 0.1"), ExperimentCatalog.p2Fig3.rule)
    }

    func testTheNewTargetIsWhatFig4aTrains() throws {
        let file = try XCTUnwrap(ExperimentCatalog.p1Fig4a.sweep)(ReproduceSettings(seeds: 1, quick: true, jobs: 1))
        XCTAssertTrue(try file.arguments(at: [0]).joined(separator: " ").contains("--target sin5d-low"))
    }
}
