import LinearAlgebra
import XCTest
@testable import Model

/// The step's two shortcuts for a mini-batch of a large data set: rows gathered straight into the workspace
/// (`Workspace.stageInput`) and, on one thread, a layer cut into blocks computed as one product
/// (`Workspace.runsAsOneProduct`). Both must give the bits of the plain pass.
final class WorkspaceStagingTests: XCTestCase {
    /// Loss, output and gradient bits of one training pass.
    private func bits(_ net: Network, _ ws: Workspace, _ loss: Double, _ g: Parameters) -> [UInt64] {
        [loss.bitPattern] + ws.lastOutput.map(\.bitPattern) + g.array.map(\.bitPattern)
    }

    /// Rows staged from a data set (repeated and out of order, dropout on) give the bits of `lossAndGradient` on
    /// an array of those rows; a pass from an array then overwrites the staged rows and says so.
    func testStagedRowsGiveTheBitsOfAnArrayOfThoseRows() throws {
        let arch = makeArchitecture(20, [7, 5], 2, activations: ["x2tanh", "tanh"], dropout: [0.3, 0])
        let net = try Network(architecture: arch)
        let p = randomParameters(net, std: 0.4, seed: 8)
        let rowsInData = 12
        let data = sampleInputs(rowsInData * 20, seed: 2)
        let rows = [5, 0, 11, 5, 3]
        let y = sampleInputs(rows.count * 2, seed: 3)
        let gathered = rows.flatMap { data[($0 * 20)..<($0 * 20 + 20)] }

        let plain = net.makeWorkspace(batchSize: 8), gPlain = net.makeParameters()
        var rng = Xoshiro256(seed: 4)
        let lossPlain = gathered.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                net.lossAndGradient(x: xp, y: yp, n: rows.count, loss: .mean, parameters: p, gradient: gPlain,
                                    workspace: plain, training: true, rng: &rng)
            }
        }

        let staged = net.makeWorkspace(batchSize: 8), gStaged = net.makeParameters()
        data.withUnsafeBufferPointer { staged.stageInput(rows: rows, of: $0) }
        XCTAssertEqual(staged.stagedRows, rows.count)
        rng = Xoshiro256(seed: 4)
        let lossStaged = y.withUnsafeBufferPointer { yp in
            net.lossAndGradient(stagedRows: rows.count, y: yp, loss: .mean, parameters: p, gradient: gStaged,
                                workspace: staged, training: true, rng: &rng)
        }
        XCTAssertEqual(bits(net, staged, lossStaged, gStaged), bits(net, plain, lossPlain, gPlain))
        XCTAssertEqual(Array(staged.augmentedRepresentation(0)), Array(plain.augmentedRepresentation(0)))
        XCTAssertNotEqual(gStaged.array.map(\.bitPattern), net.makeParameters().array.map(\.bitPattern))

        gathered.withUnsafeBufferPointer { _ = net.forward($0, n: 2, parameters: p, workspace: staged) }
        XCTAssertEqual(staged.stagedRows, 0, "a pass from an array overwrote the staged rows")
    }

    /// 784-30-1 on 128 rows (the Fashion-MNIST epoch): its first layer is cut into two blocks of neurons for a team,
    /// which one thread computes as one product when OpenBLAS runs on one thread (as in `condense train`), with the
    /// same bits as two and three threads sharing the blocks. Not with OpenBLAS on more threads, nor for a layer
    /// whose blocks are small enough for OpenBLAS's small-matrix kernels.
    func testOneThreadComputesANarrowLayerOnAWideInputAsOneProduct() throws {
        let saved = BLAS.threads
        defer { BLAS.threads = saved }
        BLAS.threads = 1
        let arch = makeArchitecture(784, [30], 1, activations: ["x2tanh"])
        let net = try Network(architecture: arch)
        let n = 128
        let alone = net.makeWorkspace(batchSize: n)
        let blocks = alone.blocks(layer: 0, rows: n)
        XCTAssertEqual(blocks.count, 2)
        XCTAssertTrue(alone.runsAsOneProduct(blocks, perNeuron: n * 785))
        XCTAssertFalse(net.makeWorkspace(batchSize: n, team: WorkerTeam(size: 2)).runsAsOneProduct(blocks, perNeuron: n * 785))
        BLAS.threads = 2
        XCTAssertFalse(alone.runsAsOneProduct(blocks, perNeuron: n * 785))
        BLAS.threads = 1

        let p = randomParameters(net, std: 0.05, seed: 5)
        let x = sampleInputs(n * 784, seed: 6), y = sampleInputs(n, seed: 7)
        func run(_ threads: Int) -> [UInt64] {
            let ws = net.makeWorkspace(batchSize: n, team: WorkerTeam(size: threads))
            let g = net.makeParameters()
            var rng = Xoshiro256(seed: 1)
            let loss = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(x: xp, y: yp, n: n, loss: .mean, parameters: p, gradient: g, workspace: ws,
                                        training: true, rng: &rng)
                }
            }
            return bits(net, ws, loss, g)
        }
        let one = run(1)
        XCTAssertEqual(run(2), one)
        XCTAssertEqual(run(3), one)

        // 100 → 100 on 128 rows: blocks of 64 and 36 neurons, 128·36·101 multiply–adds, within the small limit.
        let square = try Network(architecture: makeArchitecture(100, [100], 1))
        let ws = square.makeWorkspace(batchSize: n)
        let squareBlocks = ws.blocks(layer: 0, rows: n)
        XCTAssertEqual(squareBlocks.count, 2)
        XCTAssertFalse(ws.runsAsOneProduct(squareBlocks, perNeuron: n * 101))
    }
}
