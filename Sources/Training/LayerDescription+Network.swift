import Model
import RunFormat

extension LayerDescription {
    /// How a run file describes the layers of `network`, built from `a`: every hidden layer in order (its fan-in,
    /// width, activation with its multiplicity, residual connection and dropout rate), then the readout.
    static func layers(of a: Architecture, network: Network) -> [LayerDescription] {
        var layers: [LayerDescription] = []
        var fanIn = a.inputDim
        for (l, width) in a.hiddenWidths.enumerated() {
            let act = network.activations[l]
            layers.append(LayerDescription(
                name: hiddenName(l + 1), kind: .hidden, index: l + 1, fanIn: fanIn, width: width,
                hasBias: a.hiddenBias, activation: act.spec, multiplicity: act.multiplicity.p,
                residual: a.isResidual(hiddenLayer: l), dropout: a.dropout.isEmpty ? 0 : a.dropout[l]))
            fanIn = width
        }
        layers.append(LayerDescription(name: readoutName, kind: .readout, index: a.hiddenWidths.count + 1,
                                       fanIn: fanIn, width: a.outputDim, hasBias: a.readoutBias,
                                       outputScale: a.outputScale))
        return layers
    }
}
