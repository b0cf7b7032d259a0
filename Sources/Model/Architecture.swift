/// The shape of a fully connected network:
/// `inputDim → hiddenWidths[0] → … → hiddenWidths[L-1] → outputDim`.
///
/// Hidden layer l computes `h_l = drop(σ_l(W̄_l h_{l-1} + b_l))`, plus `h_{l-1}` when the layer is
/// residual (see `isResidual(hiddenLayer:)`). The readout has no activation and the network output
/// is `(1/α)·(W̄_out h_L + b_out)` with α = `outputScale`.
public struct Architecture: Codable, Equatable, Sendable {
    public var inputDim: Int
    public var hiddenWidths: [Int]
    public var outputDim: Int
    /// One activation spec per hidden layer (the text `Activation(parsing:)` accepts).
    public var activations: [String]
    public var hiddenBias: Bool
    public var readoutBias: Bool
    /// Adds the layer's input to its output between consecutive hidden layers of equal width.
    public var residual: Bool
    /// α in output = (1/α)·readout.
    public var outputScale: Double
    /// Inverted-dropout rate per hidden layer, each in [0, 1).
    public var dropout: [Double]

    /// `dropout: nil` means rate 0 for every hidden layer.
    public init(inputDim: Int, hiddenWidths: [Int], outputDim: Int, activations: [String],
                hiddenBias: Bool = true, readoutBias: Bool = false, residual: Bool = false,
                outputScale: Double = 1, dropout: [Double]? = nil) {
        self.inputDim = inputDim
        self.hiddenWidths = hiddenWidths
        self.outputDim = outputDim
        self.activations = activations
        self.hiddenBias = hiddenBias
        self.readoutBias = readoutBias
        self.residual = residual
        self.outputScale = outputScale
        self.dropout = dropout ?? Array(repeating: 0, count: hiddenWidths.count)
    }

    private enum CodingKeys: String, CodingKey {
        case inputDim, hiddenWidths, outputDim, activations, hiddenBias, readoutBias, residual,
             outputScale, dropout
    }

    /// Missing optional keys decode to their defaults, so older descriptions keep loading.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let widths = try c.decode([Int].self, forKey: .hiddenWidths)
        self.init(inputDim: try c.decode(Int.self, forKey: .inputDim),
                  hiddenWidths: widths,
                  outputDim: try c.decode(Int.self, forKey: .outputDim),
                  activations: try c.decode([String].self, forKey: .activations),
                  hiddenBias: try c.decodeIfPresent(Bool.self, forKey: .hiddenBias) ?? true,
                  readoutBias: try c.decodeIfPresent(Bool.self, forKey: .readoutBias) ?? false,
                  residual: try c.decodeIfPresent(Bool.self, forKey: .residual) ?? false,
                  outputScale: try c.decodeIfPresent(Double.self, forKey: .outputScale) ?? 1,
                  dropout: try c.decodeIfPresent([Double].self, forKey: .dropout))
    }

    /// Number of hidden layers L.
    public var depth: Int { hiddenWidths.count }

    /// Number of weight blocks: L hidden layers plus the readout.
    public var layerCount: Int { hiddenWidths.count + 1 }

    /// Width of the representation entering weight block `layer` (0-based; block L is the readout).
    public func fanIn(layer: Int) -> Int { layer == 0 ? inputDim : hiddenWidths[layer - 1] }

    /// Number of neurons computed by weight block `layer` (0-based; block L is the readout).
    public func fanOut(layer: Int) -> Int { layer < depth ? hiddenWidths[layer] : outputDim }

    /// Whether weight block `layer` has a (trainable) bias column.
    public func hasBias(layer: Int) -> Bool { layer < depth ? hiddenBias : readoutBias }

    /// Whether hidden layer `hiddenLayer` (0-based) adds its input: `residual` is on, it is not the
    /// first hidden layer, and its width equals the previous hidden layer's.
    public func isResidual(hiddenLayer l: Int) -> Bool {
        residual && l >= 1 && l < depth && hiddenWidths[l] == hiddenWidths[l - 1]
    }

    /// Total number of stored parameters (bias columns included even when disabled).
    public var parameterCount: Int {
        (0..<layerCount).reduce(0) { $0 + fanOut(layer: $1) * (fanIn(layer: $1) + 1) }
    }

    /// Checks the description; the error says what is wrong in one line.
    public func validate() throws {
        func fail(_ s: String) -> ModelError { .architecture(s) }
        if inputDim <= 0 { throw fail("input dimension must be positive, got \(inputDim)") }
        if outputDim <= 0 { throw fail("output dimension must be positive, got \(outputDim)") }
        if hiddenWidths.isEmpty { throw fail("at least one hidden layer is needed (give hidden widths, e.g. 50)") }
        if let (i, w) = hiddenWidths.enumerated().first(where: { $0.element <= 0 }) {
            throw fail("hidden layer \(i + 1) has width \(w); widths must be positive")
        }
        if activations.count != hiddenWidths.count {
            throw fail("\(activations.count) activation(s) for \(hiddenWidths.count) hidden layer(s); give one per hidden layer")
        }
        if dropout.count != hiddenWidths.count {
            throw fail("\(dropout.count) dropout rate(s) for \(hiddenWidths.count) hidden layer(s); give one per hidden layer")
        }
        if let (i, r) = dropout.enumerated().first(where: { !($0.element >= 0 && $0.element < 1) }) {
            throw fail("dropout rate \(r) of hidden layer \(i + 1) is not in [0, 1)")
        }
        if !(outputScale.isFinite && outputScale > 0) {
            throw fail("output scale α must be positive and finite, got \(outputScale)")
        }
    }
}
