/// The losses of one snapshot, as every trainer keeps them (`Trainer.history`).
public struct LossRecord: Sendable, Equatable {
    public var step: Int
    public var trainLoss: Double
    /// NaN without a test set.
    public var testLoss: Double
}
