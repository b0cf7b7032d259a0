/// One run of an experiment after the analysis: where it sits in the grid and the facts of its hidden layers.
public struct AnalyzedRun: Sendable, Equatable {
    public var seed: Int
    /// Every swept option's value at this run (option name → the value's text), e.g. "activation" → "tanh".
    public var labels: [String: String]
    /// nil when the run has no value (failed, not finished, or its analysis failed): see `problem`.
    public var layers: [LayerFacts]?
    public var finalLoss: Double
    /// The experiment's own measurements of this run (`Experiment.measure`), by name.
    public var measures: [String: Double]
    public var problem: String?

    public init(seed: Int, labels: [String: String], layers: [LayerFacts]?, finalLoss: Double = .nan,
                measures: [String: Double] = [:], problem: String? = nil) {
        self.seed = seed; self.labels = labels; self.layers = layers; self.finalLoss = finalLoss
        self.measures = measures; self.problem = problem
    }

    /// Whether every (option, value) of `filter` is this run's.
    public func matches(_ filter: [String: String]) -> Bool {
        filter.allSatisfy { option, value in labels[option] == value }
    }

    /// The hidden layer called `name` (layer_1, layer_2, …).
    public func layer(_ name: String) -> LayerFacts? { layers?.first { $0.name == name } }
}

/// The analyzed runs of one experiment and its seeds.
public struct ExperimentRuns: Sendable {
    public var seeds: [Int]
    public var runs: [AnalyzedRun]

    public init(seeds: [Int], runs: [AnalyzedRun]) { self.seeds = seeds; self.runs = runs }

    /// Per seed (in `seeds` order): `value` of the one run at that seed whose labels include `filter`; NaN when
    /// that run is missing, has no value, or `value` gives nil.
    public func perSeed(_ filter: [String: String] = [:], _ value: (AnalyzedRun) -> Double?) -> [Double] {
        seeds.map { s in
            guard let run = runs.first(where: { $0.seed == s && $0.matches(filter) }),
                  run.layers != nil else { return .nan }
            return value(run) ?? .nan
        }
    }

    /// The runs matching `filter`, all seeds.
    public func runs(_ filter: [String: String]) -> [AnalyzedRun] {
        runs.filter { $0.matches(filter) }
    }

    /// Why runs matching `filter` have no value, as one short phrase ("" when all have one).
    public func problems(_ filter: [String: String] = [:]) -> String {
        let p = runs(filter).compactMap(\.problem)
        guard let first = p.first else { return "" }
        return p.count == 1 ? "1 run without a value: \(first)" : "\(p.count) runs without a value, e.g. \(first)"
    }
}
