import XCTest
@testable import Reproduce

/// Claims judged on planted per-seed values: which seeds match, and the agreement the share rule gives.
final class ClaimEvaluationTests: XCTestCase {
    func count(_ runs: ExperimentRuns, expected: Int = 1) -> ClaimOutcome {
        CountClaims.count(runs, key: "k", claim: "c", source: "P1 Fig. 2(a)", lines: true, expected: expected)
    }

    func testCountClaimAtTheShareBoundaries() {
        // 8 of 10 seeds with 1 line: agrees; 7 of 10: partly; 3 of 10: partly; 2 of 10: disagrees.
        let agrees = count(PlantedRuns.finalLines([1, 1, 1, 1, 1, 1, 1, 1, 2, 3]))
        XCTAssertEqual(agrees.matching, 8)
        XCTAssertEqual(agrees.agreement, .agrees)
        XCTAssertEqual(agrees.matches, [true, true, true, true, true, true, true, true, false, false])
        XCTAssertEqual(count(PlantedRuns.finalLines([1, 1, 1, 1, 1, 1, 1, 2, 2, 2])).agreement, .partly)
        XCTAssertEqual(count(PlantedRuns.finalLines([1, 1, 1, 2, 2, 2, 2, 2, 2, 2])).agreement, .partly)
        XCTAssertEqual(count(PlantedRuns.finalLines([1, 1, 2, 2, 2, 2, 2, 2, 2, 2])).agreement, .disagrees)
    }

    func testMedianAndRangeOverSeeds() {
        let c = count(PlantedRuns.finalLines([3, 1, 2, 2]), expected: 2)
        XCTAssertEqual(c.perSeed, [3, 1, 2, 2])
        XCTAssertEqual(c.median, 2)
        XCTAssertEqual(c.minimum, 1)
        XCTAssertEqual(c.maximum, 3)
        XCTAssertEqual(c.matching, 2)
        XCTAssertEqual(ReportTable.obtained(c), "median 2 (1–3), 2/4 match")
    }

    func testMissingRunCountsAsNotMatching() {
        var runs = PlantedRuns.finalLines([1, 1, 1, 1, 1])
        runs.runs[4] = AnalyzedRun(seed: 5, labels: ["seed": "5"], layers: nil, problem: "failed: diverged")
        let c = count(runs)
        XCTAssertTrue(c.perSeed[4].isNaN)
        XCTAssertEqual(c.matching, 4)
        XCTAssertEqual(c.agreement, .agrees)
        XCTAssertTrue(c.reason.contains("1 without a value"), c.reason)
        XCTAssertTrue(c.reason.contains("diverged"), c.reason)
        runs.runs[3] = AnalyzedRun(seed: 4, labels: ["seed": "4"], layers: nil, problem: "not finished")
        XCTAssertEqual(count(runs).agreement, .partly, "3 of 5 = 0.6")
    }

    func testCountAtAStepAndTheFilter() {
        let runs = ExperimentRuns(seeds: [1, 2], runs: [
            AnalyzedRun(seed: 1, labels: ["activation": "tanh", "seed": "1"],
                        layers: [PlantedRuns.layer(orientations: [0, 2, 4], lines: [0, 1, 2])]),
            AnalyzedRun(seed: 1, labels: ["activation": "relu", "seed": "1"],
                        layers: [PlantedRuns.layer(orientations: [0, 6, 6], lines: [0, 3, 3])]),
            AnalyzedRun(seed: 2, labels: ["activation": "tanh", "seed": "2"],
                        layers: [PlantedRuns.layer(orientations: [0, 2, 2], lines: [0, 1, 1])]),
        ])
        let atStep50 = CountClaims.count(runs, filter: ["activation": "tanh"], key: "k", claim: "c", source: "s",
                                         step: 50, lines: true, expected: 1)
        XCTAssertEqual(atStep50.perSeed, [1, 1])
        XCTAssertEqual(atStep50.agreement, .agrees)
        let atEnd = CountClaims.count(runs, filter: ["activation": "tanh"], key: "k", claim: "c", source: "s",
                                      lines: true, expected: 1)
        XCTAssertEqual(atEnd.perSeed, [2, 1])
        let notAnalyzed = CountClaims.count(runs, filter: ["activation": "tanh"], key: "k", claim: "c", source: "s",
                                            step: 70, lines: true, expected: 1)
        XCTAssertTrue(notAnalyzed.perSeed.allSatisfy(\.isNaN), "a step that was not analyzed gives no value")
        XCTAssertEqual(notAnalyzed.agreement, .disagrees)
    }

    func testInitialStageWithinBoundUsesTheVerdict() {
        func runs(_ verdicts: [LayerFacts.Verdict?]) -> ExperimentRuns {
            ExperimentRuns(seeds: Array(1...verdicts.count), runs: verdicts.enumerated().map { i, v in
                AnalyzedRun(seed: i + 1, labels: ["seed": "\(i + 1)"], layers: [
                    v.map { PlantedRuns.layer(orientations: [0, 2, 2], lines: [0, 1, 1], stageOrientations: 2, verdict: $0) }
                        ?? PlantedRuns.layer(orientations: [0, 0, 0], lines: [0, 0, 0]),
                ])
            })
        }
        let c = CountClaims.initialWithinBound(runs([.withinBound, .withinBound, .exceedsBound, nil]), key: "k",
                                               subject: "tanh", source: "s", multiplicity: 1)
        XCTAssertEqual(c.matches, [true, true, false, false])
        XCTAssertEqual(c.agreement, .partly)
        XCTAssertEqual(c.expected, "≤ 2p = 2")
        XCTAssertTrue(c.perSeed[3].isNaN, "no initial stage: no stage count")
        XCTAssertTrue(c.reason.contains("1 without an initial stage"), c.reason)
        let relu = CountClaims.initialWithinBound(runs([.boundUndefined, .boundUndefined]), key: "k", subject: "relu",
                                                  source: "s", multiplicity: nil)
        XCTAssertEqual(relu.agreement, .notApplicable)
        XCTAssertEqual(relu.perSeed, [2, 2], "ReLU's counts are reported")
    }

