/// One layer of a run file: what `/layers/<name>` says about itself.
public struct LayerDescription: Equatable, Sendable {
    public enum Kind: String, Sendable { case hidden, readout }

    public var name: String
    public var kind: Kind
    /// 1-based position from the input side (the readout is L + 1).
    public var index: Int
    public var fanIn: Int
    public var width: Int
    public var hasBias: Bool
    /// Canonical activation spec (hidden layers).
    public var activation: String?
    /// p, or nil when undefined (ReLU) or unknown.
    public var multiplicity: Int?
    public var residual: Bool
    public var dropout: Double
    /// α of the readout (output = (1/α)·W (x, 1)).
    public var outputScale: Double

    /// Entries per input-weight vector: fan_in weights plus the bias.
    public var components: Int { fanIn + 1 }

    public init(name: String, kind: Kind, index: Int, fanIn: Int, width: Int, hasBias: Bool,
                activation: String? = nil, multiplicity: Int? = nil, residual: Bool = false,
                dropout: Double = 0, outputScale: Double = 1) {
        self.name = name; self.kind = kind; self.index = index; self.fanIn = fanIn; self.width = width
        self.hasBias = hasBias; self.activation = activation; self.multiplicity = multiplicity
        self.residual = residual; self.dropout = dropout; self.outputScale = outputScale
    }

    /// `layer_1 … layer_L`, then `readout`.
    public static func hiddenName(_ index: Int) -> String { "layer_\(index)" }
    public static let readoutName = "readout"
}
