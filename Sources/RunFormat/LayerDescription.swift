/// One layer of a run file: what `/layers/<name>` says about itself.
public struct LayerDescription: Equatable, Sendable {
    public enum Kind: String, Sendable { case hidden, readout }

    public var name: String
    public var kind: Kind
    /// 1-based position from the input side (the readout is L + 1).
    public var index: Int
    public var fanIn: Int
    public var width: Int
    public var hasBias: Bool
    /// Canonical activation spec (hidden layers).
    public var activation: String?
    /// p, or nil when undefined (ReLU) or unknown.
    public var multiplicity: Int?
    public var residual: Bool
    public var dropout: Double
    /// α of the readout (output = (1/α)·W (x, 1)).
    public var outputScale: Double

    /// Entries per input-weight vector: fan_in weights plus the bias.
    public var components: Int { fanIn + 1 }

    public init(name: String, kind: Kind, index: Int, fanIn: Int, width: Int, hasBias: Bool,
                activation: String? = nil, multiplicity: Int? = nil, residual: Bool = false,
                dropout: Double = 0, outputScale: Double = 1) {
        self.name = name; self.kind = kind; self.index = index; self.fanIn = fanIn; self.width = width
        self.hasBias = hasBias; self.activation = activation; self.multiplicity = multiplicity
        self.residual = residual; self.dropout = dropout; self.outputScale = outputScale
    }

    /// `layer_1 … layer_L`, then `readout`.
    public static func hiddenName(_ index: Int) -> String { "layer_\(index)" }
    public static let readoutName = "readout"
}

/// The per-snapshot scalars.
public struct SnapshotRecord: Equatable, Sendable {
    public var step: Int
    public var epoch: Double
    public var wallTime: Double
    public var trainLoss: Double
    public var testLoss: Double
    public var learningRate: Double
    public var diverged: Bool
    /// Classification runs: the share of correctly classified training / test samples (NaN otherwise; the
    /// `train_accuracy` / `test_accuracy` datasets exist only when the first snapshot written carries one).
    public var trainAccuracy: Double = .nan
    public var testAccuracy: Double = .nan
    public init(step: Int, epoch: Double, wallTime: Double, trainLoss: Double, testLoss: Double,
                learningRate: Double, diverged: Bool = false) {
        self.step = step; self.epoch = epoch; self.wallTime = wallTime; self.trainLoss = trainLoss
        self.testLoss = testLoss; self.learningRate = learningRate; self.diverged = diverged
    }
}

/// Everything `--resume` needs besides the parameters of the last snapshot.
public struct OptimizerSnapshot: Equatable, Sendable {
    public var kind: String
    public var step: Int
    public var optimizerSteps: Int
    public var buffers: [String: [Double]]
    public var rngDropout: [UInt64]
    public var rngShuffle: [UInt64]
    public var batchOrder: [Int]
    public var batchCursor: Int
    /// Which write of the run this state was (`OptimizerCheckpoint`): the larger, the newer; 0 for files written
    /// before checkpoints were double-buffered.
    public var generation = 0
    public init(kind: String, step: Int, optimizerSteps: Int, buffers: [String: [Double]],
                rngDropout: [UInt64], rngShuffle: [UInt64], batchOrder: [Int], batchCursor: Int) {
        self.kind = kind; self.step = step; self.optimizerSteps = optimizerSteps; self.buffers = buffers
        self.rngDropout = rngDropout; self.rngShuffle = rngShuffle; self.batchOrder = batchOrder
        self.batchCursor = batchCursor
    }
}
