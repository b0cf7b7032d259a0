/// Which update rule, with PyTorch's semantics and defaults.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case sgd, adam }

    public var kind: Kind
    public var learningRate: Double
    /// SGD: momentum factor μ (0: plain SGD).
    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool
    /// L2 penalty added to the gradient (torch.optim.SGD / Adam `weight_decay`; not AdamW).
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var eps: Double

    public init(kind: Kind, learningRate: Double, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
                weightDecay: Double = 0, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        self.kind = kind; self.learningRate = learningRate; self.momentum = momentum; self.dampening = dampening
        self.nesterov = nesterov; self.weightDecay = weightDecay; self.beta1 = beta1; self.beta2 = beta2
        self.eps = eps
    }

    public static func sgd(learningRate: Double, momentum: Double = 0, nesterov: Bool = false) -> OptimizerConfig {
        OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: momentum, nesterov: nesterov)
    }

    public static func adam(learningRate: Double) -> OptimizerConfig {
        OptimizerConfig(kind: .adam, learningRate: learningRate)
    }

    public func validate() throws {
        func fail(_ s: String) -> TrainingError { TrainingError(s) }
        guard learningRate.isFinite, learningRate > 0 else {
            throw fail("the learning rate must be a positive number (got \(learningRate)); set it with --lr")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw fail("--weight-decay must be ≥ 0 (got \(weightDecay))") }
        switch kind {
        case .sgd:
            guard momentum.isFinite, momentum >= 0 else { throw fail("--momentum must be ≥ 0 (got \(momentum))") }
            guard dampening.isFinite, (0...1).contains(dampening) else { throw fail("dampening must be in [0, 1] (got \(dampening))") }
            if nesterov && (momentum <= 0 || dampening != 0) {
                throw fail("Nesterov momentum needs a momentum > 0 and no dampening")
            }
        case .adam:
            guard (0..<1).contains(beta1) else { throw fail("--beta1 must be in [0, 1) (got \(beta1))") }
            guard (0..<1).contains(beta2) else { throw fail("--beta2 must be in [0, 1) (got \(beta2))") }
            guard eps.isFinite, eps > 0 else { throw fail("--eps must be > 0 (got \(eps))") }
        }
    }
}

/// SGD (with momentum, dampening, Nesterov) and Adam, updating one flat parameter vector in place with exactly
/// the arithmetic of PyTorch's single-tensor (foreach=False) implementations:
///
/// - weight decay: g ← g + λ·p
/// - SGD momentum: b ← g on the first step, then b ← μ·b + (1−dampening)·g; the step uses g + μ·b (Nesterov)
///   or b; p ← p − η·step
/// - Adam: m ← m + (1−β₁)(g − m) (torch's lerp), v ← β₂·v + (1−β₂)·g²,
///   denom ← √v / √(1−β₂ᵗ) + ε, p ← p − (η / (1−β₁ᵗ)) · m / denom
///
/// Buffers are allocated once; `step` allocates nothing.
public final class Optimizer {
    public let config: OptimizerConfig
    public private(set) var stepCount = 0
    private var first: [Double]     // SGD momentum buffer, Adam exp_avg
    private var second: [Double]    // Adam exp_avg_sq

    public init(config: OptimizerConfig, parameterCount: Int) {
        self.config = config
        let needsFirst = config.kind == .adam || config.momentum != 0
        first = [Double](repeating: 0, count: needsFirst ? parameterCount : 0)
        second = [Double](repeating: 0, count: config.kind == .adam ? parameterCount : 0)
    }

    /// One update of `parameters` from `gradient` (which receives the weight-decay term in place).
    public func step(parameters p: UnsafeMutableBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>,
                     learningRate lr: Double) {
        precondition(p.count == g.count)
        let n = p.count
        let wd = config.weightDecay
        if wd != 0 { for i in 0..<n { g[i] += wd * p[i] } }
        stepCount += 1
        switch config.kind {
        case .sgd:
            let mu = config.momentum
            if mu == 0 {
                for i in 0..<n { p[i] -= lr * g[i] }
                return
            }
            let damp = 1 - config.dampening
            first.withUnsafeMutableBufferPointer { b in
                if stepCount == 1 {
                    for i in 0..<n { b[i] = g[i] }
                } else {
                    for i in 0..<n { b[i] = mu * b[i] + damp * g[i] }
                }
                if config.nesterov {
                    for i in 0..<n { p[i] -= lr * (g[i] + mu * b[i]) }
                } else {
                    for i in 0..<n { p[i] -= lr * b[i] }
                }
            }
        case .adam:
            let b1 = config.beta1, b2 = config.beta2, eps = config.eps
            let t = Double(stepCount)
            let bias1 = 1 - pow(b1, t)
            let bias2Sqrt = (1 - pow(b2, t)).squareRoot()
            let stepSize = lr / bias1
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    for i in 0..<n {
                        let gi = g[i]
                        m[i] += (gi - m[i]) * (1 - b1)
                        v[i] = v[i] * b2 + (1 - b2) * gi * gi
                        let denom = v[i].squareRoot() / bias2Sqrt + eps
                        p[i] -= stepSize * (m[i] / denom)
                    }
                }
            }
        }
    }

    /// Named state buffers (PyTorch's names) plus `step`.
    public func saveState() -> [String: [Double]] {
        var s: [String: [Double]] = ["step": [Double(stepCount)]]
        switch config.kind {
        case .sgd: if !first.isEmpty { s["momentum_buffer"] = first }
        case .adam: s["exp_avg"] = first; s["exp_avg_sq"] = second
        }
        return s
    }

    public func restoreState(_ s: [String: [Double]]) throws {
        guard let step = s["step"]?.first, step >= 0, step == step.rounded() else {
            throw TrainingError("optimizer state has no step count")
        }
        func take(_ name: String, into buffer: inout [Double]) throws {
            guard let values = s[name] else { throw TrainingError("optimizer state lacks '\(name)'") }
            guard values.count == buffer.count else {
                throw TrainingError("optimizer state '\(name)' has \(values.count) entries, expected \(buffer.count)")
            }
            buffer = values
        }
        switch config.kind {
        case .sgd: if !first.isEmpty { try take("momentum_buffer", into: &first) }
        case .adam: try take("exp_avg", into: &first); try take("exp_avg_sq", into: &second)
        }
        stepCount = Int(step)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
