/// The outcome of `SweepRunner.run`.
public struct SweepOutcome: Sendable {
    public var done, failed, pending: Int
    public var interrupted: Bool
    /// Runs this runner finished (started or resumed and completed).
    public var completedHere: Int
}
