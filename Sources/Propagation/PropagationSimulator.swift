import Foundation
import LinearAlgebra
import Model

/// Pushes the two input signals through N random networks and records every per-layer quantity per network.
///
/// Network k draws its hidden layers, in order, from its own generator `Xoshiro256(seed:, stream: 16 + k)` through
/// `InitScheme.fill` (block l of a `Parameters` for `setup.architecture`; the readout is not drawn), then, with a
/// bias override, the biases of layer l from `InitScheme.gaussian(std:)` on a one-input scratch block (its n_l
/// weights are discarded, its n_l biases used). Both signals go through each layer as one gemm, Z (2 × n_l) =
/// X (2 × n_{l−1}) · W̄ᵀ, plus the bias and the activation. Networks are spread over worker threads
/// (`ParallelJobs.map`, BLAS on one thread, a preallocated workspace per worker); each network's values depend
/// only on (seed, k) and come back in network order, so the result is the same for any thread count.
public enum PropagationSimulator {
    /// Per-network values: `values[(k·layers + l)·quantities + q]`; NaN where undefined (a dead signal).
    public struct Result: Sendable {
        public let networks: Int
        public let layers: Int
        public let values: [Double]
        public static let quantities = PropagationQuantity.allCases.count

        public func value(network k: Int, layer l: Int, _ q: PropagationQuantity) -> Double {
            values[(k * layers + l) * Self.quantities + q.index]
        }

        /// Mean, std (n−1) and standard error over the networks with a finite value, per (layer, quantity).
        public func statistics(layer l: Int, _ q: PropagationQuantity) -> (mean: Double, std: Double, sem: Double, count: Int) {
            var s = 0.0, n = 0
            for k in 0..<networks { let v = value(network: k, layer: l, q); if v.isFinite { s += v; n += 1 } }
            guard n > 0 else { return (.nan, .nan, .nan, 0) }
            let m = s / Double(n)
            var ss = 0.0
            for k in 0..<networks { let v = value(network: k, layer: l, q); if v.isFinite { ss += (v - m) * (v - m) } }
            let sd = n > 1 ? (ss / Double(n - 1)).squareRoot() : .nan
            return (m, sd, sd / Double(n).squareRoot(), n)
        }
    }

