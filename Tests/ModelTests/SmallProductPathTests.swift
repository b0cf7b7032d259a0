import XCTest
@testable import Model
import LinearAlgebra

/// Layers with a short inner dimension (fanIn+1 ≤ `Workspace.kernelInnerLimit`, small products) multiply through `SmallProducts`
/// instead of BLAS: the same outputs and gradients to rounding as the BLAS path, the same bits on any team, and
/// (in `GradientTests`) the same gradients as central differences.
final class SmallProductPathTests: XCTestCase {
    private func run(_ net: Network, _ p: Parameters, _ ws: Workspace, n: Int, training: Bool = false,
                     loss: LossKind = .mean) -> (out: [Double], grad: [Double], loss: Double) {
        let arch = net.architecture
        let x = sampleInputs(n * arch.inputDim, seed: 41), y = sampleInputs(n * arch.outputDim, seed: 42)
        let g = net.makeParameters()
        g.fill(.nan)
        var rng = Xoshiro256(seed: 43)
        let value = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                net.lossAndGradient(x: xp, y: yp, n: n, loss: loss, parameters: p, gradient: g, workspace: ws,
                                    training: training, rng: &rng)
            }
        }
        return (Array(ws.lastOutput), g.array, value)
    }

    /// The kernels' path against the BLAS path (a workspace made with `ownKernels: false`), entry by entry to a few
    /// ulps of the largest: the papers' 5-50-1 on 80 rows (δ formed inside the kernel), a single layer with dropout
    /// and α = 2 whose width is not a multiple of 8, and a deep net (a residual pair, dropout, three outputs) whose
    /// kernel layers take δ from memory and whose layer on a 70-wide input stays on BLAS.
    func testKernelPathMatchesBLASPath() throws {
        let cases: [(Architecture, Int, Bool, [Bool])] = [
            (makeArchitecture(5, [50], 1), 80, false, [true]),
            (makeArchitecture(3, [9], 1, readoutBias: true, alpha: 2, dropout: [0.3]), 7, true, [true]),
            (makeArchitecture(4, [13, 13, 9, 70, 6], 3, activations: ["tanh", "gelu", "silu", "tanh", "x2tanh"],
                              readoutBias: true, residual: true, dropout: [0.2, 0, 0.1, 0, 0]), 11, true,
             [true, true, true, true, false]),
        ]
        for (arch, n, training, expected) in cases {
            let net = try Network(architecture: arch)
            let own = Workspace(architecture: arch, capacity: n, team: nil)
            let blas = Workspace(architecture: arch, capacity: n, team: nil, ownKernels: false)
            XCTAssertEqual(own.ownKernel, expected, "\(arch.hiddenWidths)")
            XCTAssertEqual(blas.ownKernel, expected.map { _ in false })
            let p = randomParameters(net, std: 0.4, seed: 44)
            let a = run(net, p, own, n: n, training: training), b = run(net, p, blas, n: n, training: training)
            XCTAssertEqual(a.loss, b.loss, accuracy: 1e-14 * abs(b.loss), "\(arch.hiddenWidths)")
            let outScale = b.out.map(abs).max()!
            for (u, v) in zip(a.out, b.out) { XCTAssertEqual(u, v, accuracy: 1e-14 * outScale) }
            let scale = b.grad.map(abs).max()!
            XCTAssertGreaterThan(scale, 0)
            var worst = 0.0
            for (u, v) in zip(a.grad, b.grad) { worst = max(worst, abs(u - v)) }
            XCTAssertLessThanOrEqual(worst, 1e-14 * scale, "\(arch.hiddenWidths): gradients differ by \(worst)")
            XCTAssert(a.grad.allSatisfy(\.isFinite))
        }
    }

    /// A kernel layer wide enough to be cut into neuron blocks (5-1000 on 80 rows: 480 000 multiply–adds) gives the
    /// same bits on 1, 2 and 3 threads and without a team, with δ formed in the kernel (one hidden layer) and read
    /// from memory (two), with dropout.
    func testBlockedKernelLayersGiveTheSameBitsOnAnyTeam() throws {
        for widths in [[1000], [1000, 20]] {
            let arch = makeArchitecture(5, widths, 1, dropout: widths.map { _ in 0.1 })
            let net = try Network(architecture: arch)
            let n = 80
            let plain = net.makeWorkspace(batchSize: n)
            XCTAssertEqual(plain.blocks(layer: 0, rows: n).count, 2)
            XCTAssertTrue(plain.ownKernel[0])
            let p = randomParameters(net, std: 0.2, seed: 45)
            func bits(_ ws: Workspace) -> [UInt64] {
                let r = run(net, p, ws, n: n, training: true)
                return [r.loss.bitPattern] + r.out.map(\.bitPattern) + r.grad.map(\.bitPattern)
            }
            let one = bits(plain)
            for threads in [1, 2, 3] {
                XCTAssertEqual(bits(net.makeWorkspace(batchSize: n, team: WorkerTeam(size: threads))), one,
                               "\(widths) on \(threads) threads")
            }
        }
    }

    /// The layers that take the kernels: fanIn+1 ≤ `kernelInnerLimit` and capacity·m·(fanIn+1) ≤ 10⁶; others keep
    /// BLAS.
    func testKernelLayersAreSmallOnesWithAShortInnerDimension() {
        let limit = Workspace.kernelInnerLimit
        let arch = makeArchitecture(limit - 1, [limit - 1, limit, 3, 4], 1)
        for n in [1, 80, 1000] {
            XCTAssertEqual(Workspace(architecture: arch, capacity: n, team: nil).ownKernel, [true, true, false, true],
                           "\(n) rows")
        }
        XCTAssertEqual(Workspace(architecture: makeArchitecture(5, [50], 1), capacity: 3333, team: nil).ownKernel, [true])
        XCTAssertEqual(Workspace(architecture: makeArchitecture(5, [50], 1), capacity: 3334, team: nil).ownKernel, [false])
    }
}
