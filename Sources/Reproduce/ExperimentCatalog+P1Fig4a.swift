import Sweep

extension ExperimentCatalog {
    static let p1Fig4a = Experiment(
        id: "p1-fig4a", figure: "P1 Fig. 4(a)",
        summary: "5-50-1 x2tanh on the low-frequency sin5d-low: 3 orientations (2 lines) at step 100, fewer than 2p = 6",
        sweep: { s in
            var fixed = Recipe.p1(std: 0.005, lr: 1e-3, steps: 100, snapshots: "every:10")
            fixed["hidden"] = .integer(50)
            fixed["activation"] = .string("x2tanh")
            fixed["target"] = .string("sin5d-low")
            return try Recipe.sweep("p1-fig4a", fixed, [], settings: s)
        },
        evaluate: { runs, _ in
            let source = "\(p1) Fig. 4(a)"
            let orientations = runs.perSeed { $0.layer("layer_1")?.finalOrientations.map(Double.init) }
            return [
                CountClaims.count(runs, key: "orientations_at_end", claim: "x2tanh, low frequency: condensed orientations at step 100",
                                  source: source, lines: false, expected: 3),
                CountClaims.count(runs, key: "lines_at_end", claim: "x2tanh, low frequency: condensed lines at step 100",
                                  source: source, lines: true, expected: 2),
                .counted(key: "fewer_than_2p", claim: "x2tanh, low frequency: fewer condensed orientations than 2p at step 100",
                         source: source, expected: "< 2p = 6 orientations", seeds: runs.seeds, perSeed: orientations,
                         matches: { $0 < 6 }, reason: runs.problems()),
            ]
        })
}
