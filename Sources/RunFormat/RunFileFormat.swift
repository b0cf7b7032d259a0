/// Names and version of the run-file layout described in FORMAT.md. A layout change happens here or nowhere.
public enum RunFileFormat {
    public static let name = "condense.run"
    public static let major = 1
    public static let minor = 2
    public static var version: String { "\(major).\(minor)" }

    /// Condense's own version, written as `creator`.
    public static let toolVersion = "0.1.0"

    // Dimension names.
    /// The snapshot dimension: since format 1.2 named `step`, its dimension scale the `/step` dataset (the training
    /// step of each snapshot), so netCDF readers index snapshots by step.
    public static let snapshotDim = "step"
    /// `/snapshot`, the snapshot index 0, 1, …: an ordinary variable along `step` since 1.2; in 1.0 and 1.1 the
    /// snapshot dimension itself (named `snapshot`, with `/step` a variable along it).
    public static let snapshotIndexName = "snapshot"
    /// `/analysis`'s own snapshot dimension (format 1.2): the steps of the analyzed snapshots, a subset of the run's
    /// when `condense analyze --snapshots` chose some; a name of its own so that it never clashes with the run's.
    public static let analyzedStepDim = "analyzed_step"
    public static let iterationDim = "iteration"
    public static let neuronDim = "neuron"
    public static let outputDim = "output"
    public static let componentDim = "component"
    public static let sampleDim = "sample"
    public static let inputDim = "input"
    public static let parameterDim = "parameter"
    public static let rngWordDim = "rng_word"
    public static let batchPositionDim = "batch_position"

    /// The dimension of an `/optimizer` dataset: generator states over `rng_word`, the batch order over
    /// `batch_position`, every state buffer over `parameter`.
    public static func optimizerDimension(of dataset: String) -> String {
        switch dataset {
        case "rng_dropout", "rng_shuffle": return rngWordDim
        case "batch_order": return batchPositionDim
        default: return parameterDim
        }
    }

    /// Per-snapshot variables in the root group.
    public static let snapshotVariables = ["step", "epoch", "wall_time", "train_loss", "test_loss",
                                           "learning_rate", "diverged"]
    /// Optional per-snapshot variables of classification runs (after `snapshotVariables` in the file's order).
    public static let accuracyVariables = ["train_accuracy", "test_accuracy"]
}
