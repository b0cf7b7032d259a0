import XCTest
@testable import Model
import LinearAlgebra

// MARK: - Shared helpers (also used by GradientTests)

/// Architecture with tanh (or the given activations) everywhere.
func makeArchitecture(_ d: Int, _ widths: [Int], _ out: Int, activations: [String]? = nil,
                      hiddenBias: Bool = true, readoutBias: Bool = false, residual: Bool = false,
                      alpha: Double = 1, dropout: [Double]? = nil) -> Architecture {
    Architecture(inputDim: d, hiddenWidths: widths, outputDim: out,
                 activations: activations ?? Array(repeating: "tanh", count: widths.count),
                 hiddenBias: hiddenBias, readoutBias: readoutBias, residual: residual,
                 outputScale: alpha, dropout: dropout)
}

/// Deterministic inputs in [-1.5, 1.5).
func sampleInputs(_ count: Int, seed: UInt64) -> [Double] {
    var g = Xoshiro256(seed: seed, stream: 9)
    return (0..<count).map { _ in 3 * g.nextUniform() - 1.5 }
}

/// Parameters ~ N(0, std²) everywhere, including enabled biases (disabled ones stay 0).
func randomParameters(_ net: Network, std: Double = 0.6, seed: UInt64 = 1) -> Parameters {
    let p = net.makeParameters()
    var g = Xoshiro256(seed: seed)
    try! InitScheme.initialize(p, hidden: .gaussian(std: std), readout: .gaussian(std: std), rng: &g)
    return p
}

/// An independent, loop-only forward pass (no BLAS, no augmentation, nested arrays), with an
/// optional per-layer multiplicative mask (n × m_l) standing in for dropout.
func naiveForward(_ net: Network, _ p: Parameters, _ x: [Double], n: Int, masks: [[Double]?]? = nil) -> [Double] {
    let arch = net.architecture
    var out: [Double] = []
    for i in 0..<n {
        var h = Array(x[(i * arch.inputDim)..<((i + 1) * arch.inputDim)])
        for l in 0..<arch.depth {
            let m = arch.hiddenWidths[l]
            var next = [Double](repeating: 0, count: m)
            for j in 0..<m {
                var s = arch.hiddenBias ? p[l, j, h.count] : 0
                for k in 0..<h.count { s += p[l, j, k] * h[k] }
                next[j] = net.activations[l].value(s)
                if let mask = masks?[l] { next[j] *= mask[i * m + j] }
                if arch.residual && l > 0 && arch.hiddenWidths[l - 1] == m { next[j] += h[j] }
            }
            h = next
        }
        for o in 0..<arch.outputDim {
            var s = arch.readoutBias ? p[arch.depth, o, h.count] : 0
            for k in 0..<h.count { s += p[arch.depth, o, k] * h[k] }
            out.append(s / arch.outputScale)
        }
    }
    return out
}

func assertClose(_ a: [Double], _ b: [Double], tol: Double, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tol, message, file: file, line: line)
}

// MARK: - Tests

final class NetworkTests: XCTestCase {
    func testParametersLayoutBiasLastContiguous() {
        let arch = makeArchitecture(3, [5, 4], 2)
        let p = Parameters(architecture: arch)
        XCTAssertEqual(p.layout.map(\.offset), [0, 20, 44])
        XCTAssertEqual(p.layout.map(\.rows), [5, 4, 2])
        XCTAssertEqual(p.layout.map(\.cols), [4, 6, 5])
        XCTAssertEqual(p.count, 54)
        XCTAssertEqual(arch.parameterCount, 54)
        p[1, 2, 5] = 7   // layer 1, neuron 2, bias
        XCTAssertEqual(p.values[20 + 2 * 6 + 5], 7)
        XCTAssertEqual(p.matrix(layer: 1)[2, 5], 7)
        let c = p.copy()
        p[1, 2, 5] = 0
        XCTAssertEqual(c[1, 2, 5], 7, "copy must be deep")
    }

