import RunFormat

/// What a finished (or stopped) training run reports.
public struct TrainingSummary: Sendable {
    public var path: String
    public var status: RunStatus
    public var message: String
    public var steps: Int
    public var snapshots: Int
    public var trainLoss: Double
    public var testLoss: Double
    public var wallTime: Double
    public var stepsPerSecond: Double
}
