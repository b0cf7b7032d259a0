import LinearAlgebra

extension Network {
    /// Backward pass for the forward pass last run in `workspace`: given dY = ∂L/∂output
    /// (n × outputDim), **overwrites** `gradient` with ∂L/∂parameters (same layout as the
    /// parameters; disabled bias columns get exactly 0). Uses the dropout masks of that forward
    /// pass. No allocation.
    ///
    /// With `gradientIsZero` the caller promises that `gradient` holds +0 in every entry (as
    /// `Optimizer.step(…, zeroingGradient: true)` leaves it): the weight-gradient products then add into it
    /// (β = 1) instead of overwriting it, which skips the pass in which BLAS clears C for β = 0, a large share of
    /// a wide layer's product (`tools/bench/results.md`). The result is the same bit for bit:
    /// BLAS's β = 0 path also clears C and then adds the product to it.
    ///
    ///     ∂W_out = (1/α)·dYᵀ·A_L,          G_L = (1/α)·dY·W̄_out
    ///     δ_l = G_l ⊙ σ'(Z_l) ⊙ M_l,       ∂W_l = δ_lᵀ·A_{l−1}
    ///     G_{l−1} = δ_l·W̄_l + [residual] G_l
    /// (W̄ = the block without its bias column, A = ones-augmented representations.)
    public func backward(outputGradient dY: UnsafeBufferPointer<Double>, parameters: Parameters,
                         workspace ws: Workspace, gradient: Parameters, gradientIsZero: Bool = false) {
        let arch = architecture
        let n = ws.batchSize
        precondition(n >= 1, "backward: run forward first")
        precondition(gradient.layout == parameters.layout && parameters.architecture == arch,
                     "backward: gradient or parameters built for another architecture")
        precondition(dY.count >= n * arch.outputDim, "backward: output gradient shorter than n·outputDim")
        let L = arch.depth
        let invAlpha = 1 / arch.outputScale

        // Readout. With one output (the usual case) both products are rank one: ∂W_out is a gemv and
        // G_L = (1/α)·dY·w̄ᵀ is not formed unless a residual needs it; the first δ is built directly.
        let kOut = parameters.layout[L].cols
        let single = arch.outputDim == 1
        if single {
            BLAS.gemv(.transpose, m: n, n: kOut, alpha: invAlpha, a: ws.augmented[L], lda: kOut,
                      x: dY.baseAddress!, y: gradient.pointer(layer: L))
        } else {
            BLAS.gemm(.transpose, .none, m: arch.outputDim, n: kOut, k: n, alpha: invAlpha,
                      a: dY.baseAddress!, lda: arch.outputDim, b: ws.augmented[L], ldb: kOut,
                      c: gradient.pointer(layer: L), ldc: kOut)
        }
        var g = ws.backprop.0, spare = ws.backprop.1
        // A residual last hidden layer passes G_L itself down, so it needs it formed.
        let fuse = single && !(L >= 2 && arch.isResidual(hiddenLayer: L - 1))
        if !fuse {
            BLAS.gemm(.none, .none, m: n, n: kOut - 1, k: arch.outputDim, alpha: invAlpha,
                      a: dY.baseAddress!, lda: arch.outputDim, b: parameters.pointer(layer: L), ldb: kOut,
                      c: g, ldc: kOut - 1)
        }

        for l in stride(from: L - 1, through: 0, by: -1) {
            let m = arch.hiddenWidths[l], cols = parameters.layout[l].cols
            let delta = ws.delta, dz = ws.derivative[l], input = ws.augmented[l]
            let mask: UnsafeMutablePointer<Double>? = ws.maskApplied[l] ? ws.mask[l] : nil
            let dW = gradient.pointer(layer: l), first = fuse && l == L - 1
            let w = parameters.pointer(layer: L), g0 = g
            // The first hidden layer below a single output: δ is needed only for ∂W, and the kernel forms it panel
            // by panel of 8 neurons (the same bits as `multiply`) at δ + lo·n, which is free then: (lo + 8)·n fits in
            // the δ buffer's capacity·(widest + 8), and blocks start at least 16 neurons apart.
            let formsDelta = first && l == 0 && ws.ownKernel[l]
            // δ and ∂W block by block of this layer's neurons (see `Workspace.blocks`).
            ws.forEach(ws.blocks(layer: l, rows: n), perNeuron: n * cols) { neurons in
                let lo = neurons.lowerBound, width = neurons.count
                if formsDelta {
                    SmallProducts.multiplyTransposingFirst(
                        n: n, m: width, k: cols, scale: invAlpha, rowFactors: dY.baseAddress!, columnFactors: w + lo,
                        e: dz + lo, lde: m + 1, mask: mask.map { UnsafePointer($0 + lo) }, ldmask: m, a: input,
                        lda: cols, g: dW + lo * cols, ldg: cols, panel: delta + lo * n)
                    return
                }
                for i in 0..<n {
                    let at = i * m + lo
                    if first {
                        // δ[i, j] = ((1/α)·dY[i]) · w̄[j] · σ'(Z)[i, j] (· mask)
                        Self.multiply(invAlpha * dY[i], w + lo, dz + i * (m + 1) + lo, mask.map { $0 + at },
                                      into: delta + at, count: width)
                    } else {
                        // σ' has rows of m + 1 (see `Workspace`).
                        Self.multiply(1, g0 + at, dz + i * (m + 1) + lo, mask.map { $0 + at }, into: delta + at,
                                      count: width)
                    }
                }
                if ws.ownKernel[l] {
                    // Short inner dimension: register-blocked ∂W = δᵀ·A, summed over the rows in order, overwriting.
                    // Its panel for the last m mod 8 neurons goes after δ's n·m entries (room for 8·n more); only the
                    // last block can have such neurons (the others are multiples of 16 wide).
                    SmallProducts.multiplyTransposingFirst(n: n, m: width, k: cols, d: delta + lo, ldd: m, a: input,
                                                           lda: cols, g: dW + lo * cols, ldg: cols,
                                                           panel: delta + n * m)
                } else if let gt = ws.transposed[l] {
                    // Small layer: ∂Wᵀ = Aᵀ·δ, then transposed into place (see `Workspace.smallProductLimit`).
                    BLAS.gemm(.transpose, .none, m: cols, n: width, k: n, a: input, lda: cols, b: delta + lo, ldb: m,
                              c: gt + lo, ldc: m)
                    BLAS.transpose(rows: cols, cols: width, a: gt + lo, lda: m, into: dW + lo * cols, ldb: cols)
                } else {
                    BLAS.gemm(.transpose, .none, m: width, n: cols, k: n, a: delta + lo, lda: m, b: input, ldb: cols,
                              beta: gradientIsZero ? 1 : 0, c: dW + lo * cols, ldc: cols)
                }
            }
            if l > 0 {
                // G_{l−1} = δ·W̄_l (+ G_l for a residual pair, in place), block by block of layer l − 1's neurons.
                let residual = arch.isResidual(hiddenLayer: l)
                let target = residual ? g : spare, wl = parameters.pointer(layer: l), ld = cols - 1
                ws.forEach(ws.blocks(layer: l - 1, rows: n), perNeuron: n * m) { neurons in
                    let lo = neurons.lowerBound
                    BLAS.gemm(.none, .none, m: n, n: neurons.count, k: m, a: delta, lda: m, b: wl + lo, ldb: cols,
                              beta: residual ? 1 : 0, c: target + lo, ldc: ld)
                }
                if !residual { swap(&g, &spare) }
            }
        }
        gradient.zeroDisabledBiases()
    }

