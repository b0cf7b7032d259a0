import Foundation
import Sweep

extension ExperimentCatalog {
    /// P2 Fig. 5's three γ on the γ' = 0 line, the regime the phase diagram puts there (as Fig. 3's), and our
    /// plain-gradient-descent step at each: γ = 0.5 needs the smaller one (its kernel grows like m^0.5).
    static let fig5Gammas: [(gamma: SweepValue, lr: Double, regime: String)] = [
        (.number(0.5), 0.0005, "linear"), (.integer(1), 0.005, "critical"), (.number(1.75), 0.005, "condensed"),
    ]
    /// Widths and training images: quick, full on this machine, and the paper's grid (the Slurm sweep file).
    static let fig5QuickWidths = [100, 200, 400], fig5Widths = [250, 500, 1000, 2000]
    static func fig5Images(_ s: ReproduceSettings) -> Int { s.quick ? 50 : 200 }
    static func fig5Steps(_ s: ReproduceSettings) -> Int { s.quick ? 5000 : 20000 }

    /// The options shared by the reproduction and `tools/sweeps/p2-fig5.json` (a test keeps the two the same):
    /// 784-m-1 ReLU on the scalar label (0…9) of Fashion-MNIST standing in for MNIST, pixels in [0, 1], hidden
    /// and readout N(0, m^−γ), loss 1/(2n)Σ(f − y)², gradient descent to P2's high-dimensional tolerance 10⁻⁴;
    /// snapshots at the first and last step only (RD needs no more, and a 250 000-wide snapshot is 1.6 GB).
    static let fig5Options: [String: SweepValue] = [
        "activation": .string("relu"), "dataset": .string("fashion-mnist"), "n-test": .integer(0),
        "optimizer": .string("sgd"), "loss": .string("half-sum"), "stop-loss": .number(1e-4),
        "snapshots": .string("list:0"),
    ]

    /// P2 Fig. 5: the phase diagram on real data, S_w = slope of log RD(θ_w*) against log m at γ = 0.5, 1, 1.75.
    /// Our notes do not give the figure's slopes, so each γ is judged on its regime; the widths are far below the
    /// paper's 1000…250 000 (`tools/sweeps/p2-fig5.json` is that grid for `condense sweep slurm`).
    static let p2Fig5 = Experiment(
        id: "p2-fig5", figure: "P2 Fig. 5",
        summary: "784-m-1 ReLU on the scalar label of Fashion-MNIST (standing in for MNIST), γ = 0.5, 1, 1.75, GD to loss 1e-4: the regime of S_w",
        sweep: { s in
            var fixed = fig5Options
            fixed["n-train"] = .integer(Int64(fig5Images(s)))
            fixed["steps"] = .integer(Int64(fig5Steps(s)))
            return try Recipe.sweep("p2-fig5", fixed, [
                Recipe.zip([("gamma", fig5Gammas.map(\.gamma)), ("lr", fig5Gammas.map { .number($0.lr) })]),
                Recipe.axis("hidden", (s.quick ? fig5QuickWidths : fig5Widths).map { .integer(Int64($0)) }),
            ], settings: s)
        },
        lastSnapshotOnly: true,
        rule: "agreement: the slope fitted over every run of all seeds agrees when its regime is the phase diagram's (no slope values to compare: our notes lack the figure's), else disagrees; a seed matches when its own slope does",
        notes: { s in
            let w = (s.quick ? fig5QuickWidths : fig5Widths).map(String.init).joined(separator: ", ")
            return ["Fashion-MNIST stands in for MNIST, which no package here ships",
                    "widths \(w) on the first \(fig5Images(s)) training images, at most \(fig5Steps(s)) steps"
                        + (s.quick ? " (--quick)" : "") + "; the paper's widths 1000…250000: tools/sweeps/p2-fig5.json with condense sweep slurm",
                    "a run that stops at its step limit before loss 1e-4 gives RD at that step",
                    "regime from S_w: linear below −\(PhaseDiagram.defaultTolerance), condensed above \(PhaseDiagram.defaultTolerance), critical between"]
        },
        evaluate: { runs, _ in
            fig5Gammas.map { g in
                slopeClaim(runs, gamma: g.gamma.label, paper: nil, regime: g.regime, source: "\(p2) Fig. 5 (on Fashion-MNIST)")
            }
        })
}
