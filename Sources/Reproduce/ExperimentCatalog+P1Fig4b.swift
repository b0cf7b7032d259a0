import Sweep

extension ExperimentCatalog {
    /// Training images of P1 Fig. 4(b): every image of the split (the paper's 100 epochs are 100 full-batch steps);
    /// the quick variant the first 2000, so that three seeds fit two cores in well under a minute.
    static func p1Fig4bImages(_ s: ReproduceSettings) -> Int { s.quick ? 2000 : 60_000 }

    /// P1 Fig. 4(b): the real-data panel. **Fashion-MNIST stands in for MNIST**, which no package here ships
    /// (same format and sizes); pixels scaled to [0, 1], the label's value (0…9) as the one output.
    static let p1Fig4b = Experiment(
        id: "p1-fig4b", figure: "P1 Fig. 4(b)",
        summary: "784-30-1 x2tanh on the scalar label of Fashion-MNIST (standing in for MNIST), N(0, 0.001²), Adam 5e-5: one line",
        sweep: { s in
            var fixed = Recipe.p1(std: 0.001, lr: 5e-5, steps: 100, snapshots: "every:10")
            fixed["hidden"] = .integer(30)
            fixed["activation"] = .string("x2tanh")
            fixed["dataset"] = .string("fashion-mnist")
            fixed["n-train"] = .integer(Int64(p1Fig4bImages(s)))
            return try Recipe.sweep("p1-fig4b", fixed, [], settings: s)
        },
        notes: { s in
            ["Fashion-MNIST stands in for MNIST, which no package here ships (apt-get install dataset-fashion-mnist)",
             "100 full-batch Adam steps over the first \(p1Fig4bImages(s)) training images" + (s.quick ? " (--quick; the full run uses all 60000)" : "")]
        },
        evaluate: { runs, _ in
            [CountClaims.count(runs, key: "lines_at_end", claim: "x2tanh on image data: condensed lines at step 100",
                               source: "\(p1) Fig. 4(b) (on Fashion-MNIST)", lines: true, expected: 1)]
        })
}