    /// Forward, loss and backward in one call: returns the loss of the n rows of `x` against the
    /// n × outputDim targets `y` and overwrites `gradient` with its gradient. The dropout masks
    /// (when `training`) come from `rng`. No allocation. `gradientIsZero`: see `backward`.
    @discardableResult
    public func lossAndGradient(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, n: Int,
                                loss: LossKind, parameters: Parameters, gradient: Parameters,
                                workspace ws: Workspace, training: Bool, rng: inout Xoshiro256,
                                gradientIsZero: Bool = false) -> Double {
        let out = forward(x, n: n, parameters: parameters, workspace: ws, training: training, dropoutRNG: &rng)
        return lossAndBackward(out, y: y, n: n, loss: loss, parameters: parameters, gradient: gradient, workspace: ws,
                               gradientIsZero: gradientIsZero)
    }

    /// `lossAndGradient` on the `n` input rows that `Workspace.stageInput(rows:of:)` gathered into `workspace`
    /// (the same bits as passing those rows as `x`). No allocation.
    @discardableResult
    public func lossAndGradient(stagedRows n: Int, y: UnsafeBufferPointer<Double>, loss: LossKind,
                                parameters: Parameters, gradient: Parameters, workspace ws: Workspace, training: Bool,
                                rng: inout Xoshiro256, gradientIsZero: Bool = false) -> Double {
        let out = forward(stagedRows: n, parameters: parameters, workspace: ws, training: training, dropoutRNG: &rng)
        return lossAndBackward(out, y: y, n: n, loss: loss, parameters: parameters, gradient: gradient, workspace: ws,
                               gradientIsZero: gradientIsZero)
    }