    func testInitialStageExactly2p() {
        let runs = ExperimentRuns(seeds: [1, 2, 3], runs: [4, 4, 5].enumerated().map { i, n in
            AnalyzedRun(seed: i + 1, labels: [:], layers: [
                PlantedRuns.layer(p: 2, orientations: [0, n, n], lines: [0, 2, 2], stageOrientations: n),
            ])
        })
        let c = CountClaims.initialExactly(runs, key: "k", subject: "xtanh", source: "s", expected: 4)
        XCTAssertEqual(c.perSeed, [4, 4, 5])
        XCTAssertEqual(c.agreement, .partly, "2 of 3")
    }

    func testFig5OutputAndFieldClaimsReadEachRunsMeasures() {
        // Planted measures of 5 tanh runs: degrees 1, 1, 1, 1, 3 and field lines 1 everywhere but a missing one.
        let degrees: [Double] = [1, 1, 1, 1, 3], lines: [Double] = [1, 1, .nan, 1, 1]
        var planted = PlantedRuns.finalLines([1, 1, 1, 1, 1], labels: ["activation": "tanh"])
        for i in planted.runs.indices {
            planted.runs[i].measures = ["output_degree": degrees[i], "field_lines": lines[i]]
        }
        let claims = ExperimentCatalog.fig5OutputAndFieldClaims(planted, activation: "tanh", multiplicity: 1)
        XCTAssertEqual(claims.count, 2)
        XCTAssertEqual(claims[0].perSeed, degrees)
        XCTAssertEqual(claims[0].matching, 4)
        XCTAssertEqual(claims[0].agreement, .agrees, "4 of 5")
        XCTAssertEqual(claims[1].matching, 4, "a missing value does not match")
        // ReLU: reported, not judged.
        let relu = ExperimentCatalog.fig5OutputAndFieldClaims(planted, activation: "tanh", multiplicity: nil)
        XCTAssertTrue(relu.allSatisfy { $0.agreement == .notApplicable })
    }

    /// RD = C·m^S per seed: the fitted slope is S exactly.
    func slopeRuns(_ slopes: [Double], gamma: String = "1.75") -> ExperimentRuns {
        var runs: [AnalyzedRun] = []
        for (i, s) in slopes.enumerated() {
            for m in [1000.0, 5000, 10000] {
                runs.append(AnalyzedRun(seed: i + 1, labels: ["gamma": gamma, "hidden": String(Int(m)), "seed": "\(i + 1)"],
                                        layers: [PlantedRuns.layer(orientations: [1], lines: [1], rd: 0.01 * pow(m, s))]))
            }
        }
        return ExperimentRuns(seeds: Array(1...slopes.count), runs: runs)
    }

    func testSlopeClaim() {
        let agrees = ExperimentCatalog.slopeClaim(slopeRuns([0.40, 0.35, 0.38]), gamma: "1.75", paper: 0.372, regime: "condensed")
        XCTAssertEqual(agrees.agreement, .agrees)
        XCTAssertEqual(agrees.perSeed[0], 0.40, accuracy: 1e-9)
        XCTAssertEqual(agrees.matching, 3)
        // Condensed, but 0.2 from the paper: partly.
        let partly = ExperimentCatalog.slopeClaim(slopeRuns([0.6, 0.6]), gamma: "1.75", paper: 0.372, regime: "condensed")
        XCTAssertEqual(partly.agreement, .partly)
        XCTAssertEqual(partly.matching, 0)
        // The wrong regime: disagrees, however close the number would be on another scale.
        let wrong = ExperimentCatalog.slopeClaim(slopeRuns([0.1, 0.1]), gamma: "1.75", paper: 0.372, regime: "condensed")
        XCTAssertEqual(wrong.agreement, .disagrees)
        // No runs at that γ: no slope.
        let none = ExperimentCatalog.slopeClaim(slopeRuns([0.4], gamma: "0.5"), gamma: "1.75", paper: 0.372, regime: "condensed")
        XCTAssertEqual(none.agreement, .disagrees)
        XCTAssertTrue(none.perSeed[0].isNaN)
    }

    /// P2 Fig. 5 has no slope values to compare: the regime alone decides (0.6 is condensed: agrees, where a
    /// paper value of 0.372 would make it partly), and the expected column names the regime.
    func testRegimeOnlySlopeClaim() {
        let c = ExperimentCatalog.slopeClaim(slopeRuns([0.6, 0.6]), gamma: "1.75", paper: nil, regime: "condensed",
                                             source: "P2 Fig. 5")
        XCTAssertEqual(c.agreement, .agrees)
        XCTAssertEqual(c.matching, 2)
        XCTAssertEqual(c.expected, "condensed")
        XCTAssertEqual(c.source, "P2 Fig. 5")
        XCTAssertEqual(ExperimentCatalog.slopeClaim(slopeRuns([0.05, 0.05]), gamma: "1.75", paper: nil, regime: "condensed").agreement,
                       .disagrees)
    }
}
