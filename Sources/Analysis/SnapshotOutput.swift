import LinearAlgebra
import Model
import RunFormat

/// A run with one-dimensional input and output at one snapshot: the network's output at the training points and
/// on a grid, the residuals, and the first layer's neurons — what P1 Figs. 5 and 6 are drawn from.
///
/// The network is rebuilt from the file as `condense analyze` rebuilds it for the p = 1 prediction (its layers,
/// activations and `/data/train`); the residuals come from that same computation.
public struct SnapshotOutput: Sendable {
    /// The snapshot's position in the file and its training step.
    public let snapshot: Int
    public let step: Int
    /// The training inputs x_i and targets y_i (`/data/train`).
    public let inputs: [Double]
    public let targets: [Double]
    /// f(x_i).
    public let outputs: [Double]
    /// e_i = f(x_i) − y_i.
    public let residuals: [Double]
    /// Evenly spaced points over the interval (both ends included) and f on them.
    public let grid: [Double]
    public let gridOutput: [Double]
    /// The first hidden layer's activation.
    public let activation: Activation
    /// The first hidden layer's input weights, one row (w_j, b_j) per neuron.
    public let firstLayer: Matrix
    /// For a network with one hidden layer, each neuron's effective readout a_j/α (the output is
    /// Σ_j (a_j/α) σ(w_j x + b_j) plus the readout bias); nil for deeper networks.
    public let readout: [Double]?

    /// The grid size used when none is given: 1001 points, 0.1 % of the interval apart, far finer than any turn a
    /// 1-D network of P1's size makes, and cheap to fit.
    public static let defaultGridPoints = 1001

    /// Reads snapshot `snapshot` of a run file and evaluates its network.
    ///
    /// - Parameters:
    ///   - gridPoints: ≥ 2.
    ///   - interval: the grid's interval; default [min x_i, max x_i], the training interval.
    /// - Throws: `AnalysisError.run` when the file has no training data, the network cannot be rebuilt, the input
    ///   or output is not one-dimensional, or the grid is invalid; `RunFileError` for a snapshot out of range.
    public init(reader: RunReader, snapshot: Int, gridPoints: Int = defaultGridPoints,
                interval: ClosedRange<Double>? = nil) throws {
        let predictor: ResidualPredictor
        do { predictor = try ResidualPredictor(reader: reader) } catch AnalysisError.predictionUnavailable(let reason) {
            throw AnalysisError.run("\(reader.path): \(reason)")
        }
        let data = predictor.data
        guard data.inputDim == 1, data.outputDim == 1 else {
            throw AnalysisError.run("\(reader.path): the network maps \(data.inputDim) input(s) to \(data.outputDim) output(s); this needs 1 to 1")
        }
        guard gridPoints >= 2 else { throw AnalysisError.run("a grid needs at least 2 points, not \(gridPoints)") }
        let lo = interval?.lowerBound ?? data.x.min()!, hi = interval?.upperBound ?? data.x.max()!
        guard lo.isFinite, hi.isFinite, lo < hi else {
            throw AnalysisError.run("the grid's interval [\(lo), \(hi)] must be finite and non-empty")
        }
        guard snapshot >= 0, snapshot < reader.snapshotCount else {
            throw RunFileError.snapshotRange("\(reader.path): snapshot \(snapshot) out of range (file holds \(reader.snapshotCount))")
        }

        let weights = try reader.layers.indices.map { l in
            let d = reader.layers[l]
            return Matrix(rows: d.width, cols: d.components, elements: try reader.weights(layer: l, snapshot: snapshot))
        }
        let residuals = try predictor.layerInputs(weights: weights).residuals.elements

        let parameters = Parameters(architecture: predictor.architecture)
        for (l, w) in weights.enumerated() {
            let block = parameters.block(layer: l)
            for i in 0..<block.count { block[i] = w.elements[i] }
        }
        let step = (hi - lo) / Double(gridPoints - 1)
        let grid = (0..<gridPoints).map { $0 == gridPoints - 1 ? hi : lo + step * Double($0) }

        self.snapshot = snapshot
        self.step = try reader.steps()[snapshot]
        inputs = data.x
        targets = data.y
        self.residuals = residuals
        outputs = zip(residuals, data.y).map { $0 + $1 }
        self.grid = grid
        gridOutput = predictor.network.predict(grid, n: gridPoints, parameters: parameters)
        activation = predictor.network.activations[0]
        firstLayer = weights[0]
        if predictor.architecture.depth == 1 {
            let m = predictor.architecture.hiddenWidths[0], alpha = predictor.architecture.outputScale
            readout = (0..<m).map { weights[1].elements[$0] / alpha }
        } else {
            readout = nil
        }
    }

    /// Polynomial fits of the output on the grid (P1 Fig. 5); see `OutputPolynomialFit`.
    public func polynomialFit(maximumDegree: Int = OutputPolynomialFit.defaultMaximumDegree,
                              tolerance: Double = OutputPolynomialFit.defaultTolerance) throws -> OutputPolynomialFit {
        try OutputPolynomialFit(x: grid, f: gridOutput, maximumDegree: maximumDegree, tolerance: tolerance)
    }

    /// The first layer's direction field at this snapshot's residuals (P1 Fig. 6): leading order when `radius` is
    /// nil, else at that radius; see `DirectionField`.
    ///
    /// - Throws: `AnalysisError.run` for a network with more than one hidden layer (its first layer's neurons do
    ///   not move along this field: the back-propagated factor differs from point to point); the errors of
    ///   `DirectionField.init` (e.g. no leading-order field for ReLU).
    public func directionField(radius: Double? = nil) throws -> DirectionField {
        guard readout != nil else {
            throw AnalysisError.run("the direction field is that of a network with one hidden layer; this one has more")
        }
        return try DirectionField(inputs: inputs, residuals: residuals, activation: activation, radius: radius)
    }
}