    /// The loss of the last forward pass's output `out` against `y`, then the backward pass from its gradient.
    private func lossAndBackward(_ out: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, n: Int,
                                 loss: LossKind, parameters: Parameters, gradient: Parameters, workspace ws: Workspace,
                                 gradientIsZero: Bool) -> Double {
        let count = n * architecture.outputDim
        let dY = UnsafeMutableBufferPointer(start: ws.outputGradient, count: count)
        let value = loss.evaluate(output: out, target: y, n: n, outputDim: architecture.outputDim, gradient: dY)
        backward(outputGradient: UnsafeBufferPointer(dY), parameters: parameters, workspace: ws, gradient: gradient,
                 gradientIsZero: gradientIsZero)
        return value
    }

    /// The loss only (inference forward pass, no dropout). No allocation.
    public func loss(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, n: Int,
                     loss: LossKind, parameters: Parameters, workspace: Workspace) -> Double {
        let out = forward(x, n: n, parameters: parameters, workspace: workspace)
        return loss.evaluate(output: out, target: y, n: n, outputDim: architecture.outputDim, gradient: nil)
    }

    /// out[k] = ((s·a[k])·b[k])·mask[k] (without the mask when nil; with s = 1 the product s·a[k] is exact, so
    /// this is a[k]·b[k]·mask[k]), four lanes at a time (no fused multiply–add: the same bits as a scalar loop).
    @inline(__always)
    static func multiply(_ s: Double, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                         _ mask: UnsafeMutablePointer<Double>?, into out: UnsafeMutablePointer<Double>, count: Int) {
        typealias V = SIMD4<Double>
        @inline(__always) func load(_ p: UnsafePointer<Double>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        let sv = V(repeating: s)
        var k = 0
        let end = count & ~3
        if let mask {
            while k < end {
                let r = ((sv * load(a + k)) * load(b + k)) * load(mask + k)
                UnsafeMutableRawPointer(out + k).storeBytes(of: r, as: V.self)
                k += 4
            }
            while k < count { out[k] = ((s * a[k]) * b[k]) * mask[k]; k += 1 }
        } else {
            while k < end {
                let r = (sv * load(a + k)) * load(b + k)
                UnsafeMutableRawPointer(out + k).storeBytes(of: r, as: V.self)
                k += 4
            }
            while k < count { out[k] = (s * a[k]) * b[k]; k += 1 }
        }
    }
}
