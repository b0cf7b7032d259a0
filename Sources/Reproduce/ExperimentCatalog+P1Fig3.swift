import Sweep

extension ExperimentCatalog {
    /// P1 Fig. 3: the residual net's layers 1…5 (x²tanh, xtanh, sigmoid, tanh, softplus), the step each is shown
    /// at, and its lines there.
    static let fig3Layers: [(activation: String, step: Int, lines: Int)] = [
        ("x2tanh", 1000, 3), ("xtanh", 900, 2), ("sigmoid", 900, 1), ("tanh", 1400, 1), ("softplus", 1400, 1),
    ]

    static let p1Fig3 = Experiment(
        id: "p1-fig3", figure: "P1 Fig. 3",
        summary: "residual 3-18x5-1 on sin3d (x2tanh, xtanh, sigmoid, tanh, softplus), N(0, 0.01²), Adam 4e-5: lines 3,2,1,1,1",
        sweep: { s in
            var fixed = Recipe.p1(std: 0.01, lr: 4e-5, steps: 1400, snapshots: "every:50")
            fixed["hidden"] = .string("18,18,18,18,18")
            fixed["activation"] = .list(fig3Layers.map { .string($0.activation) })
            fixed["residual"] = .bool(true)
            fixed["target"] = .string("sin3d")
            return try Recipe.sweep("p1-fig3", fixed, [], settings: s)
        },
        evaluate: { runs, _ in
            fig3Layers.enumerated().map { i, l in
                CountClaims.count(runs, key: "layer_\(i + 1).lines", claim: "layer \(i + 1) (\(l.activation)): condensed lines at step \(l.step)",
                                  source: "\(p1) Fig. 3", layer: "layer_\(i + 1)", step: l.step, lines: true,
                                  expected: l.lines)
            }
        })
}
