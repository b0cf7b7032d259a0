import Foundation
import RunFormat

/// What is done to loaded data before training: input scaling and the label encoding. Stored in the run's
/// configuration (`TrainingConfig.preprocessing`) and, with the data's origin, in `/data/train`'s `provenance`.
public struct DataPreprocessing: Codable, Equatable, Sendable {
    public enum InputScaling: String, Codable, CaseIterable, Sendable {
        /// As read (IDX pixels stay 0…255).
        case raw
        /// Pixel values 0…255 divided by 255, into [0, 1]; a value outside 0…255 is an error.
        case unit
        /// Each input column shifted and scaled to mean 0 and variance 1 over the training set (population variance;
        /// a constant column is only centred); the test set uses the training set's mean and scale.
        case standardize
    }
    public enum LabelEncoding: String, Codable, CaseIterable, Sendable {
        /// The target as read: for a class label, its value as one scalar output (P1 Fig. 4(b), P2's MNIST runs).
        case value
        /// A single integer label column 0…K−1 becomes K columns, 1 at the label and 0 elsewhere.
        case oneHot = "one-hot"
    }

    public var inputs: InputScaling
    public var labels: LabelEncoding
    /// K for `.oneHot` (nil: the largest label of the training and test sets + 1); labels must lie in 0…K−1.
    public var classes: Int?

    /// A built-in image data set without options: pixels into [0, 1], the label as one scalar output.
    public static let datasetDefault = DataPreprocessing(inputs: .unit, labels: .value)

    public init(inputs: InputScaling = .raw, labels: LabelEncoding = .value, classes: Int? = nil) {
        self.inputs = inputs; self.labels = labels; self.classes = classes
    }

    /// Applies the scaling and encoding to both sets; one-line errors name the offending sample.
    func apply(train: inout Dataset, test: inout Dataset?) throws {
        switch inputs {
        case .raw: break
        case .unit:
            try Self.scaleUnit(&train, "the training data")
            if test != nil { try Self.scaleUnit(&test!, "the test data") }
        case .standardize:
            let (mean, scale) = Self.moments(train)
            Self.standardize(&train, mean: mean, scale: scale)
            if test != nil { Self.standardize(&test!, mean: mean, scale: scale) }
        }
        guard labels == .oneHot else { return }
        var k = classes ?? 0
        if let classes, classes < 2 { throw TrainingError.option("--classes must be ≥ 2 (got \(classes))") }
        for (set, what) in [(train, "the training data"), (test, "the test data")] {
            guard let set else { continue }
            guard set.outputDim == 1 else {
                throw TrainingError.data("--labels one-hot needs one label column; \(what) has \(set.outputDim) target columns")
            }
            for (i, label) in set.y.enumerated() {
                guard label >= 0, label == label.rounded(), label < Double(classes ?? Int.max) else {
                    let range = classes.map { "0…\($0 - 1)" } ?? "a whole number ≥ 0"
                    throw TrainingError.data("\(what): label \(label) of sample \(i + 1) is not a class (\(range))"
                                        + (classes == nil ? "" : "; check --classes"))
                }
                if classes == nil { k = max(k, Int(label) + 1) }
            }
        }
        guard k >= 2 else { throw TrainingError.data("--labels one-hot: the data holds a single class (0); give --classes") }
        train = Self.oneHot(train, classes: k)
        if let t = test { test = Self.oneHot(t, classes: k) }
    }

    private static func scaleUnit(_ d: inout Dataset, _ what: String) throws {
        if let i = d.x.firstIndex(where: { !(0...255).contains($0) }) {
            throw TrainingError.data("--input-scaling unit divides pixel values 0…255 by 255, but input \(i % d.inputDim + 1) "
                                + "of sample \(i / d.inputDim + 1) in \(what) is \(d.x[i]); use standardize or raw")
        }
        for i in d.x.indices { d.x[i] /= 255 }
    }

    /// Per-column mean and 1/standard deviation (1 for a constant column).
    private static func moments(_ d: Dataset) -> (mean: [Double], scale: [Double]) {
        var mean = [Double](repeating: 0, count: d.inputDim), sq = mean
        for r in 0..<d.n { for c in 0..<d.inputDim { mean[c] += d.x[r * d.inputDim + c] } }
        for c in mean.indices { mean[c] /= Double(d.n) }
        for r in 0..<d.n { for c in 0..<d.inputDim { let v = d.x[r * d.inputDim + c] - mean[c]; sq[c] += v * v } }
        let scale = sq.map { s -> Double in let sd = (s / Double(d.n)).squareRoot(); return sd > 0 ? 1 / sd : 1 }
        return (mean, scale)
    }

    private static func standardize(_ d: inout Dataset, mean: [Double], scale: [Double]) {
        for r in 0..<d.n { for c in 0..<d.inputDim { d.x[r * d.inputDim + c] = (d.x[r * d.inputDim + c] - mean[c]) * scale[c] } }
    }

    private static func oneHot(_ d: Dataset, classes k: Int) -> Dataset {
        var y = [Double](repeating: 0, count: d.n * k)
        for (i, label) in d.y.enumerated() { y[i * k + Int(label)] = 1 }
        return Dataset(x: d.x, y: y, n: d.n, inputDim: d.inputDim, outputDim: k, provenance: d.provenance)
    }
}
