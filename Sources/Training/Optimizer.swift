import Foundation

/// An in-place optimizer over one flat parameter vector with the semantics of `torch.optim.SGD` and
/// `torch.optim.Adam` (CPU, single-tensor `foreach=False`, non-fused, non-amsgrad, not maximizing).
///
/// All state buffers are allocated once in `init`; `step` does not allocate.
///
/// The floating-point operations follow the scalar lambdas of PyTorch's CPU kernels (`add(…, alpha)`, `mul_`,
/// `lerp_`, `addcmul_`, `addcdiv_`) in the order `_single_tensor_sgd` / `_single_tensor_adam` call them,
/// elementwise:
///
/// SGD (μ momentum, d dampening, λ weight decay, η learning rate):
/// ```
/// g ← g + λ·θ                                        if λ ≠ 0
/// buf ← g on the first step, else (buf·μ) + (1 − d)·g   if μ ≠ 0
/// g ← g + μ·buf (Nesterov), or g ← buf                if μ ≠ 0
/// θ ← θ + (−η)·g
/// ```
/// Adam (t = the step count after this step):
/// ```
/// g ← g + λ·θ                                        if λ ≠ 0
/// m ← lerp(m, g, w), w = 1 − β₁:  m + w·(g − m) if |w| < 0.5, else g − (g − m)·(1 − w)
/// v ← (v·β₂) + ((1 − β₂)·g)·g
/// c₁ = 1 − β₁^t,  c₂ = 1 − β₂^t,  s = η / c₁
/// θ ← θ + ((−s)·m) / ((√v / c₂^0.5) + ε)
/// ```
/// `lerp` equals the textbook `m = β₁m + (1 − β₁)g` up to rounding; PyTorch ≥ 2.0 uses it. PyTorch's
/// *vectorized* CPU kernels evaluate `add(…, alpha)` and `lerp` with fused multiply–add, so elements that a torch
/// build processes in SIMD lanes can differ from this (and from torch's own scalar tail) in the last bit.
public final class Optimizer {
    public let config: OptimizerConfig
    public let parameterCount: Int
    /// Completed `step` calls (PyTorch's `state['step']`).
    public internal(set) var stepCount = 0

    /// SGD momentum buffer (empty when μ = 0 and for Adam).
    let momentumBuffer: UnsafeMutableBufferPointer<Double>
    /// Whether `momentumBuffer` holds a value yet (PyTorch's `momentum_buffer is None` test).
    var momentumInitialized = false
    /// Adam first moment m (`exp_avg`); empty for SGD.
    let expAvg: UnsafeMutableBufferPointer<Double>
    /// Adam second moment v (`exp_avg_sq`); empty for SGD.
    let expAvgSq: UnsafeMutableBufferPointer<Double>

    /// An optimizer with zeroed state. Call `config.validate()` first for a readable error.
    public init(config: OptimizerConfig, parameterCount: Int) {
        precondition(parameterCount >= 0, "parameterCount must be ≥ 0")
        self.config = config
        self.parameterCount = parameterCount
        func zeros(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
            b.initialize(repeating: 0)
            return b
        }
        momentumBuffer = zeros(config.kind == .sgd && config.momentum != 0 ? parameterCount : 0)
        expAvg = zeros(config.kind == .adam ? parameterCount : 0)
        expAvgSq = zeros(config.kind == .adam ? parameterCount : 0)
    }

    deinit {
        momentumBuffer.deallocate()
        expAvg.deallocate()
        expAvgSq.deallocate()
    }

    /// Updates `parameters` in place from `gradient` (∂loss/∂θ in the same layout) with the learning rate of this
    /// step (the base rate after any schedule). `gradient` is only read. Does not allocate.
    public func step(parameters: UnsafeMutableBufferPointer<Double>,
                     gradient: UnsafeMutableBufferPointer<Double>,
                     learningRate: Double) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "optimizer for \(parameterCount) parameters got \(parameters.count) and \(gradient.count) values")
        switch config.kind {
        case .sgd: sgdStep(parameters, UnsafeBufferPointer(gradient), learningRate)
        case .adam: adamStep(parameters, UnsafeBufferPointer(gradient), learningRate)
        }
    }

    private func sgdStep(_ p: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>, _ lr: Double) {
        stepCount += 1
        let wd = config.weightDecay
        let minusLR = -lr
        let mu = config.momentum
        if mu == 0 {
            for i in 0..<parameterCount {
                var gi = g[i]
                if wd != 0 { gi = gi + wd * p[i] }
                p[i] = p[i] + minusLR * gi
            }
            return
        }
        let buf = momentumBuffer
        let keep = 1 - config.dampening
        let first = !momentumInitialized
        let nesterov = config.nesterov
        for i in 0..<parameterCount {
            var gi = g[i]
            if wd != 0 { gi = gi + wd * p[i] }
            let b = first ? gi : (buf[i] * mu) + keep * gi
            buf[i] = b
            gi = nesterov ? gi + mu * b : b
            p[i] = p[i] + minusLR * gi
        }
        momentumInitialized = true
    }

    private func adamStep(_ p: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>, _ lr: Double) {
        stepCount += 1
        let wd = config.weightDecay
        let beta1 = config.beta1, beta2 = config.beta2, eps = config.eps
        let t = Double(stepCount)
        let biasCorrection1 = 1 - Foundation.pow(beta1, t)
        let biasCorrection2 = 1 - Foundation.pow(beta2, t)
        let minusStepSize = -(lr / biasCorrection1)
        let biasCorrection2Sqrt = Foundation.pow(biasCorrection2, 0.5)
        let w = 1 - beta1
        let wIsSmall = Swift.abs(w) < 0.5
        let oneMinusW = 1 - w
        let oneMinusBeta2 = 1 - beta2
        let m = expAvg, v = expAvgSq
        for i in 0..<parameterCount {
            var gi = g[i]
            if wd != 0 { gi = gi + wd * p[i] }
            let mi = m[i]
            let mNew = wIsSmall ? mi + w * (gi - mi) : gi - (gi - mi) * oneMinusW
            m[i] = mNew
            let vScaled = v[i] * beta2
            let vNew = vScaled + (oneMinusBeta2 * gi) * gi
            v[i] = vNew
            let denom = (vNew.squareRoot() / biasCorrection2Sqrt) + eps
            p[i] = p[i] + (minusStepSize * mNew) / denom
        }
    }
}
