import Sweep

extension ExperimentCatalog {
    /// One activation of P1 Fig. 2: its learning rate, multiplicity, panel and the picture at epoch 100.
    struct Fig2Panel: Sendable {
        var activation: String
        var lr: Double
        var p: Int?
        var panel: String
        var lines: Int
        /// Orientations when the paper states them (e.g. "2 opposite directions"), else nil.
        var orientations: Int?
    }

    /// P1 (Zhou et al. 2022) Fig. 2: the caption's panels (a)-(f) and lrs; tanh one line (2 orientations), xtanh 2
    /// lines, x²tanh 3 lines, ReLU 3 orientations of which 2 opposite (2 lines), sigmoid and softplus 2 opposite
    /// orientations (1 line).
    static let fig2Panels: [Fig2Panel] = [
        Fig2Panel(activation: "tanh", lr: 1e-3, p: 1, panel: "a", lines: 1, orientations: 2),
        Fig2Panel(activation: "xtanh", lr: 1e-3, p: 2, panel: "b", lines: 2, orientations: nil),
        Fig2Panel(activation: "x2tanh", lr: 1e-3, p: 3, panel: "c", lines: 3, orientations: nil),
        Fig2Panel(activation: "relu", lr: 1e-3, p: nil, panel: "d", lines: 2, orientations: 3),
        Fig2Panel(activation: "sigmoid", lr: 8e-4, p: 1, panel: "e", lines: 1, orientations: 2),
        Fig2Panel(activation: "softplus", lr: 2.5e-4, p: 1, panel: "f", lines: 1, orientations: 2),
    ]

    static let p1Fig2 = Experiment(
        id: "p1-fig2", figure: "P1 Fig. 2",
        summary: "5-50-1 on sin5d, N(0, 0.005²), Adam, 100 steps; six activations: lines at step 100, initial stage ≤ 2p",
        sweep: { s in
            var fixed = Recipe.p1(std: 0.005, steps: 100, snapshots: "every:10")
            fixed["hidden"] = .integer(50)
            fixed["target"] = .string("sin5d")
            return try Recipe.sweep("p1-fig2", fixed, [Recipe.zip([
                ("activation", fig2Panels.map { .string($0.activation) }),
                ("lr", fig2Panels.map { .number($0.lr) }),
            ])], settings: s)
        },
        evaluate: { runs, _ in
            fig2Panels.flatMap { panel -> [ClaimOutcome] in
                let f = ["activation": panel.activation]
                let source = "\(p1) Fig. 2(\(panel.panel))"
                var out = [CountClaims.count(runs, filter: f, key: "\(panel.activation).lines_at_end",
                                             claim: "\(panel.activation): condensed lines at step 100", source: source,
                                             lines: true, expected: panel.lines)]
                if let o = panel.orientations {
                    out.append(CountClaims.count(runs, filter: f, key: "\(panel.activation).orientations_at_end",
                                                 claim: "\(panel.activation): condensed orientations at step 100",
                                                 source: source, lines: false, expected: o))
                }
                out.append(CountClaims.initialWithinBound(runs, filter: f, key: "\(panel.activation).initial_within_2p", subject: panel.activation,
                                                          source: source, multiplicity: panel.p))
                return out
            }
        })
}
