import Model
import RunFormat

/// The data side of the loop: the next batch, and the losses and accuracies of whole data sets at the current
/// parameters.
extension Trainer {
    /// The next batch: the whole training set, or the next `batchSize` samples of the current shuffled epoch
    /// (a shorter last batch, as PyTorch's DataLoader without drop_last), gathered straight into the batch
    /// workspace's input rows (`Workspace.stageInput`), with the targets; returns the targets and the row count.
    /// The whole training set is staged once and stays in place from step to step (a pass of the workspace on
    /// other rows, such as a loss evaluation, resets `stagedRows`, and it is staged again).
    func nextBatch() -> ([Double], Int) {
        if batchSize == train.n && config.batchSize == nil {
            if batchWorkspace.stagedRows != train.n {
                train.x.withUnsafeBufferPointer { batchWorkspace.stageInput(rows: 0..<train.n, of: $0) }
            }
            return (train.y, train.n)
        }
        if cursor >= train.n {
            // Fisher–Yates with the shuffle stream, once per epoch.
            order.withUnsafeMutableBufferPointer { order in
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    let j = Int(shuffleRNG.nextUniform() * Double(i + 1))
                    order.swapAt(i, j)
                }
            }
            cursor = 0
        }
        let n = min(batchSize, train.n - cursor)
        let rows = order[cursor..<(cursor + n)]
        train.x.withUnsafeBufferPointer { batchWorkspace.stageInput(rows: rows, of: $0) }
        Self.gather(rows: rows, of: train.y, width: train.outputDim, into: &batchY)
        cursor += n
        return (batchY, n)
    }

    /// Copies the rows `rows` of the row-major `source` (rows of `width` values) in order into the first
    /// `rows.count` rows of `target`: one pointer access per array and one block copy per row (indexing a class's
    /// array element by element checks exclusivity and uniqueness on every value; see `tools/bench/results.md`).
    static func gather(rows: ArraySlice<Int>, of source: [Double], width: Int, into target: inout [Double]) {
        precondition(rows.count * width <= target.count, "gather: \(rows.count) rows do not fit")
        source.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                guard let from = src.baseAddress, var to = dst.baseAddress else { return }
                for r in rows {
                    precondition(r >= 0 && (r + 1) * width <= src.count, "gather: row \(r) out of range")
                    to.update(from: from + r * width, count: width)
                    to += width
                }
            }
        }
    }

    /// Samples used by `steps` updates: whole epochs of `rows`, then full batches of the current one (an epoch's
    /// last batch may be shorter, so steps × batch / rows is not it).
    static func samplesSeen(steps: Int, rows: Int, batchSize b: Int) -> Double {
        let stepsPerEpoch = (rows + b - 1) / b
        return Double(steps / stepsPerEpoch) * Double(rows) + Double(min((steps % stepsPerEpoch) * b, rows))
    }

    func loss(_ d: Dataset, _ ws: Workspace) -> Double {
        d.x.withUnsafeBufferPointer { x in
            d.y.withUnsafeBufferPointer { y in
                network.loss(x: x, y: y, n: d.n, loss: config.loss, parameters: parameters, workspace: ws)
            }
        }
    }

    func trainingLoss() -> Double { loss(train, trainWorkspace) }

    /// NaN without a test set.
    func testSetLoss() -> Double {
        guard let test, let ws = testWorkspace else { return .nan }
        return loss(test, ws)
    }

    func evaluateLosses(trainLoss known: Double? = nil) -> (Double, Double) {
        (known ?? trainingLoss(), testSetLoss())
    }

    /// Whether snapshots record accuracies: a classification run (cross-entropy, or one-hot labels) with ≥ 2 outputs.
    var classifies: Bool {
        config.architecture.outputDim >= 2 && (config.loss == .crossEntropy || config.preprocessing?.labels == .oneHot)
    }

    /// The share of `d` classified correctly at the current parameters (an inference pass of its own in `ws`).
    func accuracy(_ d: Dataset, _ ws: Workspace) -> Double {
        Self.accuracy(network, d, parameters, ws)
    }

    static func accuracy(_ network: Network, _ d: Dataset, _ p: Parameters, _ ws: Workspace) -> Double {
        d.x.withUnsafeBufferPointer { x in
            d.y.withUnsafeBufferPointer { y in
                Accuracy.share(output: network.forward(x, n: d.n, parameters: p, workspace: ws), target: y, n: d.n,
                               outputDim: d.outputDim)
            }
        }
    }
}