    func testForwardMatchesNaiveImplementation() throws {
        let cases: [(String, Architecture)] = [
            ("plain", makeArchitecture(3, [6, 4], 2, activations: ["tanh", "sigmoid"])),
            ("residual+alpha", makeArchitecture(3, [8, 8, 8], 2, activations: ["tanh", "xtanh", "softplus"],
                                                readoutBias: true, residual: true, alpha: 2.5)),
            ("no biases", makeArchitecture(2, [5, 5], 1, hiddenBias: false, readoutBias: false, residual: true)),
            ("residual width change", makeArchitecture(4, [4, 6, 6, 3], 3, residual: true, alpha: 0.3)),
        ]
        for (name, arch) in cases {
            let net = try Network(architecture: arch)
            let p = randomParameters(net, seed: 3)
            let n = 7
            let x = sampleInputs(n * arch.inputDim, seed: 4)
            let ws = net.makeWorkspace(batchSize: 10)   // larger than n on purpose
            let y = x.withUnsafeBufferPointer { Array(net.forward($0, n: n, parameters: p, workspace: ws)) }
            assertClose(y, naiveForward(net, p, x, n: n), tol: 1e-12, name)
            XCTAssertEqual(net.predict(x, n: n, parameters: p), y, name)
        }
    }

    func testResidualOnlyBetweenEqualHiddenWidths() {
        let arch = makeArchitecture(4, [4, 6, 6, 3, 3], 1, residual: true)
        XCTAssertEqual((0..<5).map { arch.isResidual(hiddenLayer: $0) }, [false, false, true, false, true])
        let off = makeArchitecture(4, [6, 6], 1, residual: false)
        XCTAssertFalse(off.isResidual(hiddenLayer: 1))
    }