    public static func run(_ setup: PropagationSetup) throws -> Result {
        try setup.validate()
        let activation = try Activation(parsing: setup.activation)
        let n = setup.networks, layers = setup.depth + 1, nq = Result.quantities
        guard n > 0 else { return Result(networks: 0, layers: layers, values: []) }
        let workers = max(1, min(n, setup.threads ?? ProcessInfo.processInfo.activeProcessorCount))
        let savedThreads = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = savedThreads }
        let perNetwork = try ParallelJobs.map(count: n, workers: workers,
                                              makeState: { _ in try Worker(setup: setup, activation: activation) }) {
            worker, k -> [Double] in
            var row = [Double](repeating: .nan, count: layers * nq)
            try row.withUnsafeMutableBufferPointer { try worker.simulate(network: k, into: $0.baseAddress!) }
            return row
        }
        return Result(networks: n, layers: layers, values: Array(perNetwork.joined()))
    }

    /// One worker's preallocated state: the network's parameters, a bias scratch block, and the signal buffers.
    final class Worker {
        let setup: PropagationSetup
        let activation: Activation
        let params: Parameters
        let biasScratch: [Parameters]
        let x: UnsafeMutableBufferPointer<Double>   // 2 × maxWidth: the current post-activations
        let z: UnsafeMutableBufferPointer<Double>   // 2 × maxWidth: pre-activations
        let maxWidth: Int

        init(setup: PropagationSetup, activation: Activation) throws {
            self.setup = setup
            self.activation = activation
            params = Parameters(architecture: setup.architecture)
            biasScratch = setup.biasStd == nil ? [] : setup.hiddenWidths.map {
                Parameters(architecture: Architecture(inputDim: 1, hiddenWidths: [$0], outputDim: 1, activations: ["linear"]))
            }
            maxWidth = setup.widths.dropLast().max()!
            x = .allocate(capacity: 2 * maxWidth)
            z = .allocate(capacity: 2 * maxWidth)
        }

        deinit { x.deallocate(); z.deallocate() }

        func simulate(network k: Int, into out: UnsafeMutablePointer<Double>) throws {
            var rng = Xoshiro256(seed: setup.seed, stream: 16 &+ UInt64(k))
            let n0 = setup.inputWidth, nq = Result.quantities
            let scale = Double(n0).squareRoot()
            x.update(repeating: 0)
            x[0] = scale
            x[n0] = scale * cos(setup.theta0)
            x[n0 + 1] = scale * sin(setup.theta0)
            record(out, layer: 0, pre: x.baseAddress!, post: x.baseAddress!, width: n0)
            let xp = x.baseAddress!, zp = z.baseAddress!
            for l in 1...setup.depth {
                let fanIn = setup.widths[l - 1], width = setup.widths[l]
                try setup.initScheme.fill(params, layer: l - 1, rng: &rng)
                let w = params.pointer(layer: l - 1)
                if let b = setup.biasStd {
                    try InitScheme.gaussian(std: b).fill(biasScratch[l - 1], layer: 0, rng: &rng)
                    let scratch = biasScratch[l - 1].pointer(layer: 0)
                    for r in 0..<width { w[r * (fanIn + 1) + fanIn] = scratch[r * 2 + 1] }
                }
                // Z = X · W̄ᵀ (both signals in one gemm), then + b.
                BLAS.gemm(.none, .transpose, m: 2, n: width, k: fanIn, a: xp, lda: fanIn, b: w, ldb: fanIn + 1,
                          c: zp, ldc: width)
                for r in 0..<width {
                    let b = w[r * (fanIn + 1) + fanIn]
                    zp[r] += b
                    zp[width + r] += b
                }
                activation.evaluate(UnsafeBufferPointer(start: zp, count: 2 * width),
                                    value: UnsafeMutableBufferPointer(start: xp, count: 2 * width), derivative: nil)
                record(out + l * nq, layer: l, pre: zp, post: xp, width: width)
            }
        }

        /// The five quantities of one layer from its pre-activations (2 × width) and post-activations (2 × width).
        private func record(_ out: UnsafeMutablePointer<Double>, layer: Int, pre: UnsafePointer<Double>,
                            post: UnsafePointer<Double>, width: Int) {
            let ha = BLAS.dot(n: width, x: pre, y: pre), hb = BLAS.dot(n: width, x: pre + width, y: pre + width)
            let hab = BLAS.dot(n: width, x: pre, y: pre + width)
            let pa = BLAS.dot(n: width, x: post, y: post), pb = BLAS.dot(n: width, x: post + width, y: post + width)
            out[PropagationQuantity.logNorm.index] = 0.5 * log(pa)
            out[PropagationQuantity.q.index] = ha / Double(width)
            out[PropagationQuantity.correlation.index] = hab / (ha * hb).squareRoot()
            // θ = 2·atan2(‖â − b̂‖, ‖â + b̂‖) and sin θ = ‖â − b̂‖·‖â + b̂‖/2: accurate for tiny and right angles.
            let ra = 1 / pa.squareRoot(), rb = 1 / pb.squareRoot()
            var minus = 0.0, plus = 0.0
            for i in 0..<width {
                let u = post[i] * ra, v = post[width + i] * rb
                minus += (u - v) * (u - v)
                plus += (u + v) * (u + v)
            }
            let dm = minus.squareRoot(), dp = plus.squareRoot()
            let valid = pa > 0 && pb > 0 && pa.isFinite && pb.isFinite
            out[PropagationQuantity.theta.index] = valid ? 2 * atan2(dm, dp) : .nan
            let s = dm * dp / 2
            out[PropagationQuantity.lnSin2Theta.index] = valid ? log(s * s) : .nan
        }
    }
}

