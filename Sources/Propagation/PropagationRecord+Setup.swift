import Foundation
import RunFormat

extension PropagationSetup {
    /// The resolved setup as JSON (the file's `config` attribute).
    public var configJSON: String {
        var d: [String: Any] = [
            "widths": widths, "activation": activation, "init": initScheme.spec, "theta0": theta0,
            "networks": networks, "seed": seed,
        ]
        d["bias_std"] = biasStd ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension PropagationRecord {
    /// Everything `condense propagate` stores: every model's predictions and, when simulated, the per-network values.
    public init(setup: PropagationSetup, prediction: PropagationPrediction, simulation: PropagationSimulator.Result?,
                commandLine: String) {
        let nl = prediction.layers, quantities = PropagationQuantity.allCases
        var mean: [Double] = [], std: [Double] = [], sem: [Double] = []
        if let s = simulation, s.networks > 0 {
            for l in 0..<nl {
                for q in quantities {
                    let st = s.statistics(layer: l, q)
                    mean.append(st.mean); std.append(st.std); sem.append(st.sem)
                }
            }
        }
        self.init(commandLine: commandLine, configJSON: setup.configJSON, activation: setup.activation,
                  initSpec: setup.initScheme.spec, widths: setup.widths, layers: nl,
                  quantities: quantities.map(\.rawValue), models: PredictionModel.allCases.map(\.rawValue),
                  predictionMean: prediction.mean, predictionStd: prediction.std,
                  networks: simulation?.networks ?? 0, simulation: simulation?.values ?? [],
                  simulationMean: mean, simulationStd: std, simulationSem: sem)
    }
}
