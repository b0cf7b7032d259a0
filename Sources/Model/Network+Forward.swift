import Foundation
import LinearAlgebra

extension Network {
    /// Forward pass on `n` rows of `x` (n × inputDim row-major), into `workspace`.
    ///
    /// Returns the n × outputDim output (a view into the workspace, valid until its next use).
    /// With `training` true, hidden layers with a dropout rate r > 0 multiply their output by a
    /// fresh inverted-dropout mask (entry 1/(1−r) with probability 1−r, else 0), drawn from
    /// `dropoutRNG` layer by layer, row-major: an entry is dropped when `nextUniform() < r`. With
    /// `training` false no mask is used and `dropoutRNG` is not touched. No allocation.
    @discardableResult
    public func forward(_ x: UnsafeBufferPointer<Double>, n: Int, parameters: Parameters,
                        workspace ws: Workspace, training: Bool,
                        dropoutRNG: inout Xoshiro256) -> UnsafeBufferPointer<Double> {
        let arch = architecture
        precondition(ws.architecture == arch && parameters.architecture == arch,
                     "forward: workspace or parameters built for another architecture")
        precondition(n >= 1 && n <= ws.capacity, "forward: batch of \(n) rows for a workspace of \(ws.capacity)")
        precondition(x.count >= n * arch.inputDim, "forward: input holds \(x.count) values, need \(n * arch.inputDim)")

        // A₀ = (X, 1)
        let d = arch.inputDim
        let a0 = ws.augmented[0]
        for i in 0..<n {
            (a0 + i * (d + 1)).update(from: x.baseAddress! + i * d, count: d)
            a0[i * (d + 1) + d] = 1
        }
        ws.stagedRows = 0
        return forwardFromInput(n: n, parameters: parameters, workspace: ws, training: training,
                                dropoutRNG: &dropoutRNG)
    }

    /// Forward pass on the `n` input rows that `Workspace.stageInput(rows:of:)` gathered into `workspace` (the same
    /// pass, and the same bits, as `forward` on those rows: it only skips copying them in once more). No allocation.
    @discardableResult
    public func forward(stagedRows n: Int, parameters: Parameters, workspace ws: Workspace, training: Bool,
                        dropoutRNG: inout Xoshiro256) -> UnsafeBufferPointer<Double> {
        precondition(ws.architecture == architecture && parameters.architecture == architecture,
                     "forward: workspace or parameters built for another architecture")
        precondition(n >= 1 && n == ws.stagedRows, "forward: \(n) staged rows asked for, \(ws.stagedRows) staged")
        return forwardFromInput(n: n, parameters: parameters, workspace: ws, training: training,
                                dropoutRNG: &dropoutRNG)
    }

