import Foundation

/// The training loss over a batch of n outputs f(x_i) ∈ R^d against targets y_i.
public enum LossKind: String, Codable, Sendable, CaseIterable {
    /// PyTorch's `MSELoss()` (reduction "mean"): L = Σ_i ‖f(x_i) − y_i‖² / (n·d).
    case mean
    /// The papers' R_S: L = Σ_i ‖f(x_i) − y_i‖² / (2n).
    case halfSum
    /// PyTorch's `CrossEntropyLoss()` (reduction "mean") from logits, with class-probability targets (one-hot rows
    /// give exactly the class-index form): L = −(1/n) Σ_i Σ_c y_ic · log_softmax(f(x_i))_c, with
    /// log_softmax(f)_c = f_c − (m + log Σ_k exp(f_k − m)), m = max_k f_k (no overflow for any finite logits).
    /// ∂L/∂f_ic = (softmax(f_i)_c · Σ_k y_ik − y_ic)/n.
    case crossEntropy

    /// The loss of `output` against `target` (both n×d row-major), writing ∂L/∂output into
    /// `gradient` when given (n×d; may not alias the inputs). No allocation.
    public func evaluate(output: UnsafeBufferPointer<Double>, target: UnsafeBufferPointer<Double>,
                         n: Int, outputDim d: Int,
                         gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let count = n * d
        precondition(output.count >= count && target.count >= count, "loss: buffers shorter than n·d")
        precondition((gradient?.count ?? count) >= count, "loss: gradient buffer shorter than n·d")
        guard count > 0 else { return 0 }
        if self == .crossEntropy {
            return Self.crossEntropy(output: output, target: target, n: n, outputDim: d, gradient: gradient)
        }
        let scale: Double, gradScale: Double
        switch self {
        case .mean: scale = 1 / Double(count); gradScale = 2 / Double(count)
        case .halfSum: scale = 1 / (2 * Double(n)); gradScale = 1 / Double(n)
        case .crossEntropy: preconditionFailure("handled above")
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

    /// Softmax cross-entropy, row by row: the log-sum-exp, then the row's loss Σ_c y_c (lse − f_c) and gradient.
    /// The sum over rows is divided by n at the end, as torch's mean reduction divides the summed losses.
    private static func crossEntropy(output: UnsafeBufferPointer<Double>, target: UnsafeBufferPointer<Double>,
                                     n: Int, outputDim d: Int, gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var total = 0.0
        let inverseN = 1 / Double(n)
        for i in 0..<n {
            let row = i * d
            var m = -Double.infinity
            for c in 0..<d { m = max(m, output[row + c]) }
            var sumExp = 0.0
            for c in 0..<d { sumExp += exp(output[row + c] - m) }
            let lse = m + log(sumExp)
            var rowLoss = 0.0, targetSum = 0.0
            for c in 0..<d { rowLoss += target[row + c] * (lse - output[row + c]); targetSum += target[row + c] }
            total += rowLoss
            if let gradient {
                for c in 0..<d {
                    gradient[row + c] = (exp(output[row + c] - lse) * targetSum - target[row + c]) * inverseN
                }
            }
        }
        return total / Double(n)
    }

    /// The `loss_kind` attribute of the run file's loss datasets.
    public var runFileName: String {
        switch self {
        case .mean: return "mean"
        case .halfSum: return "half_sum"
        case .crossEntropy: return "cross_entropy"
        }
    }

    /// Array convenience (allocates): the loss value only.
    public func value(output: [Double], target: [Double], n: Int, outputDim d: Int) -> Double {
        output.withUnsafeBufferPointer { o in
            target.withUnsafeBufferPointer { t in evaluate(output: o, target: t, n: n, outputDim: d, gradient: nil) }
        }
    }
}
