import Foundation
import LinearAlgebra
import Theory

extension InitScheme {
    /// Fills every block of `params`: hidden blocks with `hidden`, the readout with `readout`.
    ///
    /// Draw order (fixed, so a seed reproduces a network): block by block (hidden layer 1…L, then
    /// the readout); within a block, all weights row-major (neuron by neuron, input by input),
    /// then — only for schemes that draw biases — the fanOut biases in neuron order. Biases are
    /// drawn even when the layer's bias is disabled and then set to 0, so switching a bias off
    /// does not change the weights drawn. `orthogonal` draws its fanOut×fanIn Gaussian row-major.
    /// Normal draws use `Xoshiro256.nextNormal()`, uniform ones `−b + 2b·nextUniform()`.
    ///
    /// The RAI schemes follow the reference code instead: all fanOut×(fanIn+1) normals of the block row-major
    /// WITH the bias column (anti-correlated per row for `anti_correlated_rai`), then for each row in order
    /// the index k = ⌊nextUniform()·(fanIn+1)⌋ (k = fanIn is the bias) and the Beta(2,1) value √nextUniform()
    /// (inverse CDF of the density 2x) that overwrites entry k. A disabled bias is zeroed afterwards, so a row
    /// whose Beta entry fell on it keeps no positive entry. `anti_correlated` draws G row-major over the
    /// weights and sets row r to (σ_w/√N)(G_r − β·mean(G_r)), β = 1 − √(1+κ), N = fanIn.
    public static func initialize(_ params: Parameters, hidden: InitScheme, readout: InitScheme,
                                  rng: inout Xoshiro256) throws {
        for (l, block) in params.layout.enumerated() {
            let scheme = l < params.architecture.depth ? hidden : readout
            try scheme.fill(params, layer: l, rng: &rng)
            if !block.hasBias {
                for r in 0..<block.rows { params[l, r, block.fanIn] = 0 }
            }
        }
    }

    /// Fills block `layer` of `params` (weights and bias column) by this scheme.
    public func fill(_ params: Parameters, layer: Int, rng: inout Xoshiro256) throws {
        let block = params.layout[layer]
        let fanIn = block.fanIn, fanOut = block.rows
        let w = params.block(layer: layer)
        func eachWeight(_ draw: (inout Xoshiro256) -> Double) {
            for r in 0..<fanOut { for c in 0..<fanIn { w[r * block.cols + c] = draw(&rng) } }
        }
        func eachBias(_ draw: (inout Xoshiro256) -> Double) {
            for r in 0..<fanOut { w[r * block.cols + fanIn] = draw(&rng) }
        }
        func normal(_ std: Double) -> (inout Xoshiro256) -> Double { { std * $0.nextNormal() } }
        func uniform(_ b: Double) -> (inout Xoshiro256) -> Double { { -b + 2 * b * $0.nextUniform() } }
        let zero: (inout Xoshiro256) -> Double = { _ in 0 }
        let fi = Double(fanIn), fo = Double(fanOut)

        switch self {
        case .gaussian(let std):
            eachWeight(normal(std)); eachBias(normal(std))
        case .uniform(let bound):
            eachWeight(uniform(bound)); eachBias(uniform(bound))
        case .xavierNormal(let gain):
            eachWeight(normal(gain * (2 / (fi + fo)).squareRoot())); eachBias(zero)
        case .xavierUniform(let gain):
            eachWeight(uniform(gain * (6 / (fi + fo)).squareRoot())); eachBias(zero)
        case .heNormal(let slope):
            eachWeight(normal((2 / (1 + slope * slope) / fi).squareRoot())); eachBias(zero)
        case .heUniform(let slope):
            eachWeight(uniform((6 / (1 + slope * slope) / fi).squareRoot())); eachBias(zero)
        case .lecunNormal:
            eachWeight(normal((1 / fi).squareRoot())); eachBias(zero)
        case .orthogonal(let gain):
            let q = try InitScheme.orthogonalMatrix(rows: fanOut, cols: fanIn, rng: &rng)
            for r in 0..<fanOut { for c in 0..<fanIn { w[r * block.cols + c] = gain * q[r, c] } }
            eachBias(zero)
        case .zeros:
            eachWeight(zero); eachBias(zero)
        case .rai, .antiCorrelatedRAI:
            let scale = InitScheme.raiScale / fi.squareRoot()
            for k in 0..<w.count { w[k] = scale * rng.nextNormal() }
            if case .antiCorrelatedRAI(let kappa) = self {
                InitScheme.correlateRows(w, rows: fanOut, cols: block.cols, stride: block.cols, kappa: kappa)
            }
            for r in 0..<fanOut {
                let k = min(fanIn, Int(rng.nextUniform() * Double(fanIn + 1)))
                w[r * block.cols + k] = rng.nextUniform().squareRoot()
            }
        case .raiMatchedGaussian:
            let std = InitScheme.rai.weightVariance(fanIn: fanIn, fanOut: fanOut).squareRoot()
            eachWeight(normal(std)); eachBias(normal(std))
        case .antiCorrelated(let kappa, let sigma2):
            eachWeight(normal((sigma2 / fi).squareRoot()))
            InitScheme.correlateRows(w, rows: fanOut, cols: fanIn, stride: block.cols, kappa: kappa)
            eachBias(zero)
        case .lyapunovGaussian(let slope):
            let sigma = try InitScheme.lyapunov(width: fanOut, slope: slope).criticalStd
            eachWeight(normal(sigma)); eachBias(zero)
        case .lyapunovOrthogonal(let slope):
            let eta = try InitScheme.lyapunov(width: fanOut, slope: slope).criticalGain
            try InitScheme.orthogonal(gain: eta).fill(params, layer: layer, rng: &rng)
        }
    }

