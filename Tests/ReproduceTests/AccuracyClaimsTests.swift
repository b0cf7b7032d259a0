import Sweep
import XCTest
@testable import Reproduce

/// The real-data classification entries judged on planted accuracies (no training): `jn-training`'s rank
/// correlation with the predicted degeneracy, `lyapunov-training`'s per-seed difference, and their recipes.
final class AccuracyClaimsTests: XCTestCase {
    func testSpearmanWithTiesMatchesScipy() {
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) = 0.8207826816681233 (ties at mean rank).
        XCTAssertEqual(RankCorrelation.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 0.8207826816681233, accuracy: 1e-12)
        XCTAssertEqual(RankCorrelation.spearman([1, 2, 3], [30, 20, 10]), -1, accuracy: 1e-15)
        XCTAssertEqual(RankCorrelation.ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5])
        XCTAssertTrue(RankCorrelation.spearman([1, 2, 3], [1, 1, 1]).isNaN, "a constant side has no correlation")
        XCTAssertTrue(RankCorrelation.spearman([1, 2, .nan], [1, 2, 3]).isNaN, "a missing accuracy gives no value")
    }

    /// Accuracies that fall with the finite-width prediction agree; accuracies that rise with it disagree, and a
    /// failed run leaves its seed without a value.
    func testDegeneracyOrderingIsJudgedFromTheAccuracies() throws {
        let archs = ExperimentCatalog.jnArchitectures
        let finite = try archs.map { try ExperimentCatalog.jnPrediction(width: $0.width, depth: $0.depth).finite }
        func runs(_ accuracy: (Int, Double) -> Double?) -> ExperimentRuns {
            var out: [AnalyzedRun] = []
            for seed in 1...3 {
                for a in archs {
                    let hidden = ExperimentCatalog.jnHidden(a)
                    let i = archs.firstIndex { $0.name == a.name }!
                    if let acc = accuracy(seed, finite[i]) {
                        out.append(AnalyzedRun(seed: seed, labels: ["hidden": hidden, "seed": "\(seed)"], layers: [],
                                               measures: ["test_accuracy": acc]))
                    } else {
                        out.append(AnalyzedRun(seed: seed, labels: ["hidden": hidden, "seed": "\(seed)"], layers: nil,
                                               problem: "failed: diverged"))
                    }
                }
            }
            return ExperimentRuns(seeds: [1, 2, 3], runs: out)
        }
        // Accuracy rising with ln sin²θ (less degenerate is better), as the paper reports.
        let follows = try ExperimentCatalog.jnClaims(runs { _, f in 0.8 + 0.02 * f })
        let order = try XCTUnwrap(follows.first { $0.key == "degeneracy_orders_accuracy" })
        XCTAssertEqual(order.perSeed, [1, 1, 1])
        XCTAssertEqual(order.agreement, .agrees)
        XCTAssertEqual(follows.filter { $0.agreement == .notApplicable }.count, archs.count, "one reported row per architecture")
        XCTAssertTrue(follows[0].expected.contains("ln sin²θ_L"), follows[0].expected)

        let against = try ExperimentCatalog.jnClaims(runs { _, f in 0.5 - 0.02 * f })
        XCTAssertEqual(against.first { $0.key == "degeneracy_orders_accuracy" }?.agreement, .disagrees)

        let failed = try ExperimentCatalog.jnClaims(runs { seed, f in seed == 2 && f < -10 ? nil : 0.8 + 0.02 * f })
        let c = try XCTUnwrap(failed.first { $0.key == "degeneracy_orders_accuracy" })
        XCTAssertTrue(c.perSeed[1].isNaN)
        XCTAssertEqual(c.matching, 2)
    }

    func testLyapunovTrainingJudgesThePerSeedDifference() throws {
        var out: [AnalyzedRun] = []
        // Seed 2's gain (0.01) is within 2 SE of 2000 test images (≈ 0.031): noise, not a match.
        let lyapunov = [0.6, 0.46, 0.2], he = [0.4, 0.45, 0.3]
        let architectures = ExperimentCatalog.lyapunovArchitectures(ReproduceSettings(seeds: 3, quick: false, jobs: 1))
        for (d, depth) in architectures {
            for (k, scheme) in ExperimentCatalog.lyapunovSchemes.enumerated() {
                for seed in 1...3 {
                    out.append(AnalyzedRun(seed: seed, labels: ["hidden": ExperimentCatalog.lyapunovHidden(d, depth: depth),
                                                                "init": scheme.spec, "seed": "\(seed)"],
                                           layers: [], measures: ["test_accuracy": (k == 0 ? he : lyapunov)[seed - 1]]))
                }
            }
        }
        let claims = ExperimentCatalog.lyapunovTrainingClaims(ExperimentRuns(seeds: [1, 2, 3], runs: out),
                                                              architectures: architectures, testImages: 2000)
        let c = try XCTUnwrap(claims.first { $0.key == "d16.L40.lyapunov_minus_he" })
        XCTAssertEqual(c.perSeed[0], 0.2, accuracy: 1e-12)
        XCTAssertEqual(c.matches, [true, false, false])
        XCTAssertEqual(c.agreement, .partly)
        XCTAssertTrue(c.reason.contains("1 of 3 seeds higher by more than 2 SE (2000 test images), 1 lower by more"), c.reason)
        XCTAssertTrue(c.claim.contains("twice as deep, the test"), c.claim)
        XCTAssertTrue(try XCTUnwrap(claims.first { $0.key == "d16.L20.lyapunov_minus_he" }).claim.contains("the control"))
        XCTAssertEqual(claims.count, architectures.count * 3)
    }

    /// lyapunov-training's architectures: per width a moderate depth and twice it; --quick keeps width 16 only, with
    /// the same data and steps (two epochs of all 60 000 images in batches of 128).
    func testLyapunovTrainingRecipe() throws {
        let full = ExperimentCatalog.lyapunovArchitectures(ReproduceSettings(seeds: 1, quick: false, jobs: 1))
        XCTAssertEqual(full.map { "\($0.width)x\($0.depth)" }, ["8x10", "8x20", "16x20", "16x40", "32x20", "32x40"])
        let quick = try XCTUnwrap(ExperimentCatalog.lyapunovTraining.sweep)(ReproduceSettings(seeds: 2, quick: true, jobs: 1))
        XCTAssertEqual(quick.runCount, 2 * 2 * 2)
        let fixed = Dictionary(uniqueKeysWithValues: quick.fixed.map { ($0.0, $0.1) })
        XCTAssertEqual(fixed["steps"], .integer(938))
        XCTAssertEqual(fixed["n-train"], .integer(60_000))
        XCTAssertEqual(fixed["hidden-bias"], .bool(false))
        XCTAssertEqual(ExperimentCatalog.lyapunovHidden(16, depth: 3), "16,16,16")
    }

    /// The classification recipes: cross-entropy on one-hot Fashion-MNIST labels, no hidden biases, one epoch of
    /// the paper's mini-batches (jn-training), and the quick variants' subsets.
    func testClassificationRecipes() throws {
        let quick = try XCTUnwrap(ExperimentCatalog.jnTraining.sweep)(ReproduceSettings(seeds: 1, quick: true, jobs: 1))
        let fixed = Dictionary(uniqueKeysWithValues: quick.fixed.map { ($0.0, $0.1) })
        XCTAssertEqual(fixed["loss"], .string("cross-entropy"))
        XCTAssertEqual(fixed["labels"], .string("one-hot"))
        XCTAssertEqual(fixed["hidden-bias"], .bool(false))
        XCTAssertEqual(fixed["steps"], .integer(60), "one epoch of 6000 images in batches of 100")
        XCTAssertEqual(quick.runCount, 6)
        let full = try XCTUnwrap(ExperimentCatalog.jnTraining.sweep)(ReproduceSettings(seeds: 1, quick: false, jobs: 1))
        XCTAssertTrue(full.fixed.contains { $0.0 == "steps" && $0.1 == .integer(600) })
        let ly = try XCTUnwrap(ExperimentCatalog.lyapunovTraining.sweep)(ReproduceSettings(seeds: 2, quick: false, jobs: 1))
        XCTAssertEqual(ly.runCount, ExperimentCatalog.lyapunovArchitectures(ReproduceSettings(seeds: 2, quick: false, jobs: 1)).count * 2 * 2)
        XCTAssertFalse(ExperimentCatalog.jnTraining.analyzes)
        XCTAssertFalse(ExperimentCatalog.lyapunovTraining.analyzes)
    }
}
