import LinearAlgebra
import Model
import XCTest
@testable import Training

/// The trainer's mini-batches, which it gathers straight into the workspace (`Workspace.stageInput`), are the rows
/// PyTorch's DataLoader order would take: a Fisher–Yates shuffle from the shuffle stream at each epoch, then
/// consecutive slices of it with a shorter last one. Checked bit for bit against that loop written out with plain
/// arrays, `Network.lossAndGradient(x:…)` and `Optimizer.step`.
final class MiniBatchTests: XCTestCase {
    func testTheTrainersBatchesAreTheShuffleStreamsRowsPassedAsArrays() throws {
        var c = TrainingConfig.paperDefault
        c.architecture.inputDim = 0
        c.architecture.outputDim = 0
        c.architecture.hiddenWidths = [12]
        c.architecture.activations = ["x2tanh"]
        c.architecture.dropout = [0.2]
        c.optimizer = .adam(lr: 0.01)
        c.batchSize = 32        // 80 rows: batches of 32, 32 and 16 per epoch
        c.steps = 8             // into the third epoch
        c.snapshots = .every(4)
        let trainer = try Trainer(inMemory: c)
        let start = trainer.parameters.array
        XCTAssertEqual(trainer.train.n, 80)
        _ = try trainer.run()

        let net = trainer.network, data = trainer.train, config = trainer.config
        let p = Parameters(architecture: config.architecture), g = Parameters(architecture: config.architecture)
        for i in start.indices { p.values[i] = start[i] }
        let optimizer = Optimizer(config: config.optimizer, parameterCount: p.count)
        var shuffle = Xoshiro256(seed: config.seed, stream: Trainer.shuffleStream)
        var dropout = Xoshiro256(seed: config.seed, stream: Trainer.dropoutStream)
        let ws = net.makeWorkspace(batchSize: 32)
        var order = Array(0..<data.n), cursor = data.n
        let d = data.inputDim, k = data.outputDim
        var sizes: [Int] = []
        for _ in 0..<c.steps {
            if cursor >= data.n {
                for i in stride(from: data.n - 1, to: 0, by: -1) {
                    order.swapAt(i, Int(shuffle.nextUniform() * Double(i + 1)))
                }
                cursor = 0
            }
            let n = min(32, data.n - cursor)
            let rows = order[cursor..<(cursor + n)]
            let x = rows.flatMap { data.x[($0 * d)..<($0 * d + d)] }, y = rows.flatMap { data.y[($0 * k)..<($0 * k + k)] }
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    _ = net.lossAndGradient(x: xp, y: yp, n: n, loss: config.loss, parameters: p, gradient: g,
                                            workspace: ws, training: true, rng: &dropout)
                }
            }
            optimizer.step(parameters: p.values, gradient: g.values, learningRate: config.optimizer.lr)
            cursor += n
            sizes.append(n)
        }
        XCTAssertEqual(sizes, [32, 32, 16, 32, 32, 16, 32, 32])
        XCTAssertEqual(trainer.parameters.array.map(\.bitPattern), p.array.map(\.bitPattern))
        XCTAssertNotEqual(p.array.map(\.bitPattern), start.map(\.bitPattern))
    }
}
