import RunFormat

extension RunWriter {
    /// Appends one snapshot per entry of `snapshots` (a hidden layer's rows, then the readout's), at steps 0, 10, 20,
    /// …, marks the run completed and closes the file: planted runs for the analysis tests.
    func writePlanted(_ snapshots: [(hidden: [Double], readout: [Double])], learningRate: Double) throws {
        for (s, w) in snapshots.enumerated() {
            try w.hidden.withUnsafeBufferPointer { h in
                try w.readout.withUnsafeBufferPointer { r in
                    try appendSnapshot(SnapshotRecord(step: 10 * s, epoch: Double(10 * s), wallTime: 0, trainLoss: 0,
                                                      testLoss: .nan, learningRate: learningRate),
                                       weights: [h, r], stepLosses: UnsafeBufferPointer(start: nil, count: 0),
                                       optimizer: nil)
                }
            }
        }
        try setStatus(.completed)
        try close()
    }
}
