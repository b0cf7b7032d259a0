import Foundation
import HDF5

/// Writes and reads the propagation file; the layout lives here and in FORMAT.md only.
public enum PropagationFile {
    public static let format = "condense-propagate"
    public static let version = "1.0"
    public static let major = 1

    public static func write(_ r: PropagationRecord, to path: String, overwrite: Bool) throws {
        let nq = r.quantities.count, nm = r.models.count, nl = r.layers
        guard r.predictionMean.count == nm * nl * nq, r.predictionStd.count == nm * nl * nq else {
            throw RunFileError.malformed("propagation record: predictions do not fill (model, layer, quantity) = (\(nm), \(nl), \(nq))")
        }
        if r.networks > 0 {
            guard r.simulation.count == r.networks * nl * nq, r.simulationMean.count == nl * nq,
                  r.simulationStd.count == nl * nq, r.simulationSem.count == nl * nq else {
                throw RunFileError.malformed("propagation record: simulation arrays do not fill (network, layer, quantity)")
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
        guard FileManager.default.fileExists(atPath: path) else { throw RunFileError.open("\(path): no such file") }
        guard H5File.isHDF5(path) else { throw RunFileError.open("\(path): not an HDF5 file") }
        let file = try H5File.open(path)
        defer { try? file.close() }
        let root = file.root
        guard (try? root.stringAttribute("format")) == format else {
            throw RunFileError.open("\(path): not a propagation file (no root attribute format = \"\(format)\")")
        }
        let v = (try? root.stringAttribute("format_version")) ?? ""
        guard Int(v.split(separator: ".").first ?? "") == major else {
            throw RunFileError.version("\(path): propagation file version \(v) is not supported (reads \(major).x)")
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
