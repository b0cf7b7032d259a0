import XCTest
@testable import Model

/// Backward pass against central finite differences of the loss (relative error ≤ 1e-6).
final class GradientTests: XCTestCase {
    struct Report { var relative: Double; var worstEntry: Int; var minAbsPreActivation: Double }

    /// Compares the analytic gradient with central differences over every trainable entry. When
    /// `training`, every evaluation restarts the dropout generator from the same state, so the
    /// mask is fixed. Disabled bias entries must have gradient exactly 0 and are skipped.
    func check(_ net: Network, _ p: Parameters, loss: LossKind, n: Int = 5, training: Bool = false,
               step: Double = 1e-5, seed: UInt64 = 11, every: Int = 1) -> Report {
        let arch = net.architecture
        let x = sampleInputs(n * arch.inputDim, seed: seed)
        let y = sampleInputs(n * arch.outputDim, seed: seed + 1)
        let ws = net.makeWorkspace(batchSize: n)
        let rng0 = Xoshiro256(seed: 99, stream: 1)
        let grad = net.makeParameters()
        grad.fill(.nan)
        var rng = rng0
        _ = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                net.lossAndGradient(x: xp, y: yp, n: n, loss: loss, parameters: p, gradient: grad,
                                    workspace: ws, training: training, rng: &rng)
            }
        }
        var minZ = Double.infinity
        for l in 0..<arch.depth { for v in ws.preActivation(l) { minZ = min(minZ, abs(v)) } }
        func lossAt() -> Double {
            var r = rng0
            return x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    let out = net.forward(xp, n: n, parameters: p, workspace: ws, training: training, dropoutRNG: &r)
                    return loss.evaluate(output: out, target: yp, n: n, outputDim: arch.outputDim, gradient: nil)
                }
            }
        }
        var diff2 = 0.0, norm2 = 0.0, worst = 0.0, worstEntry = -1
        var scaleInf = 0.0
        for v in grad.values { scaleInf = max(scaleInf, abs(v)) }
        for (l, block) in p.layout.enumerated() {
            for r in 0..<block.rows {
                for c in 0..<block.cols {
                    let k = block.offset + r * block.cols + c
                    // `every` > 1 checks one entry in `every` (for networks too large to check whole).
                    if k % every != 0 { continue }
                    if c == block.fanIn && !block.hasBias {
                        XCTAssertEqual(grad.values[k], 0, "disabled bias gradient, layer \(l)")
                        continue
                    }
                    let saved = p.values[k]
                    p.values[k] = saved + step; let plus = lossAt()
                    p.values[k] = saved - step; let minus = lossAt()
                    p.values[k] = saved
                    let fd = (plus - minus) / (2 * step)
                    let e = abs(fd - grad.values[k])
                    diff2 += e * e; norm2 += fd * fd
                    if e > worst { worst = e; worstEntry = k }
                }
            }
        }
        let relative = norm2 > 0 ? (diff2 / norm2).squareRoot() : diff2.squareRoot()
        // Entrywise too: no entry may be off by more than 1e-6 of the largest gradient entry.
        XCTAssertLessThanOrEqual(worst, 1e-6 * max(scaleInf, 1e-12), "entry \(worstEntry)")
        XCTAssertGreaterThan(norm2, 0, "finite differences were all zero: the test would be vacuous")
        return Report(relative: relative, worstEntry: worstEntry, minAbsPreActivation: minZ)
    }

    func testEveryBuiltinActivation() throws {
        XCTAssertGreaterThanOrEqual(Activation.builtinNames.count, 8)
        for name in Activation.builtinNames + ["x^3*tanh(x)"] {
            let arch = makeArchitecture(3, [6, 5], 2, activations: [name, name], readoutBias: true)
            let net = try Network(architecture: arch)
            // Kinked activations (relu, leaky_relu): pick a draw whose pre-activations are all far
            // (≥ 1e-3 ≫ step·|input|) from the kink, so the difference quotient sees one branch.
            var checked = false
            for seed in UInt64(1)...40 {
                let p = randomParameters(net, std: 0.7, seed: seed)
                let ws = net.makeWorkspace(batchSize: 5)
                let x = sampleInputs(15, seed: 11)
                x.withUnsafeBufferPointer { _ = net.forward($0, n: 5, parameters: p, workspace: ws) }
                let minZ = (0..<2).flatMap { Array(ws.preActivation($0)) }.map(abs).min()!
                if minZ < 1e-3 { continue }
                let report = check(net, p, loss: .halfSum)
                XCTAssertLessThanOrEqual(report.relative, 1e-6, "activation \(name)")
                checked = true
                break
            }
            XCTAssertTrue(checked, "no parameter draw kept \(name)'s pre-activations off the kink")
        }
    }

    func testResidualNetBiasesLossesAndOutputScale() throws {
        for hiddenBias in [true, false] {
            for readoutBias in [true, false] {
                for loss in LossKind.allCases {
                    let alpha = loss == .mean ? 3.7 : 1
                    let arch = makeArchitecture(3, [8, 8, 8], 2, activations: ["tanh", "xtanh", "sigmoid"],
                                                hiddenBias: hiddenBias, readoutBias: readoutBias,
                                                residual: true, alpha: alpha)
                    let net = try Network(architecture: arch)
                    let report = check(net, randomParameters(net, std: 0.5, seed: 5), loss: loss)
                    XCTAssertLessThanOrEqual(report.relative, 1e-6,
                                             "hiddenBias \(hiddenBias) readoutBias \(readoutBias) \(loss) α \(alpha)")
                }
            }
        }
    }

    /// Softmax cross-entropy through a network: the check's random targets are not probabilities, which the general
    /// gradient (softmax·Σy − y)/n covers; one-hot targets are checked in LossTests.
    func testCrossEntropyThroughTheNetwork() throws {
        let arch = makeArchitecture(4, [7, 5], 4, activations: ["tanh", "x2tanh"], readoutBias: true, alpha: 0.5)
        let net = try Network(architecture: arch)
        XCTAssertLessThanOrEqual(check(net, randomParameters(net, std: 0.8, seed: 3), loss: .crossEntropy, n: 6).relative, 1e-6)
    }

    func testNonResidualDeepNetWithWidthChanges() throws {
        let arch = makeArchitecture(4, [7, 3, 3, 6], 3, activations: ["softplus", "x2tanh", "tanh", "gelu"],
                                    readoutBias: true, residual: true, alpha: 0.5)
        let net = try Network(architecture: arch)
        XCTAssertLessThanOrEqual(check(net, randomParameters(net, std: 0.8, seed: 2), loss: .mean, n: 6).relative, 1e-6)
    }

    /// Layers cut into neuron blocks that a worker team shares (n·m·(fanIn+1) ≥ 2¹⁸, see `Workspace.blocks`):
    /// three hidden layers, the upper two in two blocks each, with a residual pair; every 97th entry against central
    /// differences.
    func testLayersCutIntoBlocks() throws {
        let arch = makeArchitecture(3, [100, 100, 100], 2, activations: ["tanh", "gelu", "tanh"], residual: true)
        let net = try Network(architecture: arch)
        let n = 27   // 27·100·101 ≥ 2¹⁸
        let ws = net.makeWorkspace(batchSize: n)
        XCTAssertEqual((0..<3).map { ws.blocks(layer: $0, rows: n).count }, [1, 2, 2])
        let report = check(net, randomParameters(net, std: 0.3, seed: 31), loss: .mean, n: n, every: 97)
        XCTAssertLessThanOrEqual(report.relative, 1e-6)
    }

    /// A single hidden layer under one output takes `SmallProducts` with δ formed inside the weight-gradient kernel
    /// (`Network.backward`): with dropout (a fixed mask), α ≠ 1, a readout bias, a width with a partial panel of 8
    /// (13) and one of whole panels (16), against central differences.
    func testSingleLayerKernelPathWithDropout() throws {
        for width in [13, 16] {
            let arch = makeArchitecture(3, [width], 1, activations: ["tanh"], readoutBias: true, alpha: 2,
                                        dropout: [0.3])
            let net = try Network(architecture: arch)
            XCTAssertEqual(net.makeWorkspace(batchSize: 6).ownKernel, [true])
            let report = check(net, randomParameters(net, std: 0.7, seed: 51), loss: .mean, n: 6, training: true)
            XCTAssertLessThanOrEqual(report.relative, 1e-6, "width \(width)")
        }
    }

    func testBackwardIntoZeroedGradientMatchesOverwriting() throws {
        // Widths large enough for OpenBLAS's blocked (not small-matrix) path (n·300·301 > 10⁶, so the second layer
        // takes it; see `Workspace.smallProductLimit`), a residual pair, and narrow layers that take the small path
        // (which overwrites whatever the flag says).
        let arch = makeArchitecture(4, [300, 300, 7], 2, activations: ["tanh", "silu", "relu"], readoutBias: true,
                                    residual: true)
        let net = try Network(architecture: arch)
        let p = randomParameters(net, std: 0.2, seed: 21)
        let n = 12
        let x = sampleInputs(n * 4, seed: 22), y = sampleInputs(n * 2, seed: 23)
        let ws = net.makeWorkspace(batchSize: n)
        func gradient(prefill: Double, isZero: Bool) -> [UInt64] {
            let g = net.makeParameters()
            g.values.update(repeating: prefill)
            var rng = Xoshiro256(seed: 1)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    _ = net.lossAndGradient(x: xp, y: yp, n: n, loss: .mean, parameters: p, gradient: g,
                                            workspace: ws, training: false, rng: &rng, gradientIsZero: isZero)
                }
            }
            return g.array.map(\.bitPattern)
        }
        let overwritten = gradient(prefill: .nan, isZero: false)
        XCTAssertEqual(gradient(prefill: 0, isZero: true), overwritten)
        // The flag really changes the products: on a buffer that is not zero they add to what is there.
        XCTAssertNotEqual(gradient(prefill: 1, isZero: true), overwritten)
    }

    func testDropoutZeroAndFixedMask() throws {
        // Rate 0 in training mode: nothing drawn, same gradient as inference.
        let plain = try Network(architecture: makeArchitecture(3, [8, 8], 2, residual: true, dropout: [0, 0]))
        let p0 = randomParameters(plain, seed: 4)
        XCTAssertLessThanOrEqual(check(plain, p0, loss: .halfSum, training: true).relative, 1e-6)

        // Rate > 0 with the mask held fixed across the ± evaluations.
        let arch = makeArchitecture(3, [8, 8, 8], 2, activations: ["tanh", "silu", "tanh"],
                                    readoutBias: true, residual: true, alpha: 2, dropout: [0.3, 0.5, 0])
        let net = try Network(architecture: arch)
        let p = randomParameters(net, std: 0.5, seed: 6)
        XCTAssertLessThanOrEqual(check(net, p, loss: .mean, n: 6, training: true).relative, 1e-6)

        // The mask really is in play: the training gradient differs from the inference one.
        let x = sampleInputs(18, seed: 11), y = sampleInputs(12, seed: 12)
        let ws = net.makeWorkspace(batchSize: 6)
        let gTrain = net.makeParameters(), gEval = net.makeParameters()
        var r1 = Xoshiro256(seed: 99, stream: 1), r2 = r1
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                _ = net.lossAndGradient(x: xp, y: yp, n: 6, loss: .mean, parameters: p, gradient: gTrain,
                                        workspace: ws, training: true, rng: &r1)
                _ = net.lossAndGradient(x: xp, y: yp, n: 6, loss: .mean, parameters: p, gradient: gEval,
                                        workspace: ws, training: false, rng: &r2)
            }
        }
        XCTAssertNotEqual(gTrain.array, gEval.array)
        XCTAssertNotEqual(r1.state, Xoshiro256(seed: 99, stream: 1).state, "training with dropout must draw")
        XCTAssertEqual(r2.state, Xoshiro256(seed: 99, stream: 1).state, "inference must not draw")
    }
}
