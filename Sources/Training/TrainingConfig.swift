import Foundation
import Model

/// Where the training data comes from.
public enum DataSource: Codable, Equatable, Sendable {
    /// A built-in target of the papers' experiments, generated from the run's seed.
    case builtin(target: BuiltinTarget, n: Int?, nTest: Int?, inputDim: Int?)
    /// The user's own data: a CSV or HDF5 file (by extension), with an optional separate test file.
    case file(path: String, testPath: String?, xColumns: String?, yColumns: String?)
    /// An installed image data set (Fashion-MNIST), its first `n` training and `nTest` test images (nil: all).
    case dataset(name: BuiltinDataset, n: Int?, nTest: Int?)
}

/// The full resolved configuration of a training run. Stored as JSON in the run file's `config` attribute (as the
/// options that give it, see `StoredTrainOptions`), so `condense train --from run.h5` re-runs it.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var architecture: Architecture
    public var hiddenInit: InitScheme
    public var readoutInit: InitScheme
    public var optimizer: OptimizerConfig
    public var learningRateSchedule: LearningRateSchedule
    public var loss: LossKind
    public var steps: Int
    /// Stop as soon as the training loss (of the batch about to be used) is at or below this.
    public var stopLoss: Double?
    /// nil: full batch.
    public var batchSize: Int?
    public var data: DataSource
    public var snapshots: SnapshotSchedule
    public var seed: UInt64
    /// Deflate level for the weight datasets (nil: uncompressed, fastest).
    public var compression: Int?
    /// Input scaling and label encoding of the loaded data (nil: as loaded; a built-in data set then takes
    /// `DataPreprocessing.datasetDefault`). Absent from older run files, which decode it as nil.
    public var preprocessing: DataPreprocessing?

    public init(architecture: Architecture, hiddenInit: InitScheme, readoutInit: InitScheme,
                optimizer: OptimizerConfig, learningRateSchedule: LearningRateSchedule = .constant,
                loss: LossKind, steps: Int, stopLoss: Double? = nil, batchSize: Int? = nil, data: DataSource,
                snapshots: SnapshotSchedule, seed: UInt64, compression: Int? = nil,
                preprocessing: DataPreprocessing? = nil) {
        self.architecture = architecture; self.hiddenInit = hiddenInit; self.readoutInit = readoutInit
        self.optimizer = optimizer; self.learningRateSchedule = learningRateSchedule; self.loss = loss
        self.steps = steps; self.stopLoss = stopLoss; self.batchSize = batchSize; self.data = data
        self.snapshots = snapshots; self.seed = seed; self.compression = compression
        self.preprocessing = preprocessing
    }

    /// Checks everything that does not need the data; one-line errors.
    public func validate() throws {
        try architecture.validate()
        try optimizer.validate()
        guard steps >= 0 else { throw TrainingError.option("--steps must be ≥ 0 (got \(steps))") }
        if loss == .crossEntropy && architecture.outputDim == 1 {
            throw TrainingError.option("--loss cross-entropy needs at least 2 outputs (classes); the data has one target column: "
                                + "use --labels one-hot")
        }
        if let b = batchSize, b < 1 { throw TrainingError.option("--batch-size must be ≥ 1 (got \(b))") }
        if let s = stopLoss, !(s.isFinite && s >= 0) {
            throw TrainingError.option("--stop-loss must be a finite number ≥ 0 (got \(s))")
        }
        if let c = compression, !(0...9).contains(c) {
            throw TrainingError.option("--compress level must be 0…9 (got \(c))")
        }
        let snapshotCount = snapshots.countBound(total: steps)
        guard snapshotCount <= SnapshotSchedule.maximumCount else {
            throw TrainingError.option("--snapshots \(snapshots) over \(steps) steps would take about \(snapshotCount) snapshots, "
                                + "more than \(SnapshotSchedule.maximumCount): use a larger K or log:N")
        }
    }
    /// Updates per epoch over `rows` training samples: ⌈rows / batch size⌉, 1 at full batch.
    public func stepsPerEpoch(rows: Int) -> Int {
        let b = min(max(batchSize ?? rows, 1), max(rows, 1))
        return max(1, (rows + b - 1) / b)
    }
}