    /// Maps each row g (its first `cols` entries, rows `stride` apart) of iid entries to g − β·mean(g)·1,
    /// β = 1 − √(1+κ): the covariance v·I becomes v·(I + κ11ᵀ/cols) exactly, since
    /// (I − β11ᵀ/N)² = I + (β² − 2β)11ᵀ/N = I + κ11ᵀ/N. κ = −1 subtracts the row mean (rows sum to 0).
    static func correlateRows(_ w: UnsafeMutableBufferPointer<Double>, rows: Int, cols: Int, stride: Int,
                              kappa: Double) {
        precondition(kappa >= -1, "anti-correlated rows need κ ≥ −1")
        let beta = 1 - (1 + kappa).squareRoot()
        for r in 0..<rows {
            let base = r * stride
            var sum = 0.0
            for c in 0..<cols { sum += w[base + c] }
            let shift = beta * sum / Double(cols)
            for c in 0..<cols { w[base + c] -= shift }
        }
    }

    /// A rows×cols matrix with orthonormal rows (rows ≤ cols) or columns (rows ≥ cols), as
    /// `torch.nn.init.orthogonal_`: draw G ~ N(0,1) rows×cols row-major; if rows < cols use Gᵀ;
    /// QR-factorize; multiply Q's columns by sign(diag R) (a 0 diagonal counts as +1, so the
    /// result is Haar-distributed); transpose back if needed.
    public static func orthogonalMatrix(rows: Int, cols: Int, rng: inout Xoshiro256) throws -> Matrix {
        var g = Matrix(rows: rows, cols: cols)
        for k in 0..<(rows * cols) { g.elements[k] = rng.nextNormal() }
        let flip = rows < cols
        let (q0, r) = try (flip ? g.transposed : g).qr()
        var q = q0
        for j in 0..<q.cols where r[j, j] < 0 {
            for i in 0..<q.rows { q[i, j] = -q[i, j] }
        }
        return flip ? q.transposed : q
    }
}

/// Initializes `params` (see `InitScheme.initialize(_:hidden:readout:rng:)` for the draw order).
/// `architecture` must be the one `params` was built for.
public func initialize(_ params: Parameters, architecture: Architecture, hidden: InitScheme,
                       readout: InitScheme, rng: inout Xoshiro256) throws {
    precondition(params.architecture == architecture, "initialize: parameters built for another architecture")
    try InitScheme.initialize(params, hidden: hidden, readout: readout, rng: &rng)
}
