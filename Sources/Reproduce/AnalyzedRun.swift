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