    func testDisabledBiasColumnsStayZero() throws {
        let arch = makeArchitecture(3, [5, 4], 2, hiddenBias: false, readoutBias: false)
        let net = try Network(architecture: arch)
        let p = net.makeParameters()
        var g = Xoshiro256(seed: 8)
        try InitScheme.initialize(p, hidden: .gaussian(std: 1), readout: .uniform(bound: 1), rng: &g)
        let grad = net.makeParameters()
        grad.fill(.nan)
        let x = sampleInputs(12, seed: 1), y = sampleInputs(8, seed: 2)
        let ws = net.makeWorkspace(batchSize: 4)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                _ = net.lossAndGradient(x: xp, y: yp, n: 4, loss: .mean, parameters: p, gradient: grad,
                                        workspace: ws, training: true, rng: &g)
            }
        }
        for (l, block) in p.layout.enumerated() {
            for r in 0..<block.rows {
                XCTAssertEqual(p[l, r, block.fanIn], 0, "parameter bias layer \(l) row \(r)")
                XCTAssertEqual(grad[l, r, block.fanIn], 0, "gradient bias layer \(l) row \(r)")
                XCTAssertFalse(grad[l, r, 0].isNaN, "gradient must be overwritten")
            }
        }
        // Enabled biases are drawn and get a gradient.
        let withBias = try Network(architecture: makeArchitecture(3, [5, 4], 2, readoutBias: true))
        let q = withBias.makeParameters()
        var g2 = Xoshiro256(seed: 8)
        try InitScheme.initialize(q, hidden: .gaussian(std: 1), readout: .uniform(bound: 1), rng: &g2)
        XCTAssertNotEqual(q[0, 0, 3], 0)
        XCTAssertNotEqual(q[2, 1, 4], 0)
        // Switching a bias off does not change the weights drawn.
        XCTAssertEqual(q[1, 3, 2], p[1, 3, 2])
    }

    func testDropoutInvertedScalingAndInferenceIsDeterministic() throws {
        let rate = 0.25
        let arch = makeArchitecture(2, [400], 1, activations: ["linear"], dropout: [rate])
        let net = try Network(architecture: arch)
        let p = net.makeParameters()
        for j in 0..<400 { p[0, j, 0] = 1; p[0, j, 1] = 0; p[0, j, 2] = 0; p[1, 0, j] = 1 }  // h_j = x₀, y = Σ h
        let n = 50
        var x = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n { x[2 * i] = 1 }
        let ws = net.makeWorkspace(batchSize: n)
        var rng = Xoshiro256(seed: 3)
        let before = rng.state
        let eval = x.withUnsafeBufferPointer { Array(net.forward($0, n: n, parameters: p, workspace: ws, training: false, dropoutRNG: &rng)) }
        XCTAssertEqual(rng.state, before, "inference must not draw")
        XCTAssertEqual(eval, Array(repeating: 400, count: n))
        let train = x.withUnsafeBufferPointer { Array(net.forward($0, n: n, parameters: p, workspace: ws, training: true, dropoutRNG: &rng)) }
        // Each output is 400·(kept fraction)/(1−rate): mean 400, sd √(400·r(1−r))/(1−r) ≈ 11.5.
        let mean = train.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 400, accuracy: 8)
        XCTAssertTrue(train.contains { abs($0 - 400) > 1e-9 }, "dropout had no effect")
        // Every hidden value is 0 or 1/(1−rate).
        let hidden = ws.augmentedRepresentation(1)
        for i in 0..<n { for j in 0..<400 {
            let v = hidden[i * 401 + j]
            XCTAssertTrue(v == 0 || abs(v - 1 / (1 - rate)) < 1e-15)
        } }
        // The masked forward equals the naive pass with the same mask (pre-mask h = 1, so the mask is h).
        let masks: [[Double]?] = [(0..<(n * 400)).map { hidden[($0 / 400) * 401 + $0 % 400] }]
        assertClose(train, naiveForward(net, p, x, n: n, masks: masks), tol: 1e-9)
    }

    func testArchitectureValidationMessages() {
        func message(_ a: Architecture) -> String? {
            do { try a.validate(); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(message(makeArchitecture(2, [3], 1)))
        XCTAssertTrue(message(makeArchitecture(2, [3, 0], 1))?.contains("width 0") == true)
        XCTAssertTrue(message(makeArchitecture(0, [3], 1))?.contains("input") == true)
        XCTAssertTrue(message(makeArchitecture(2, [3], 1, activations: ["tanh", "tanh"]))?.contains("activation") == true)
        XCTAssertTrue(message(makeArchitecture(2, [3], 1, dropout: [1]))?.contains("dropout") == true)
        XCTAssertTrue(message(makeArchitecture(2, [3], 1, alpha: 0))?.contains("α") == true)
        XCTAssertTrue(message(makeArchitecture(2, [3], 1, alpha: .infinity))?.contains("α") == true)
        XCTAssertTrue(message(makeArchitecture(2, [], 1))?.contains("hidden") == true)
        XCTAssertThrowsError(try Network(architecture: makeArchitecture(2, [3, 3], 1, activations: ["tanh", "nosuch"]))) {
            XCTAssertTrue("\($0)".contains("hidden layer 2") && "\($0)".contains("nosuch"), "\($0)")
        }
    }

    func testArchitectureCodableWithDefaults() throws {
        let arch = makeArchitecture(3, [8, 8], 2, readoutBias: true, residual: true, alpha: 4, dropout: [0.1, 0])
        let back = try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(arch))
        XCTAssertEqual(back, arch)
        let minimal = #"{"inputDim":1,"hiddenWidths":[5],"outputDim":1,"activations":["relu"]}"#
        let m = try JSONDecoder().decode(Architecture.self, from: Data(minimal.utf8))
        XCTAssertEqual(m, makeArchitecture(1, [5], 1, activations: ["relu"]))
    }

    /// A page-aligned layer starts on a 4096-byte boundary; the layout and the zero values are those of plain
    /// parameters.
    func testPageAlignedLayerStartsOnAPage() {
        let arch = makeArchitecture(5, [1000, 300], 1)
        for l in 0..<3 {
            let p = Parameters(architecture: arch, pageAlignedLayer: l)
            XCTAssertEqual(Int(bitPattern: p.pointer(layer: l)) % 4096, 0, "layer \(l)")
            XCTAssertEqual(p.layout, Parameters(architecture: arch).layout)
            XCTAssert(p.values.allSatisfy { $0 == 0 })
            p.values[p.count - 1] = 3   // the whole vector is writable
        }
    }

    /// Small layers compute Z = A·(Wᵀ) and ∂Wᵀ = Aᵀ·δ from transposed copies (`Workspace.smallProductLimit`), large
    /// ones Z = A·Wᵀ and ∂W = δᵀ·A: a workspace for 2 rows takes the first path, one for 5000 rows the second, on
    /// the same 2 rows (both on BLAS: the input layer's short inner dimension would take `SmallProducts` in the small
    /// workspace, `SmallProductPathTests`). Outputs and gradients agree to rounding.
    func testSmallAndBlockedProductsAgree() throws {
        let net = try Network(architecture: makeArchitecture(6, [200, 150], 2, activations: ["tanh", "gelu"]))
        let small = Workspace(architecture: net.architecture, capacity: 2, team: nil, ownKernels: false)
        let blocked = net.makeWorkspace(batchSize: 5000)
        XCTAssertEqual(blocked.ownKernel, [false, false])
        XCTAssertEqual(small.smallProduct, [true, true])
        XCTAssertEqual(blocked.smallProduct, [false, false])
        let p = randomParameters(net, std: 0.3, seed: 8)
        let x = sampleInputs(12, seed: 9), y = sampleInputs(4, seed: 10)
        func run(_ ws: Workspace) -> (out: [Double], grad: [Double], loss: Double) {
            let g = net.makeParameters()
            var rng = Xoshiro256(seed: 1)
            let loss = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(x: xp, y: yp, n: 2, loss: .mean, parameters: p, gradient: g, workspace: ws,
                                        training: false, rng: &rng)
                }
            }
            return (Array(ws.lastOutput), g.array, loss)
        }
        let a = run(small), b = run(blocked)
        XCTAssertEqual(a.loss, b.loss, accuracy: 1e-13 * abs(b.loss))
        for (u, v) in zip(a.out, b.out) { XCTAssertEqual(u, v, accuracy: 1e-13) }
        let scale = b.grad.map(abs).max()!
        XCTAssertGreaterThan(scale, 0)
        for (u, v) in zip(a.grad, b.grad) { XCTAssertEqual(u, v, accuracy: 1e-12 * scale) }
    }

    /// A team is worth starting only when a layer is cut into blocks: not for the papers' 5-50-1 network on its
    /// 80 training points, always for 5-1000-1000-1; the answer follows the batch size (5-50-1 on 1000 rows, or
    /// 5-200-1: 1200 multiply–adds per row against a threshold of 2¹⁸ per product).
    func testSharesWorkOnlyWhereALayerIsCutIntoBlocks() {
        let small = makeArchitecture(5, [50], 1), large = makeArchitecture(5, [1000, 1000], 1)
        XCTAssertFalse(Workspace.sharesWork(small, rows: 80))
        XCTAssertTrue(Workspace.sharesWork(small, rows: 1000))
        XCTAssertTrue(Workspace.sharesWork(large, rows: 80))
        let wide = makeArchitecture(5, [200], 1)
        XCTAssertFalse(Workspace.sharesWork(wide, rows: 80))
        XCTAssertTrue(Workspace.sharesWork(wide, rows: 250))
        XCTAssertTrue(Workspace.sharesWork(makeArchitecture(5, [300, 300, 40], 2), rows: 30))
    }

    /// Large layers are computed in blocks of neurons that a worker team shares (`Workspace.blocks`): outputs and
    /// gradients are the same bits on 1, 2 and 3 threads, with dropout, a residual pair and a small layer too.
    func testTeamsOfAnySizeGiveTheSameBits() throws {
        let arch = makeArchitecture(5, [300, 300, 40], 2, activations: ["tanh", "gelu", "x^3*tanh(x)"],
                                    residual: true, dropout: [0.1, 0, 0])
        let net = try Network(architecture: arch)
        let n = 30
        XCTAssertGreaterThan(net.makeWorkspace(batchSize: n).blocks(layer: 1, rows: n).count, 1)
        let p = randomParameters(net, std: 0.2, seed: 3)
        let x = sampleInputs(n * 5, seed: 4), y = sampleInputs(n * 2, seed: 5)
        func run(_ threads: Int) -> [UInt64] {
            let ws = net.makeWorkspace(batchSize: n, team: WorkerTeam(size: threads))
            let g = net.makeParameters()
            var rng = Xoshiro256(seed: 6)
            let loss = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(x: xp, y: yp, n: n, loss: .mean, parameters: p, gradient: g, workspace: ws,
                                        training: true, rng: &rng)
                }
            }
            return [loss.bitPattern] + ws.lastOutput.map(\.bitPattern) + g.array.map(\.bitPattern)
        }
        let one = run(1)
        XCTAssertEqual(run(2), one)
        XCTAssertEqual(run(3), one)
    }
}
