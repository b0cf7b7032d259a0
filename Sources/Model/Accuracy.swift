/// Classification accuracy: the share of rows whose largest output is at the target's largest entry (the class of a
/// one-hot row), first index on ties as `torch.argmax`. For d = 1 there are no classes; the result is NaN.
public enum Accuracy {
    public static func share(output: UnsafeBufferPointer<Double>, target: UnsafeBufferPointer<Double>,
                             n: Int, outputDim d: Int) -> Double {
        guard d >= 2, n >= 1 else { return .nan }
        precondition(output.count >= n * d && target.count >= n * d, "accuracy: buffers shorter than n·d")
        func argmax(_ b: UnsafeBufferPointer<Double>, _ row: Int) -> Int {
            var best = 0
            for c in 1..<d where b[row + c] > b[row + best] { best = c }
            return best
        }
        var correct = 0
        for i in 0..<n where argmax(output, i * d) == argmax(target, i * d) { correct += 1 }
        return Double(correct) / Double(n)
    }

    /// Array convenience (allocates nothing but reads the arrays).
    public static func share(output: [Double], target: [Double], n: Int, outputDim d: Int) -> Double {
        output.withUnsafeBufferPointer { o in target.withUnsafeBufferPointer { t in share(output: o, target: t, n: n, outputDim: d) } }
    }
}
