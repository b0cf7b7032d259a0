import Foundation
import HDF5

/// The contents of a propagation file (`condense propagate -o FILE.h5`, FORMAT.md "The propagation file"), in plain
/// arrays so that RunFormat needs nothing from the code that computes them.
public struct PropagationRecord: Equatable, Sendable {
    public var toolVersion: String
    public var commandLine: String
    public var configJSON: String
    public var activation: String
    public var initSpec: String
    /// Input, hidden…, output.
    public var widths: [Int]
    /// Layers 0 (input) … L.
    public var layers: Int
    public var quantities: [String]
    public var models: [String]
    /// (model, layer, quantity), row-major; NaN where a model says nothing.
    public var predictionMean: [Double]
    public var predictionStd: [Double]
    /// Simulated networks (0: no simulation datasets).
    public var networks: Int
    /// (network, layer, quantity).
    public var simulation: [Double]
    /// (layer, quantity).
    public var simulationMean: [Double]
    public var simulationStd: [Double]
    public var simulationSem: [Double]

    public init(toolVersion: String = RunFileFormat.toolVersion, commandLine: String, configJSON: String,
                activation: String, initSpec: String, widths: [Int], layers: Int, quantities: [String],
                models: [String], predictionMean: [Double], predictionStd: [Double], networks: Int = 0,
                simulation: [Double] = [], simulationMean: [Double] = [], simulationStd: [Double] = [],
                simulationSem: [Double] = []) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
        self.configJSON = configJSON
        self.activation = activation
        self.initSpec = initSpec
        self.widths = widths
        self.layers = layers
        self.quantities = quantities
        self.models = models
        self.predictionMean = predictionMean
        self.predictionStd = predictionStd
        self.networks = networks
        self.simulation = simulation
        self.simulationMean = simulationMean
        self.simulationStd = simulationStd
        self.simulationSem = simulationSem
    }

    /// Bitwise comparison of the float arrays, so NaN entries compare equal.
    public static func == (a: PropagationRecord, b: PropagationRecord) -> Bool {
        func same(_ x: [Double], _ y: [Double]) -> Bool { x.map(\.bitPattern) == y.map(\.bitPattern) }
        return a.toolVersion == b.toolVersion && a.commandLine == b.commandLine && a.configJSON == b.configJSON
            && a.activation == b.activation && a.initSpec == b.initSpec && a.widths == b.widths && a.layers == b.layers
            && a.quantities == b.quantities && a.models == b.models && same(a.predictionMean, b.predictionMean)
            && same(a.predictionStd, b.predictionStd) && a.networks == b.networks && same(a.simulation, b.simulation)
            && same(a.simulationMean, b.simulationMean) && same(a.simulationStd, b.simulationStd)
            && same(a.simulationSem, b.simulationSem)
    }
}
