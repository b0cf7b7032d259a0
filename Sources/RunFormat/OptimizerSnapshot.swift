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