    /// The layers of a forward pass whose n input rows are in place in `augmented[0]`.
    private func forwardFromInput(n: Int, parameters: Parameters, workspace ws: Workspace, training: Bool,
                                  dropoutRNG: inout Xoshiro256) -> UnsafeBufferPointer<Double> {
        let arch = architecture
        ws.batchSize = n
        for l in 0..<arch.depth {
            let fanIn = parameters.layout[l].fanIn, m = arch.hiddenWidths[l]
            let input = ws.augmented[l], out = ws.augmented[l + 1], z = ws.z[l], dz = ws.derivative[l]
            // Z in rows of m + 1, like the augmented output: σ and σ' then map straight into it (no copy per row,
            // once a visible share of a small network's step), and the ones column is set after. Z's last column is
            // never written by the product (it stays as initialized, 0), so σ there is finite and then overwritten.
            let w = parameters.pointer(layer: l), k = fanIn + 1
            let blocks = ws.blocks(layer: l, rows: n)
            let act = activations[l]
            ws.forEach(blocks, perNeuron: n * k) { cols in
                let lo = cols.lowerBound, width = cols.count
                if let panel = ws.panel[l] {
                    // Short inner dimension: register-blocked Z = A·Wᵀ (see `Workspace.kernelInnerLimit`).
                    SmallProducts.multiplyTransposed(n: n, m: width, k: k, a: input, lda: k, w: w + lo * k, ldw: k,
                                                     c: z + lo, ldc: m + 1, panel: panel + lo * k)
                } else if let wt = ws.transposed[l] {
                    // Small layer: Z = A·(Wᵀ) from a transposed copy (see `Workspace.smallProductLimit`).
                    BLAS.transpose(rows: width, cols: k, a: w + lo * k, lda: k, into: wt + lo, ldb: m)
                    BLAS.gemm(m: n, n: width, k: k, a: input, lda: k, b: wt + lo, ldb: m, c: z + lo, ldc: m + 1)
                } else {
                    BLAS.gemm(.none, .transpose, m: n, n: width, k: k, a: input, lda: k, b: w + lo * k, ldb: k,
                              c: z + lo, ldc: m + 1)
                }
                if width == m {
                    act.evaluate(UnsafeBufferPointer(start: z, count: n * (m + 1)),
                                 value: UnsafeMutableBufferPointer(start: out, count: n * (m + 1)),
                                 derivative: UnsafeMutableBufferPointer(start: dz, count: n * (m + 1)))
                } else {
                    for i in 0..<n {
                        let at = i * (m + 1) + lo
                        act.evaluate(UnsafeBufferPointer(start: z + at, count: width),
                                     value: UnsafeMutableBufferPointer(start: out + at, count: width),
                                     derivative: UnsafeMutableBufferPointer(start: dz + at, count: width))
                    }
                }
            }
            for i in 0..<n { out[i * (m + 1) + m] = 1 }
            let rate = arch.dropout[l]
            let useMask = training && rate > 0
            ws.maskApplied[l] = useMask
            if useMask, let mask = ws.mask[l] {
                let keep = 1 / (1 - rate)
                for i in 0..<n {
                    for j in 0..<m {
                        let factor = dropoutRNG.nextUniform() < rate ? 0 : keep
                        mask[i * m + j] = factor
                        out[i * (m + 1) + j] *= factor
                    }
                }
            }
            if arch.isResidual(hiddenLayer: l) {
                for i in 0..<n {
                    for j in 0..<m { out[i * (m + 1) + j] += input[i * (fanIn + 1) + j] }
                }
            }
        }

        let last = arch.depth
        let k = parameters.layout[last].cols
        if arch.outputDim == 1 {
            BLAS.gemv(.none, m: n, n: k, alpha: 1 / arch.outputScale, a: ws.augmented[last], lda: k,
                      x: parameters.pointer(layer: last), y: ws.output)
        } else {
            BLAS.gemm(.none, .transpose, m: n, n: arch.outputDim, k: k, alpha: 1 / arch.outputScale,
                      a: ws.augmented[last], lda: k, b: parameters.pointer(layer: last), ldb: k,
                      c: ws.output, ldc: arch.outputDim)
        }
        return UnsafeBufferPointer(start: ws.output, count: n * arch.outputDim)
    }

    /// Inference forward pass (no dropout, no random numbers).
    @discardableResult
    public func forward(_ x: UnsafeBufferPointer<Double>, n: Int, parameters: Parameters,
                        workspace: Workspace) -> UnsafeBufferPointer<Double> {
        var unused = Xoshiro256(seed: 0)
        return forward(x, n: n, parameters: parameters, workspace: workspace, training: false,
                       dropoutRNG: &unused)
    }

    /// Array convenience for analysis and tests (allocates a workspace): the n × outputDim output.
    public func predict(_ x: [Double], n: Int, parameters: Parameters) -> [Double] {
        let ws = makeWorkspace(batchSize: max(n, 1))
        return x.withUnsafeBufferPointer { Array(forward($0, n: n, parameters: parameters, workspace: ws)) }
    }
}
