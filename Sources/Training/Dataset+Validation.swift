import RunFormat

/// `Dataset` (declared in `RunFormat`, which stores it) is checked here: its initializers do not check;
/// `validate(_:)` does (the loaders and generators call it or build valid sets).
extension Dataset {
    /// Shapes agree, there is at least one sample, one input and one target column, and every value is finite.
    /// Throws a one-line `TrainingError` naming `what` (e.g. "data file train.csv") and the first bad value
    /// (samples and columns counted from 1).
    public func validate(_ what: String = "the data") throws {
        guard n >= 1 else { throw TrainingError.data("\(what) has no samples") }
        guard inputDim >= 1, outputDim >= 1 else {
            throw TrainingError.data("\(what) needs at least one input and one target column (has \(inputDim) and \(outputDim))")
        }
        guard x.count == n * inputDim, y.count == n * outputDim else {
            throw TrainingError.data("\(what): \(x.count) input and \(y.count) target values do not fit \(n) samples of "
                                + "\(inputDim) inputs and \(outputDim) targets")
        }
        if let i = x.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError.data("\(what): input \(i % inputDim + 1) of sample \(i / inputDim + 1) is \(x[i]); remove or fix it")
        }
        if let i = y.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError.data("\(what): target \(i % outputDim + 1) of sample \(i / outputDim + 1) is \(y[i]); remove or fix it")
        }
    }
}
