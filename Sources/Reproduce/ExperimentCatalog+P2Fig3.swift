import Foundation
import Sweep

extension ExperimentCatalog {
    /// P2 Fig. 3's three γ (γ' = 0), the learning rate our recipe uses at each (`tools/sweeps/phase-diagram.json`),
    /// the slope S_w the paper fits and the regime it stands for.
    static let fig3Gammas: [(gamma: SweepValue, lr: Double, slope: Double, regime: String)] = [
        (.number(0.5), 0.005, -0.506, "linear"), (.integer(1), 0.05, 0.007, "critical"),
        (.number(1.75), 0.05, 0.372, "condensed"),
    ]
    /// The paper's widths, and the quick variant's.
    static let fig3Widths = [1000, 5000, 10000, 20000, 40000]
    static let fig3QuickWidths = [1000, 2000, 5000]
    /// |S_w − paper| at most this (and the regime right) agrees; the regime alone is "partly".
    static let slopeTolerance = 0.1

    /// The recipe of `tools/sweeps/phase-diagram.json` (a test keeps the two the same): two-layer ReLU on the
    /// 4-point `tworelu1d`, hidden and readout N(0, m^−γ), plain gradient descent to loss 10⁻⁶.
    static let phaseDiagramOptions: [String: SweepValue] = [
        "activation": .string("relu"), "target": .string("tworelu1d"), "n-test": .integer(0),
        "optimizer": .string("sgd"), "loss": .string("half-sum"), "steps": .integer(40000),
        "stop-loss": .number(1e-6), "snapshots": .string("log:20"),
    ]

    static let p2Fig3 = Experiment(
        id: "p2-fig3", figure: "P2 Fig. 3",
        summary: "2-layer ReLU on tworelu1d, γ = 0.5, 1, 1.75, widths 1000…40000, GD to loss 1e-6: slope S_w of log RD vs log m",
        sweep: { s in
            let widths = s.quick ? fig3QuickWidths : fig3Widths
            return try Recipe.sweep("p2-fig3", phaseDiagramOptions, [
                Recipe.zip([("gamma", fig3Gammas.map(\.gamma)), ("lr", fig3Gammas.map { .number($0.lr) })]),
                Recipe.axis("hidden", widths.map { .integer(Int64($0)) }),
            ], settings: s)
        },
        lastSnapshotOnly: true,
        rule: "agreement: the slope fitted over every run of all seeds agrees when its regime is right and |S_w − paper| ≤ \(slopeTolerance), partly when only the regime is right, else disagrees; a seed matches when its own slope passes the first test",
        notes: { s in
            let w = (s.quick ? fig3QuickWidths : fig3Widths).map(String.init).joined(separator: ", ")
            return ["widths \(w)" + (s.quick ? " (--quick: the paper fits 1000…40000)" : "")
                    + "; a seed is one run per width, its value the slope of its own runs",
                    "regime from S_w: linear below −\(PhaseDiagram.defaultTolerance), condensed above \(PhaseDiagram.defaultTolerance), critical between"]
        },
        evaluate: { runs, _ in
            fig3Gammas.map { g in
                slopeClaim(runs, gamma: g.gamma.label, paper: g.slope, regime: g.regime)
            }
        })

    /// The S_w claim at one γ; with `paper` nil (a figure whose slopes we do not have) the regime alone decides:
    /// right regime agrees, else disagrees.
    static func slopeClaim(_ runs: ExperimentRuns, gamma: String, paper: Double?, regime: String,
                           source: String = "\(p2) Fig. 3") -> ClaimOutcome {
        func points(_ rs: [AnalyzedRun]) -> (x: [Double], y: [Double]) {
            var x: [Double] = [], y: [Double] = []
            for r in rs {
                guard let m = r.labels["hidden"].flatMap(Double.init), let rd = r.layer("layer_1")?.finalRelativeDistance,
                      rd.isFinite, rd > 0 else { continue }
                x.append(log(m)); y.append(log(rd))
            }
            return (x, y)
        }
        let mine = runs.runs(["gamma": gamma])
        let perSeed = runs.seeds.map { s -> Double in
            let p = points(mine.filter { $0.seed == s })
            return PhaseDiagram.fitLine(p.x, p.y).slope
        }
        let all = points(mine)
        let pooled = PhaseDiagram.fitLine(all.x, all.y)
        let judge = { (slope: Double) -> Agreement in
            guard slope.isFinite else { return .disagrees }
            guard PhaseDiagram.classify(slope, tolerance: PhaseDiagram.defaultTolerance) == regime else { return .disagrees }
            guard let paper else { return .agrees }
            return abs(slope - paper) <= slopeTolerance ? .agrees : .partly
        }
        let pooledRegime = PhaseDiagram.classify(pooled.slope, tolerance: PhaseDiagram.defaultTolerance)
        var reason = pooled.slope.isFinite
            ? String(format: "S_w over all %d runs %+.3f", all.x.count, pooled.slope)
                + (pooled.error.isFinite ? String(format: " ± %.3f", pooled.error) : "") + " (\(pooledRegime))"
            : "too few runs with a value to fit a slope"
        let problems = runs.problems(["gamma": gamma])
        if !problems.isEmpty { reason += "; " + problems }
        let matches = perSeed.map { judge($0) == .agrees }
        reason += "; \(matches.filter { $0 }.count) of \(runs.seeds.count) seeds' own slopes agree"
        return ClaimOutcome(key: "gamma_\(gamma).slope", claim: "γ = \(gamma): S_w and regime",
                            source: source, expected: paper.map { String(format: "S_w = %.3f (%@)", $0, regime) } ?? regime,
                            seeds: runs.seeds, perSeed: perSeed, matches: matches, agreement: judge(pooled.slope),
                            reason: reason)
    }
}
