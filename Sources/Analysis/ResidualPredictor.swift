import LinearAlgebra
import Model
import RunFormat

/// Rebuilds the network a run file describes and pushes its training data through it, giving the residuals
/// eᵢ = f(xᵢ) − yᵢ and every hidden layer's input at a snapshot — what the p = 1 prediction needs.
struct ResidualPredictor {
    let network: Network
    let architecture: Architecture
    let data: Dataset

    init(reader: RunReader) throws {
        guard let data = try reader.data("train") else {
            throw AnalysisError.predictionUnavailable("the file has no /data/train")
        }
        let layers = reader.layers
        guard let readout = layers.last, readout.kind == .readout else {
            throw AnalysisError.predictionUnavailable("the file has no readout layer")
        }
        let hidden = layers.dropLast()
        guard hidden.allSatisfy({ $0.kind == .hidden }), let first = hidden.first, first.fanIn == data.inputDim,
              readout.width == data.outputDim else {
            throw AnalysisError.predictionUnavailable("the layers do not chain from the data's inputs to its outputs")
        }
        let activations = hidden.map { $0.activation ?? "" }
        for a in activations where (try? Activation(parsing: a)) == nil {
            throw AnalysisError.predictionUnavailable("activation '\(a)' is unknown to condense")
        }
        // Disabled biases are stored as zero columns, so computing with every bias on is the same network.
        let architecture = Architecture(
            inputDim: data.inputDim, hiddenWidths: hidden.map(\.width), outputDim: readout.width,
            activations: activations, hiddenBias: true, readoutBias: true,
            residual: hidden.contains { $0.residual }, outputScale: readout.outputScale)
        do { network = try Network(architecture: architecture) } catch {
            throw AnalysisError.predictionUnavailable("the network cannot be rebuilt (\(error))")
        }
        for (l, d) in hidden.enumerated() where d.residual != architecture.isResidual(hiddenLayer: l) {
            throw AnalysisError.predictionUnavailable("layer \(d.name)'s residual connection is not one condense computes")
        }
        self.architecture = architecture
        self.data = data
    }

    /// Residuals (n × outputs) and each hidden layer's input (n × fan_in, without the ones column).
    func layerInputs(weights: [Matrix]) throws -> (residuals: Matrix, layers: [Matrix]) {
        let parameters = Parameters(architecture: architecture)
        for (l, w) in weights.enumerated() {
            let block = parameters.block(layer: l)
            precondition(block.count == w.elements.count)
            for i in 0..<block.count { block[i] = w.elements[i] }
        }
        let n = data.n
        let ws = network.makeWorkspace(batchSize: n)
        let output = data.x.withUnsafeBufferPointer { x in
            Array(network.forward(x, n: n, parameters: parameters, workspace: ws))
        }
        var residuals = Matrix(rows: n, cols: data.outputDim)
        for i in 0..<residuals.elements.count { residuals.elements[i] = output[i] - data.y[i] }
        var inputs: [Matrix] = []
        for l in 0..<architecture.depth {
            let width = architecture.fanIn(layer: l)
            let a = ws.augmentedRepresentation(l)
            var m = Matrix(rows: n, cols: width)
            for i in 0..<n { for j in 0..<width { m.elements[i * width + j] = a[i * (width + 1) + j] } }
            inputs.append(m)
        }
        return (residuals, inputs)
    }
}
