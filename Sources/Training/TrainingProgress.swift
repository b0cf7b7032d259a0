/// Progress as the trainer reports it to whoever shows it (`Trainer.onProgress`).
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var loss: Double
    public var stepsPerSecond: Double
}
