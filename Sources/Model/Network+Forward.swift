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
        ws.batchSize = n

        // A₀ = (X, 1)
        let d = arch.inputDim
        let a0 = ws.augmented[0]
        for i in 0..<n {
            (a0 + i * (d + 1)).update(from: x.baseAddress! + i * d, count: d)
            a0[i * (d + 1) + d] = 1
        }

        for l in 0..<arch.depth {
            let fanIn = parameters.layout[l].fanIn, m = arch.hiddenWidths[l]
            let input = ws.augmented[l], out = ws.augmented[l + 1], z = ws.z[l], dz = ws.derivative[l]
            // Z in rows of m + 1, like the augmented output: σ and σ' then map the whole contiguous block
            // straight into it (no copy per row, which took 7 % of a 5-50-1 step), and the ones column is
            // set after. Z's last column is never written by the product (it stays as initialized, 0), so σ
            // there is finite and then overwritten.
            BLAS.gemm(.none, .transpose, m: n, n: m, k: fanIn + 1,
                      a: input, lda: fanIn + 1, b: parameters.pointer(layer: l), ldb: fanIn + 1,
                      c: z, ldc: m + 1)
            Self.evaluate(activations[l], z, value: out, derivative: dz, count: n * (m + 1))
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

    /// Activation blocks at least this long are evaluated in chunks on several threads.
    static let parallelActivationThreshold = 1 << 15

    /// `act` over `count` contiguous entries: in one call, or, for long blocks when BLAS runs on several
    /// threads, in contiguous chunks (multiples of 4 long) through `DispatchQueue.concurrentPerform`. The
    /// kernels are elementwise, so the results do not depend on the split.
    static func evaluate(_ act: Activation, _ z: UnsafePointer<Double>, value: UnsafeMutablePointer<Double>,
                         derivative: UnsafeMutablePointer<Double>, count: Int) {
        let threads = count >= parallelActivationThreshold
            ? min(BLAS.threads, ProcessInfo.processInfo.activeProcessorCount) : 1
        if threads <= 1 {
            act.evaluate(UnsafeBufferPointer(start: z, count: count),
                         value: UnsafeMutableBufferPointer(start: value, count: count),
                         derivative: UnsafeMutableBufferPointer(start: derivative, count: count))
            return
        }
        let size = ((count + threads - 1) / threads + 3) & ~3
        DispatchQueue.concurrentPerform(iterations: threads) { c in
            let lo = min(count, c * size), len = min(count, lo + size) - lo
            guard len > 0 else { return }
            act.evaluate(UnsafeBufferPointer(start: z + lo, count: len),
                         value: UnsafeMutableBufferPointer(start: value + lo, count: len),
                         derivative: UnsafeMutableBufferPointer(start: derivative + lo, count: len))
        }
    }
}
