/// The training loss over a batch of n outputs f(x_i) ∈ R^d against targets y_i.
public enum LossKind: String, Codable, Sendable, CaseIterable {
    /// PyTorch's `MSELoss()` (reduction "mean"): L = Σ_i ‖f(x_i) − y_i‖² / (n·d).
    case mean
    /// The papers' R_S: L = Σ_i ‖f(x_i) − y_i‖² / (2n).
    case halfSum

    /// The loss of `output` against `target` (both n×d row-major), writing ∂L/∂output into
    /// `gradient` when given (n×d; may not alias the inputs). No allocation.
    public func evaluate(output: UnsafeBufferPointer<Double>, target: UnsafeBufferPointer<Double>,
                         n: Int, outputDim d: Int,
                         gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let count = n * d
        precondition(output.count >= count && target.count >= count, "loss: buffers shorter than n·d")
        precondition((gradient?.count ?? count) >= count, "loss: gradient buffer shorter than n·d")
        guard count > 0 else { return 0 }
        let scale: Double, gradScale: Double
        switch self {
        case .mean: scale = 1 / Double(count); gradScale = 2 / Double(count)
        case .halfSum: scale = 1 / (2 * Double(n)); gradScale = 1 / Double(n)
        }
        var sum = 0.0
        if let gradient {
            for k in 0..<count {
                let e = output[k] - target[k]
                sum += e * e
                gradient[k] = gradScale * e
            }
        } else {
            for k in 0..<count { let e = output[k] - target[k]; sum += e * e }
        }
        return scale * sum
    }

    /// Array convenience (allocates): the loss value only.
    public func value(output: [Double], target: [Double], n: Int, outputDim d: Int) -> Double {
        output.withUnsafeBufferPointer { o in
            target.withUnsafeBufferPointer { t in evaluate(output: o, target: t, n: n, outputDim: d, gradient: nil) }
        }
    }
}
