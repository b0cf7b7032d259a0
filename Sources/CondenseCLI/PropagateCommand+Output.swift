import Foundation
import Propagation

extension PropagateCommand {
    /// "784-100x10-10": runs of equal hidden widths compressed.
    static func describe(_ widths: [Int]) -> String {
        var parts = ["\(widths.first!)"]
        var i = 1
        let hidden = Array(widths.dropFirst().dropLast())
        while i - 1 < hidden.count {
            var j = i - 1
            while j + 1 < hidden.count && hidden[j + 1] == hidden[i - 1] { j += 1 }
            let run = j - (i - 1) + 1
            parts.append(run > 1 ? "\(hidden[i - 1])x\(run)" : "\(hidden[i - 1])")
            i = j + 2
        }
        parts.append("\(widths.last!)")
        return parts.joined(separator: "-")
    }

    static func f(_ v: Double, _ digits: Int = 4) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "—"
    }

    static func header(_ setup: PropagationSetup) -> String {
        let law = WeightLaw(setup: setup)
        return "propagate \(describe(setup.widths)), \(setup.activation), init \(setup.initScheme.spec), θ₀ = \(f(setup.theta0)), "
            + "σ_w² = \(f(law.weightVariance.last ?? .nan)), σ_b² = \(f(law.biasVariance)), κ = \(f(law.kappa))"
            + (setup.networks > 0 ? ", \(setup.networks) networks (seed \(setup.seed))" : "") + "\n"
    }

    static func table(setup: PropagationSetup, prediction p: PropagationPrediction,
                      simulation: PropagationSimulator.Result?) -> String {
        var out = header(setup)
        let pad = { (s: String, n: Int) in s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        let lpad = { (s: String, n: Int) in s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        if let sim = simulation {
            let table = PropagationComparison(prediction: p, simulation: sim)
            out += pad("model", 15) + pad("layer", 6) + pad("quantity", 14) + lpad("predicted", 10) + lpad("(std)", 9)
                + lpad("simulated", 11) + lpad("± sem", 9) + lpad("(std)", 9) + lpad("z", 7) + "\n"
            for r in table.rows {
                out += pad(r.model.rawValue, 15) + pad("\(r.layer)", 6) + pad(r.quantity.rawValue, 14)
                    + lpad(f(r.predictedMean), 10) + lpad(r.predictedStd.isFinite ? "(\(f(r.predictedStd)))" : "", 9)
                    + lpad(f(r.simulatedMean), 11) + lpad(f(r.sem), 9) + lpad("(\(f(r.simulatedStd)))", 9)
                    + lpad(f(r.z, 2), 7) + "\n"
            }
            out += "max |z| = \(f(table.maxAbsZ, 2)) over \(table.rows.count) predictions\n"
        } else {
            out += pad("layer", 6) + pad("width", 6) + lpad("ln sin²θ finite", 17) + lpad("± std", 8) + lpad("linearised", 11)
                + lpad("infinite", 10) + lpad("q (MF)", 9) + lpad("c (MF)", 8) + lpad("log‖x‖ MF", 10) + lpad("Lyapunov", 10)
                + lpad("± std", 8) + "\n"
            for l in 0..<p.layers {
                out += pad("\(l)", 6) + pad("\(setup.widths[l])", 6)
                    + lpad(f(p.mean(.finiteWidth, layer: l, .lnSin2Theta)), 17) + lpad(f(p.std(.finiteWidth, layer: l, .lnSin2Theta)), 8)
                    + lpad(f(p.mean(.linearised, layer: l, .lnSin2Theta)), 11) + lpad(f(p.mean(.infiniteWidth, layer: l, .lnSin2Theta)), 10)
                    + lpad(f(p.mean(.meanField, layer: l, .q)), 9) + lpad(f(p.mean(.meanField, layer: l, .correlation)), 8)
                    + lpad(f(p.mean(.meanField, layer: l, .logNorm)), 10) + lpad(f(p.mean(.lyapunov, layer: l, .logNorm)), 10)
                    + lpad(f(p.std(.lyapunov, layer: l, .logNorm)), 8) + "\n"
            }
        }
        for m in PredictionModel.allCases { if let why = p.notes[m] { out += "\(m.rawValue): \(why)\n" } }
        return out
    }

    static func json(setup: PropagationSetup, prediction p: PropagationPrediction,
                     simulation: PropagationSimulator.Result?) -> String {
        func num(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        var predictions: [[String: Any]] = []
        for m in PredictionModel.allCases {
            for l in 0..<p.layers {
                for q in PropagationQuantity.allCases where p.mean(m, layer: l, q).isFinite {
                    predictions.append(["model": m.rawValue, "layer": l, "quantity": q.rawValue,
                                        "mean": num(p.mean(m, layer: l, q)), "std": num(p.std(m, layer: l, q))])
                }
            }
        }
        var d: [String: Any] = [
            "setup": (try? JSONSerialization.jsonObject(with: Data(setup.configJSON.utf8))) ?? [:],
            "predictions": predictions,
            "notes": Dictionary(uniqueKeysWithValues: p.notes.map { ($0.key.rawValue, $0.value) }),
        ]
        if let sim = simulation {
            var stats: [[String: Any]] = []
            for l in 0..<p.layers {
                for q in PropagationQuantity.allCases {
                    let s = sim.statistics(layer: l, q)
                    stats.append(["layer": l, "quantity": q.rawValue, "mean": num(s.mean), "std": num(s.std),
                                  "sem": num(s.sem), "count": s.count])
                }
            }
            d["simulation"] = stats
            d["comparison"] = PropagationComparison(prediction: p, simulation: sim).rows.map { r -> [String: Any] in
                ["model": r.model.rawValue, "layer": r.layer, "quantity": r.quantity.rawValue,
                 "predicted_mean": num(r.predictedMean), "predicted_std": num(r.predictedStd),
                 "simulated_mean": num(r.simulatedMean), "simulated_std": num(r.simulatedStd), "sem": num(r.sem),
                 "z": num(r.z)]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
