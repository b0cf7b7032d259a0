import Foundation
import LinearAlgebra

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

    /// Shares long updates out (see `forEachChunk`); nil: the calling thread alone.
    let team: WorkerTeam?
    /// The scalars of the current step (`beginStep`).
    var current = StepConstants()

    /// An optimizer with zeroed state. Call `config.validate()` first for a readable error. With a `team`, long
    /// vectors are updated in one chunk per member, with the same bits as on one thread.
    public init(config: OptimizerConfig, parameterCount: Int, team: WorkerTeam? = nil) {
        precondition(parameterCount >= 0, "parameterCount must be ≥ 0")
        self.config = config
        self.parameterCount = parameterCount
        self.team = team.flatMap { $0.size > 1 ? $0 : nil }
        func zeros(_ n: Int) -> UnsafeMutableBufferPointer<Double> { HugePageMemory.zeroedDoubles(n) }
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
    /// step (the base rate after any schedule). `gradient` is only read, unless `zeroingGradient`: then each entry
    /// is set to +0 in the same pass that reads it, ready for `Network.backward(…, gradientIsZero: true)` (a store
    /// into lines the pass has in cache anyway, cheaper than the separate clearing pass BLAS would make). Does not
    /// allocate. Long vectors are split across the team (`forEachChunk`) with identical results.
    ///
    /// The same as `beginStep(learningRate:)` followed by `update` over the whole vector.
    public func step(parameters: UnsafeMutableBufferPointer<Double>,
                     gradient: UnsafeMutableBufferPointer<Double>,
                     learningRate: Double, zeroingGradient: Bool = false) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "optimizer for \(parameterCount) parameters got \(parameters.count) and \(gradient.count) values")
        beginStep(learningRate: learningRate)
        guard let p = parameters.baseAddress, let g = gradient.baseAddress else { return }
        forEachChunk(parameterCount) { range in
            update(range, parameters: p, gradient: g, zeroingGradient: zeroingGradient)
        }
    }

    /// Starts the next step at `learningRate`: the step count goes up by one and the step's scalars (Adam's bias
    /// corrections) are fixed. `update` then applies the step to parts of the vector, every index exactly once
    /// before the next `beginStep`, so that a caller can update parts of the vector on different threads or at
    /// different times (`step` does it in one chunk per team member).
    public func beginStep(learningRate lr: Double) {
        stepCount += 1
        switch config.kind {
        case .sgd:
            current.minusLearningRate = -lr
            current.firstMomentum = !momentumInitialized
            if config.momentum != 0 { momentumInitialized = true }
        case .adam:
            let beta1 = config.beta1, beta2 = config.beta2
            let t = Double(stepCount)
            let biasCorrection1 = 1 - Foundation.pow(beta1, t)
            let biasCorrection2 = 1 - Foundation.pow(beta2, t)
            let w = 1 - beta1
            current.adam = AdamConstants(wd: config.weightDecay, beta2: beta2, oneMinusBeta2: 1 - beta2, w: w,
                                         oneMinusW: 1 - w, minusStepSize: -(lr / biasCorrection1),
                                         biasCorrection2Sqrt: Foundation.pow(biasCorrection2, 0.5),
                                         reciprocalBiasCorrection2Sqrt: 1 / Foundation.pow(biasCorrection2, 0.5),
                                         eps: config.eps, wIsSmall: Swift.abs(w) < 0.5)
        }
    }

    /// Applies the step begun by `beginStep` to `range` of the flat vectors `parameters` and `gradient` (each of
    /// `parameterCount` values; see `step` for `zeroingGradient`). Calls for disjoint ranges may run on different
    /// threads at once. Does not allocate.
    public func update(_ range: Range<Int>, parameters p: UnsafeMutablePointer<Double>,
                       gradient g: UnsafeMutablePointer<Double>, zeroingGradient zero: Bool = false) {
        precondition(range.lowerBound >= 0 && range.upperBound <= parameterCount, "update: range out of bounds")
        switch config.kind {
        case .sgd: sgdUpdate(range, p, g, zero)
        case .adam:
            Self.adamKernel(p, g, expAvg.baseAddress!, expAvgSq.baseAddress!, range, current.adam,
                            zeroingGradient: zero)
        }
    }

    /// Vectors at least this long are updated in chunks by the team (see `forEachChunk`).
    public static let parallelThreshold = 1 << 17

    /// Runs `body` over `0..<count` split into contiguous chunks: one chunk (this thread) below
    /// `parallelThreshold` or without a team, else one chunk per team member (multiples of 8 long, the SIMD
    /// width of the kernels). The updates are elementwise, so the result is the same bit for bit however the
    /// range is split.
    func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
        guard let team, count >= Self.parallelThreshold else { body(0..<count); return }
        team.run { member in
            let chunk = WorkerTeam.share(of: count, member: member, of: team.size, alignment: 8)
            if !chunk.isEmpty { body(chunk) }
        }
    }

    private func sgdUpdate(_ range: Range<Int>, _ p: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                           _ zero: Bool) {
        let c = SGDConstants(wd: config.weightDecay, minusLearningRate: current.minusLearningRate, mu: config.momentum,
                             keep: 1 - config.dampening, first: current.firstMomentum, nesterov: config.nesterov)
        Self.sgdKernel(p, g, config.momentum == 0 ? nil : momentumBuffer.baseAddress!, range, c, zeroingGradient: zero)
    }

    /// The update kernels' vector: eight lanes, loaded from and stored to unaligned memory.
    typealias V = SIMD8<Double>

    @inline(__always)
    static func load(_ q: UnsafePointer<Double>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ x: V, _ q: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(q).storeBytes(of: x, as: V.self)
    }

    /// The per-step scalars of an SGD update.
    struct SGDConstants {
        var wd = 0.0, minusLearningRate = 0.0, mu = 0.0, keep = 1.0
        var first = true, nesterov = false
    }

    /// One pass of the SGD update over `range` (`buf` nil: no momentum): eight lanes at a time (`SIMD8`, no fused
    /// multiply–add, so each lane rounds exactly like the scalar tail), then the scalar tail, with the streams' lines
    /// asked for ahead (`Prefetch`). The update is memory-bound, so this gains only modestly over the per-element
    /// loop it replaced, which LLVM vectorized in part (`tools/bench/results.md`).
    @inline(__always)
    static func sgdKernel(_ p: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                          _ buf: UnsafeMutablePointer<Double>?, _ range: Range<Int>, _ c: SGDConstants,
                          zeroingGradient zero: Bool) {
        var i = range.lowerBound
        let vectorEnd = i + (range.count & ~(V.scalarCount - 1))
        while i < vectorEnd {
            let ahead = i + Prefetch.distance
            Prefetch.forWriting(p + ahead); Prefetch.forWriting(g + ahead)
            let pi = load(p + i)
            var gi = load(g + i)
            if zero { store(V(repeating: 0), g + i) }
            if c.wd != 0 { gi = gi + c.wd * pi }
            if let buf {
                Prefetch.forWriting(buf + ahead)
                let b = c.first ? gi : (load(buf + i) * c.mu) + c.keep * gi
                store(b, buf + i)
                gi = c.nesterov ? gi + c.mu * b : b
            }
            store(pi + c.minusLearningRate * gi, p + i)
            i += V.scalarCount
        }
        while i < range.upperBound {
            var gi = g[i]
            if zero { g[i] = 0 }
            if c.wd != 0 { gi = gi + c.wd * p[i] }
            if let buf {
                let b = c.first ? gi : (buf[i] * c.mu) + c.keep * gi
                buf[i] = b
                gi = c.nesterov ? gi + c.mu * b : b
            }
            p[i] = p[i] + c.minusLearningRate * gi
            i += 1
        }
    }

    /// The per-step scalars of an Adam update.
    struct AdamConstants {
        var wd = 0.0, beta2 = 0.0, oneMinusBeta2 = 0.0, w = 0.0, oneMinusW = 0.0, minusStepSize = 0.0
        var biasCorrection2Sqrt = 0.0, reciprocalBiasCorrection2Sqrt = 0.0, eps = 0.0
        var wIsSmall = true
    }

    /// The scalars of the step `beginStep` started.
    struct StepConstants {
        var minusLearningRate = 0.0
        var firstMomentum = true
        var adam = AdamConstants()
    }

    /// One fused pass of the Adam update over `range`: eight lanes at a time (`SIMD8`; IEEE sqrt and division
    /// are correctly rounded and there is no fused multiply–add, so each lane rounds exactly like the scalar
    /// tail), then the scalar tail. The square roots go through `VectorSquareRoot`, since `squareRoot()` is a
    /// libm call per lane on Linux, which kept this loop scalar.
    /// The division by the step's constant √(1 − β₂ᵗ) goes through `ExactQuotient`, which gives the division's
    /// bits without occupying the divider for most vectors. The four arrays' lines are asked for ahead
    /// (`Prefetch`).
    @inline(__always)
    static func adamKernel(_ p: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                           _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>,
                           _ range: Range<Int>, _ c: AdamConstants, zeroingGradient zero: Bool) {
        var i = range.lowerBound
        let vectorEnd = i + (range.count & ~(V.scalarCount - 1))
        while i < vectorEnd {
            let ahead = i + Prefetch.distance
            Prefetch.forWriting(p + ahead); Prefetch.forWriting(g + ahead)
            Prefetch.forWriting(m + ahead); Prefetch.forWriting(v + ahead)
            let pi = load(p + i)
            var gi = load(g + i)
            if zero { store(V(repeating: 0), g + i) }
            if c.wd != 0 { gi = gi + c.wd * pi }
            let mi = load(m + i)
            let mNew = c.wIsSmall ? mi + c.w * (gi - mi) : gi - (gi - mi) * c.oneMinusW
            store(mNew, m + i)
            let vNew = load(v + i) * c.beta2 + (c.oneMinusBeta2 * gi) * gi
            store(vNew, v + i)
            let denom = ExactQuotient.divide(VectorSquareRoot.of(vNew), by: c.biasCorrection2Sqrt,
                                             reciprocal: c.reciprocalBiasCorrection2Sqrt) + c.eps
            store(pi + (c.minusStepSize * mNew) / denom, p + i)
            i += V.scalarCount
        }
        while i < range.upperBound {
            var gi = g[i]
            if zero { g[i] = 0 }
            if c.wd != 0 { gi = gi + c.wd * p[i] }
            let mi = m[i]
            let mNew = c.wIsSmall ? mi + c.w * (gi - mi) : gi - (gi - mi) * c.oneMinusW
            m[i] = mNew
            let vNew = v[i] * c.beta2 + (c.oneMinusBeta2 * gi) * gi
            v[i] = vNew
            let denom = (VectorSquareRoot.of(vNew) / c.biasCorrection2Sqrt) + c.eps
            p[i] = p[i] + (c.minusStepSize * mNew) / denom
            i += 1
        }
    }
}
