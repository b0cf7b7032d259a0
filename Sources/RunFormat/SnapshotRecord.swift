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
