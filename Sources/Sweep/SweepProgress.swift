/// What a runner is showing: counts over the runs it was asked for and an estimate of the time left.
public struct SweepProgress: Sendable {
    public var done, failed, running, pending: Int
    public var secondsLeft: Double
}
