/// Inputs and targets, row-major: `x` is n × inputDim, `y` is n × outputDim.
public struct Dataset: Sendable, Equatable {
    public var x: [Double]
    public var y: [Double]
    public var n: Int
    public var inputDim: Int
    public var outputDim: Int

    public init(x: [Double], y: [Double], n: Int, inputDim: Int, outputDim: Int) {
        self.x = x; self.y = y; self.n = n; self.inputDim = inputDim; self.outputDim = outputDim
    }

    /// Shapes agree and every value is finite; `what` names the data in the error.
    public func validate(_ what: String) throws {
        guard n >= 1 else { throw TrainingError("\(what) has no samples") }
        guard inputDim >= 1, outputDim >= 1 else { throw TrainingError("\(what) needs at least one input and one target column") }
        guard x.count == n * inputDim, y.count == n * outputDim else {
            throw TrainingError("\(what): \(x.count) input and \(y.count) target values do not fit \(n) samples")
        }
        if let i = x.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError("\(what): input of sample \(i / inputDim + 1), column \(i % inputDim + 1) is \(x[i]); remove or fix it")
        }
        if let i = y.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError("\(what): target of sample \(i / outputDim + 1) is \(y[i]); remove or fix it")
        }
    }
}
