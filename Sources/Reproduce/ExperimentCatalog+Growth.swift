import Sweep

extension ExperimentCatalog {
    /// Steps of the growth experiment: the authors' example trains to 10⁵; the quick variant to 10⁴.
    static func growthSteps(_ s: ReproduceSettings) -> Int { s.quick ? 10_000 : 100_000 }

    static let growth = Experiment(
        id: "growth", figure: "P3 (1-D ReLU example)",
        summary: "1-100-1 ReLU on tworelu1d, N(0, 1/m⁴), GD lr 0.1 to 10⁵ steps: the condensed-orientation count grows",
        sweep: { s in
            try Recipe.sweep("growth", [
                "hidden": .integer(100), "activation": .string("relu"), "target": .string("tworelu1d"),
                "n-test": .integer(0), "optimizer": .string("sgd"), "lr": .number(0.1), "gamma": .integer(4),
                "loss": .string("half-sum"), "steps": .integer(Int64(growthSteps(s))), "snapshots": .string("log:40"),
            ], [], settings: s)
        },
        notes: { s in s.quick ? ["--quick: \(growthSteps(s)) steps (the example runs to 100000)"] : [] },
        evaluate: { runs, _ in
            let growth = runs.perSeed { run -> Double? in
                guard let l = run.layer("layer_1"), let stage = l.stage, let last = l.finalOrientations else { return nil }
                return Double(last - stage.orientations)
            }
            let never = runs.perSeed { $0.layer("layer_1").map { $0.stage == nil ? 1 : 0 } }.filter { $0 == 1 }.count
            return [.counted(key: "orientation_growth",
                             claim: "condensed orientations grow during training (final − initial-stage count)",
                             source: "P3 (overview), 1-D ReLU example", expected: "> 0", seeds: runs.seeds,
                             perSeed: growth, matches: { $0 > 0 },
                             reason: [never > 0 ? "\(never) without an initial stage" : "", runs.problems()]
                                .filter { !$0.isEmpty }.joined(separator: "; "))]
        })
}
