import Foundation
import Model
import Propagation
import Theory

/// The named settings: the degeneracy paper's architectures, the anti-correlated κ sweep, the Lyapunov setting.
extension PropagateCommand {
    func requireSingleFile(_ name: String) throws {
        if options.output != nil {
            throw UsageError.option("-o holds one setup; --preset \(name) runs several (use e.g. --preset 100x10 or --widths … with -o)")
        }
    }

    func emit(_ rows: [[String: Any]], title: String, columns: [(key: String, label: String, width: Int)]) {
        if options.json {
            let clean = rows.map { $0.mapValues { v -> Any in (v as? Double).map { $0.isFinite ? $0 : NSNull() as Any } ?? v } }
            let data = (try? JSONSerialization.data(withJSONObject: ["preset": title, "rows": clean], options: [.sortedKeys, .prettyPrinted])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(title)
        func cell(_ v: Any?, _ w: Int) -> String {
            let s: String
            if let d = v as? Double { s = Self.f(d, abs(d) >= 100 ? 2 : 4) } else if let v { s = "\(v)" } else { s = "" }
            return s.count >= w ? s + " " : String(repeating: " ", count: w - s.count) + s
        }
        print(columns.map { cell($0.label, $0.width) }.joined())
        for r in rows { print(columns.map { cell(r[$0.key], $0.width) }.joined()) }
    }

    /// ln sin²θ at the last hidden layer of 85x2 … 50x50 (784 in, 10 out, ReLU, He): the finite-width density
    /// (each layer governed by its own width), the mean iteration, the notebook's Algorithm 1 (fan-in widths, one
    /// more step through the readout), the infinite-width map, and the simulation when asked.
    func degeneracyPreset() throws {
        try requireSingleFile("degeneracy")
        var rows: [[String: Any]] = []
        for a in PropagateOptions.degeneracyArchitectures {
            let widths = [784] + Array(repeating: a.width, count: a.depth) + [10]
            let setup = try options.setup(widths: widths)
            let p = try PropagationPrediction(setup: setup, densityPoints: options.densityPoints)
            let L = a.depth
            var row: [String: Any] = [
                "architecture": a.name,
                "finite_width": p.mean(.finiteWidth, layer: L, .lnSin2Theta),
                "finite_width_std": p.std(.finiteWidth, layer: L, .lnSin2Theta),
                "mean_iteration": p.degeneracy.map { FiniteWidthAngle.lnSin2(theta: $0.layers[L].meanIterationTheta) } ?? Double.nan,
                "algorithm1_notebook": (try? DegeneracyPrediction.algorithm1(widths: widths, theta0: setup.theta0, indexing: .fanIn)) ?? Double.nan,
                "infinite_width": p.mean(.infiniteWidth, layer: L, .lnSin2Theta),
                "infinite_width_algorithm1": DegeneracyPrediction.infiniteWidthAlgorithm1(depth: L + 1, theta0: setup.theta0),
            ]
            if setup.networks > 0 {
                let s = try PropagationSimulator.run(setup).statistics(layer: L, .lnSin2Theta)
                row["simulated"] = s.mean
                row["sem"] = s.sem
                row["simulated_std"] = s.std
                row["z"] = (s.mean - p.mean(.finiteWidth, layer: L, .lnSin2Theta)) / s.sem
            }
            rows.append(row)
        }
        var columns: [(key: String, label: String, width: Int)] = [
            ("architecture", "arch", 8), ("finite_width", "finite", 10), ("finite_width_std", "± std", 9),
            ("mean_iteration", "mean-iter", 11), ("algorithm1_notebook", "Alg1 nb", 10), ("infinite_width", "infinite", 10),
            ("infinite_width_algorithm1", "inf L+1", 10),
        ]
        if options.simulate > 0 { columns += [("simulated", "simulated", 11), ("sem", "± sem", 9), ("simulated_std", "(std)", 10), ("z", "z", 9)] }
        emit(rows, title: "predicted ln sin²θ at the last hidden layer (784 in, 10 out, \(options.activationSpec), θ₀ = \(Self.f(options.theta0))); Alg1 nb = notebook Algorithm 1 (fan-in widths, L+1 steps), inf L+1 = infinite width over the same L+1 steps",
             columns: columns)
    }

    /// κ = −1 … 0 at σ_w² = 2π/(π+κ) without bias: χ₁, the phase, c*, and the mean-field correlation at the last
    /// hidden layer from the inputs at θ₀, with the simulation (anti_correlated(kappa=κ) weights) when asked.
    func antiCorrelatedPreset() throws {
        try requireSingleFile("anti-correlated")
        let widths = (options.widths != nil || options.hidden != nil) ? try options.resolvedWidths()
            : [100] + Array(repeating: 200, count: 20) + [10]
        let L = widths.count - 2
        var rows: [[String: Any]] = []
        for kappa in [-1.0, -0.9, -0.75, -0.5, -0.25, -0.1, 0] {
            let sw2 = MeanFieldMap.preservingWeightVariance(kappa: kappa)
            let map = try MeanFieldMap(weightVariance: sw2, kappa: kappa)
            var row: [String: Any] = [
                "kappa": kappa, "weight_variance": sw2, "chi1": map.chi1, "phase": map.phase.rawValue,
                "c_star": map.stableCorrelation ?? Double.nan,
            ]
            if let scheme = try? InitScheme(parsing: "anti_correlated(kappa=\(kappa))") {
                let setup = try options.setup(widths: widths, scheme: scheme)
                let p = try PropagationPrediction(setup: setup, densityPoints: options.densityPoints)
                row["scheme_weight_variance"] = WeightLaw(setup: setup).weightVariance.last ?? Double.nan
                row["c_L"] = p.mean(.meanField, layer: L, .correlation)
                if setup.networks > 0 {
                    let s = try PropagationSimulator.run(setup).statistics(layer: L, .correlation)
                    row["simulated"] = s.mean
                    row["sem"] = s.sem
                    row["z"] = (s.mean - p.mean(.meanField, layer: L, .correlation)) / s.sem
                }
            } else {
                if options.simulate > 0 { throw UsageError.option("the anti_correlated(kappa=…) initializer is not in this build; run without --simulate") }
                var c = cos(options.theta0)
                for _ in 0..<L { c = map.nextCorrelation(c, variance: 1) }
                row["c_L"] = c
            }
            rows.append(row)
        }
        var columns: [(key: String, label: String, width: Int)] = [
            ("kappa", "κ", 8), ("weight_variance", "σ_w²", 9), ("chi1", "χ₁", 9), ("phase", "phase", 10),
            ("c_star", "c*", 9), ("c_L", "c_L (MF)", 10),
        ]
        if options.simulate > 0 { columns += [("simulated", "simulated", 11), ("sem", "± sem", 9), ("z", "z", 9)] }
        emit(rows, title: "anti-correlated weights, no bias, \(Self.describe(widths)), pre-activation correlation at layer \(L) from c₀ = cos θ₀ = \(Self.f(cos(options.theta0)))",
             columns: columns)
    }

    /// Deep narrow leaky ReLU (width d = input width, no bias): log‖x_L‖ − log‖x_0‖ by the Lyapunov exponent and its
    /// CLT spread, for He, orthogonal and the Lyapunov initializations, with the simulation when asked.
    func lyapunovPreset() throws {
        try requireSingleFile("lyapunov")
        guard let alpha = leakySlope(ofActivation: options.activationSpec), alpha > 0, alpha <= 1 else {
            throw UsageError.option("the Lyapunov setting needs leaky ReLU with slope α in (0, 1] (plain ReLU dies with probability 2^-d per layer: λ = −∞); got \(options.activationSpec)")
        }
        let depth = options.depth ?? 100
        guard depth >= 1 else { throw UsageError.option("--depth must be ≥ 1, got \(depth)") }
        let dims = options.hidden.map { [$0] } ?? [4, 8, 16]
        let gain = (2 / (1 + alpha * alpha)).squareRoot()
        var schemes = ["he_normal(slope=\(alpha))", "orthogonal(gain=\(gain))"]
        for s in ["lyapunov_gaussian(slope=\(alpha))", "lyapunov_orthogonal(slope=\(alpha))"] where (try? InitScheme(parsing: s)) != nil {
            schemes.append(s)
        }
        var rows: [[String: Any]] = []
        for d in dims {
            for spec in schemes {
                let scheme = try InitScheme(parsing: spec)
                let setup = try options.setup(widths: [d] + Array(repeating: d, count: depth) + [1], scheme: scheme)
                let p = try PropagationPrediction(setup: setup, densityPoints: 20)
                let start = 0.5 * log(Double(d))
                let predicted = p.mean(.lyapunov, layer: depth, .logNorm) - start
                var row: [String: Any] = [
                    "width": d, "init": scheme.spec, "lambda": predicted / Double(depth), "predicted": predicted,
                    "clt_std": p.std(.lyapunov, layer: depth, .logNorm),
                ]
                if let why = p.notes[.lyapunov] { row["note"] = why }
                if setup.networks > 0 {
                    let s = try PropagationSimulator.run(setup).statistics(layer: depth, .logNorm)
                    row["simulated"] = s.mean - start
                    row["sem"] = s.sem
                    row["simulated_std"] = s.std
                    row["z"] = (s.mean - start - predicted) / s.sem
                }
                rows.append(row)
            }
        }
        var columns: [(key: String, label: String, width: Int)] = [
            ("width", "d", 4), ("init", "init", 40), ("lambda", "λ", 9), ("predicted", "Δ log‖x‖", 10), ("clt_std", "CLT std", 9),
        ]
        if options.simulate > 0 { columns += [("simulated", "simulated", 11), ("sem", "± sem", 9), ("simulated_std", "(std)", 10), ("z", "z", 9)] }
        columns.append(("note", "  note", 2))
        emit(rows, title: "deep narrow \(options.activationSpec), depth \(depth), no bias: log‖x_L‖ − log‖x_0‖ (Lyapunov λ·L, CLT std √(Σ v²))",
             columns: columns)
    }
}
