import Foundation
import Model
import Propagation

extension ExperimentCatalog {
    /// Networks per simulation (one simulation per seed).
    static func networks(_ s: ReproduceSettings, full: Int) -> Int { s.quick ? full / 10 : full }

    /// `condense propagate --preset lyapunov --simulate N`, per seed: deep narrow leaky ReLU (slope 0.1, depth
    /// 100, no bias) at widths 4, 8, 16 under He, orthogonal and the two Lyapunov initializations;
    /// log‖x_L‖ − log‖x_0‖ predicted by the Lyapunov exponent against the simulated mean.
    static let lyapunov = Experiment(
        id: "lyapunov", figure: "Kogler et al. 2026",
        summary: "deep narrow leaky ReLU at initialization: log-norm growth by the Lyapunov exponent vs simulation",
        sweep: nil,
        notes: { s in ["\(networks(s, full: 2000)) simulated networks per seed (depth 100, leaky_relu(0.1), no bias, θ₀ = π/2); match: |z| < 3 (z = (simulated − predicted)/sem)"] },
        evaluate: { runs, s in
            let alpha = 0.1, depth = 100
            let gain = (2 / (1 + alpha * alpha)).squareRoot()
            let schemes = ["he_normal(slope=\(alpha))", "orthogonal(gain=\(gain))", "lyapunov_gaussian(slope=\(alpha))",
                           "lyapunov_orthogonal(slope=\(alpha))"]
            var out: [ClaimOutcome] = []
            for d in [4, 8, 16] {
                for spec in schemes {
                    let scheme = try InitScheme(parsing: spec)
                    let setup = { (n: Int, seed: Int) in
                        PropagationSetup(widths: [d] + Array(repeating: d, count: depth) + [1], activation: "leaky_relu(\(alpha))",
                                         initScheme: scheme, networks: n, seed: UInt64(seed), threads: s.jobs)
                    }
                    let p = try PropagationPrediction(setup: setup(0, 1), densityPoints: 20)
                    let start = 0.5 * log(Double(d))
                    let predicted = p.mean(.lyapunov, layer: depth, .logNorm) - start
                    let short = spec.split(separator: "(").first.map(String.init) ?? spec
                    out.append(try TheoryClaims.compare(
                        key: "d\(d).\(short)", claim: "d = \(d), \(short): log‖x_L‖ − log‖x_0‖ after \(depth) layers",
                        source: "Kogler et al. 2026 (Lyapunov exponent)", predicted: predicted, seeds: runs.seeds,
                        note: p.notes[.lyapunov]) { seed in
                            let r = try PropagationSimulator.run(setup(networks(s, full: 2000), seed)).statistics(layer: depth, .logNorm)
                            return (r.mean - start, r.sem)
                        })
                }
            }
            return out
        })

    /// `condense propagate --preset degeneracy --simulate N`, per seed: ln sin²θ at the last hidden layer of the
    /// degeneracy paper's six 784-…-10 ReLU architectures (He init, θ₀ = π/2), the finite-width angle law against
    /// the simulated mean.
    static let degeneracy = Experiment(
        id: "degeneracy", figure: "Jakub & Nica 2023",
        summary: "deep ReLU at initialization: ln sin²θ at the last hidden layer, finite-width angle law vs simulation",
        sweep: nil,
        notes: { s in ["\(networks(s, full: 1000)) simulated networks per seed (784-…-10 ReLU, He, θ₀ = π/2); match: |z| < 3 (z = (simulated − predicted)/sem)"] },
        evaluate: { runs, s in
            let architectures: [(name: String, width: Int, depth: Int)] = [
                ("85x2", 85, 2), ("100x10", 100, 10), ("30x15", 30, 15), ("15x30", 15, 30), ("75x35", 75, 35), ("50x50", 50, 50),
            ]
            return try architectures.map { a in
                let widths = [784] + Array(repeating: a.width, count: a.depth) + [10]
                let setup = { (n: Int, seed: Int) in
                    PropagationSetup(widths: widths, networks: n, seed: UInt64(seed), threads: s.jobs)
                }
                let p = try PropagationPrediction(setup: setup(0, 1))
                return try TheoryClaims.compare(
                    key: a.name, claim: "\(a.name): ln sin²θ at the last hidden layer (finite-width law)",
                    source: "Jakub & Nica 2023 (finite-width angle law)",
                    predicted: p.mean(.finiteWidth, layer: a.depth, .lnSin2Theta), seeds: runs.seeds,
                    note: p.notes[.finiteWidth]) { seed in
                        let r = try PropagationSimulator.run(setup(networks(s, full: 1000), seed)).statistics(layer: a.depth, .lnSin2Theta)
                        return (r.mean, r.sem)
                    }
            }
        })
}
