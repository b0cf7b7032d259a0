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

/// Writes and reads the propagation file; the layout lives here and in FORMAT.md only.
public enum PropagationFile {
    public static let format = "condense-propagate"
    public static let version = "1.0"
    public static let major = 1

    public static func write(_ r: PropagationRecord, to path: String, overwrite: Bool) throws {
        let nq = r.quantities.count, nm = r.models.count, nl = r.layers
        guard r.predictionMean.count == nm * nl * nq, r.predictionStd.count == nm * nl * nq else {
            throw RunFileError("propagation record: predictions do not fill (model, layer, quantity) = (\(nm), \(nl), \(nq))")
        }
        if r.networks > 0 {
            guard r.simulation.count == r.networks * nl * nq, r.simulationMean.count == nl * nq,
                  r.simulationStd.count == nl * nq, r.simulationSem.count == nl * nq else {
                throw RunFileError("propagation record: simulation arrays do not fill (network, layer, quantity)")
            }
        }
        let file = try H5File.create(path, mode: overwrite ? .truncate : .exclusive)
        let root = file.root
        try root.setAttribute("format", format)
        try root.setAttribute("format_version", version)
        try root.setAttribute("tool_version", r.toolVersion)
        try root.setAttribute("command_line", r.commandLine)
        try root.setAttribute("config", r.configJSON)
        try root.setAttribute("activation", r.activation)
        try root.setAttribute("init", r.initSpec)
        try root.setAttribute("widths", r.widths.map(Int64.init))
        let layer = try root.write("layer", (0..<nl).map(Int64.init))
        try layer.makeDimensionScale("layer")
        let quantity = try root.write("quantity", r.quantities)
        try quantity.makeDimensionScale("quantity")
        let model = try root.write("model", r.models)
        try model.makeDimensionScale("model")
        func data(_ name: String, _ values: [Double], _ scales: [H5Dataset]) throws {
            let ds = try root.write(name, values, shape: scales.map { $0.shape[0] })
            for (i, s) in scales.enumerated() {
                try ds.attach(scale: s, toDimension: i)
                try ds.setDimensionLabel(String(s.name.split(separator: "/").last ?? ""), forDimension: i)
            }
        }
        try data("prediction_mean", r.predictionMean, [model, layer, quantity])
        try data("prediction_std", r.predictionStd, [model, layer, quantity])
        if r.networks > 0 {
            let network = try root.write("network", (0..<r.networks).map(Int64.init))
            try network.makeDimensionScale("network")
            try data("simulation", r.simulation, [network, layer, quantity])
            try data("simulation_mean", r.simulationMean, [layer, quantity])
            try data("simulation_std", r.simulationStd, [layer, quantity])
            try data("simulation_sem", r.simulationSem, [layer, quantity])
        }
        try file.close()
    }

    public static func read(_ path: String) throws -> PropagationRecord {
        guard FileManager.default.fileExists(atPath: path) else { throw RunFileError("\(path): no such file") }
        guard H5File.isHDF5(path) else { throw RunFileError("\(path): not an HDF5 file") }
        let file = try H5File.open(path)
        defer { try? file.close() }
        let root = file.root
        guard (try? root.stringAttribute("format")) == format else {
            throw RunFileError("\(path): not a propagation file (no root attribute format = \"\(format)\")")
        }
        let v = (try? root.stringAttribute("format_version")) ?? ""
        guard Int(v.split(separator: ".").first ?? "") == major else {
            throw RunFileError("\(path): propagation file version \(v) is not supported (reads \(major).x)")
        }
        let networks = root.isDataset("network") ? try root.openDataset("network").shape[0] : 0
        func doubles(_ name: String) throws -> [Double] { networks > 0 ? try root.openDataset(name).read() : [] }
        return PropagationRecord(
            toolVersion: try root.stringAttribute("tool_version"), commandLine: try root.stringAttribute("command_line"),
            configJSON: try root.stringAttribute("config"), activation: try root.stringAttribute("activation"),
            initSpec: try root.stringAttribute("init"), widths: try root.int64ArrayAttribute("widths").map { Int($0) },
            layers: try root.openDataset("layer").shape[0], quantities: try root.openDataset("quantity").readStrings(),
            models: try root.openDataset("model").readStrings(),
            predictionMean: try root.openDataset("prediction_mean").read(),
            predictionStd: try root.openDataset("prediction_std").read(), networks: networks,
            simulation: try doubles("simulation"), simulationMean: try doubles("simulation_mean"),
            simulationStd: try doubles("simulation_std"), simulationSem: try doubles("simulation_sem"))
    }
}
