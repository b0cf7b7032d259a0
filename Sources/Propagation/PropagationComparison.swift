import Foundation

/// Each prediction next to the simulated mean ± standard error, and the z-score (sim − pred)/sem.
public struct PropagationComparison: Sendable {
    public struct Row: Sendable, Equatable {
        public let model: PredictionModel
        public let layer: Int
        public let quantity: PropagationQuantity
        public let predictedMean: Double
        /// The predicted spread across networks (NaN when the model gives none).
        public let predictedStd: Double
        public let simulatedMean: Double
        public let simulatedStd: Double
        public let sem: Double
        /// Networks with a finite value.
        public let count: Int

        /// (simulated − predicted)/sem. The sem is floored at 1e-12·max(1, |predicted|), so a quantity the
        /// networks share exactly (q behind an orthogonal first layer) is compared to rounding, not divided by 0.
        public var z: Double {
            guard sem.isFinite else { return .nan }
            return (simulatedMean - predictedMean) / max(sem, 1e-12 * max(1, abs(predictedMean)))
        }
    }

    public let rows: [Row]

    /// Every (model, layer ≥ 1, quantity) with a finite prediction, in model, layer, quantity order.
    public init(prediction: PropagationPrediction, simulation: PropagationSimulator.Result) {
        var rows: [Row] = []
        for m in PredictionModel.allCases {
            for l in 1..<prediction.layers {
                for q in PropagationQuantity.allCases {
                    let p = prediction.mean(m, layer: l, q)
                    guard p.isFinite else { continue }
                    let s = simulation.statistics(layer: l, q)
                    rows.append(Row(model: m, layer: l, quantity: q, predictedMean: p,
                                    predictedStd: prediction.std(m, layer: l, q), simulatedMean: s.mean,
                                    simulatedStd: s.std, sem: s.sem, count: s.count))
                }
            }
        }
        self.rows = rows
    }

    /// The largest |z| over the rows (NaN-free rows only).
    public var maxAbsZ: Double { rows.map { abs($0.z) }.filter { $0.isFinite }.max() ?? 0 }
}
