import RunFormat
import Sweep

/// One experiment of a paper as a recipe: the runs to train (a sweep), and the claims to check on them.
///
/// Training experiments give `sweep`; the runner trains it through the Sweep machinery and hands `evaluate` the
/// analyzed runs. Theory experiments (no `sweep`) compute in-process inside `evaluate`, one simulation per seed.
public struct Experiment: Sendable {
    public let id: String
    /// The paper and figure, e.g. "P1 Fig. 2".
    public let figure: String
    /// One line: what is run and what is checked.
    public let summary: String
    /// The runs, or nil for an in-process theory check.
    public let sweep: (@Sendable (ReproduceSettings) throws -> SweepFile)?
    /// Analyze only the last snapshot of each run (the claims read nothing else; wide runs analyze much faster).
    public let lastSnapshotOnly: Bool
    /// Whether runs go through the condensation analysis; experiments whose claims read only `measure` (accuracy
    /// of deep classifiers) skip it: clustering every layer of a 50-layer net at its snapshots would cost time for
    /// facts no claim reads. Their runs carry no layers (`AnalyzedRun.layers` is empty, not nil).
    public let analyzes: Bool
    /// Measurements beyond the analysis, taken from each done run's file while it is open (name → value; NaN
    /// when a measurement has no value for that run), read by `evaluate` through `AnalyzedRun.measures`.
    public let measure: (@Sendable (RunReader) throws -> [String: Double])?
    /// The claims, judged on the analyzed runs.
    public let evaluate: @Sendable (ExperimentRuns, ReproduceSettings) throws -> [ClaimOutcome]
    /// Lines printed under the table (e.g. what --quick changed).
    public let notes: @Sendable (ReproduceSettings) -> [String]
    /// How the claims are judged, printed under the table: the share rule unless the experiment judges otherwise.
    public let rule: String

    public init(id: String, figure: String, summary: String,
                sweep: (@Sendable (ReproduceSettings) throws -> SweepFile)?, lastSnapshotOnly: Bool = false,
                analyzes: Bool = true,
                rule: String = Agreement.ruleText,
                measure: (@Sendable (RunReader) throws -> [String: Double])? = nil,
                notes: @escaping @Sendable (ReproduceSettings) -> [String] = { _ in [] },
                evaluate: @escaping @Sendable (ExperimentRuns, ReproduceSettings) throws -> [ClaimOutcome]) {
        self.id = id; self.figure = figure; self.summary = summary; self.sweep = sweep
        self.lastSnapshotOnly = lastSnapshotOnly; self.analyzes = analyzes; self.rule = rule; self.notes = notes; self.measure = measure
        self.evaluate = evaluate
    }
}
