import Analysis
import RunFormat
import Sweep

extension ExperimentCatalog {
    /// P1 Fig. 5's activations and multiplicities (ReLU: none, counts only).
    static let fig5Activations: [(activation: String, p: Int?)] = [("tanh", 1), ("xtanh", 2), ("x2tanh", 3), ("relu", nil)]

    static let p1Fig5 = Experiment(
        id: "p1-fig5", figure: "P1 Figs. 5-6",
        summary: "1-100-1 on sin1d, N(0, 0.005²), Adam 5e-4, 1000 steps: exactly 2p orientations in the initial stage",
        sweep: { s in
            var fixed = Recipe.p1(std: 0.005, lr: 5e-4, steps: 1000, snapshots: "every:10")
            fixed["hidden"] = .integer(100)
            fixed["target"] = .string("sin1d")
            return try Recipe.sweep("p1-fig5", fixed, [Recipe.axis("activation", fig5Activations.map { .string($0.activation) })],
                                    settings: s)
        },
        measure: fig5Measures,
        evaluate: { runs, _ in
            fig5Activations.flatMap { a -> [ClaimOutcome] in
                let f = ["activation": a.activation]
                let key = "\(a.activation).initial_orientations"
                var out: [ClaimOutcome]
                if let p = a.p {
                    out = [CountClaims.initialExactly(runs, filter: f, key: key, subject: a.activation, source: "\(p1) Fig. 5", expected: 2 * p)]
                } else {
                    out = [CountClaims.initialWithinBound(runs, filter: f, key: key, subject: a.activation, source: "\(p1) Fig. 5", multiplicity: nil)]
                }
                out += fig5OutputAndFieldClaims(runs, activation: a.activation, multiplicity: a.p)
                return out
            }
        })

    /// The steps P1 shows: the output at epoch 1000 (Fig. 5), the direction field at epoch 200 (Fig. 6).
    static let fig5OutputStep = 1000, fig6FieldStep = 200

    /// Per run: the smallest polynomial degree that fits the network's output over the training interval at step
    /// 1000 (`OutputPolynomialFit`, its default tolerance), and the number of lines of stationary orientations of
    /// P1's leading-order direction field ω̇ = −(1/n) Σ eᵢ x̃ᵢ σ'(ω·x̃ᵢ) at step 200 (`DirectionField`: every
    /// line that attracts neurons of one readout sign or the other). ReLU has no leading order (no multiplicity):
    /// its field is taken at radius 1. NaN when the step was not stored or no degree up to 6 fits.
    @Sendable static func fig5Measures(_ reader: RunReader) throws -> [String: Double] {
        let steps = try reader.steps()
        var out: [String: Double] = ["output_degree": .nan, "field_lines": .nan]
        if let s = steps.firstIndex(of: fig5OutputStep) {
            let output = try SnapshotOutput(reader: reader, snapshot: s)
            out["output_degree"] = try output.polynomialFit().bestDegree.map(Double.init) ?? .nan
        }
        if let s = steps.firstIndex(of: fig6FieldStep) {
            let output = try SnapshotOutput(reader: reader, snapshot: s)
            let field = try output.directionField(radius: output.activation.multiplicity.p == nil ? 1 : nil)
            out["field_lines"] = Double(try field.stationaryOrientations().stableLineCount(for: nil))
        }
        return out
    }

    /// P1 Figs. 5-6's two other claims, per activation: the output at step 1000 is close to a polynomial of degree
    /// p (1/2/3 for tanh/xtanh/x²tanh; ReLU's has sharp turning points), and at step 200 the direction field has p
    /// stable lines (ReLU's is "much more complex"). For ReLU the values are reported, without a claim to match.
    static func fig5OutputAndFieldClaims(_ runs: ExperimentRuns, activation: String, multiplicity p: Int?) -> [ClaimOutcome] {
        let f = ["activation": activation]
        let degrees = runs.perSeed(f) { $0.measures["output_degree"] }
        let lines = runs.perSeed(f) { $0.measures["field_lines"] }
        let degreeClaim = "\(activation): output at step \(fig5OutputStep) ≈ polynomial of degree p (smallest degree within 5 % RMS)"
        let lineClaim = "\(activation): lines of the leading-order direction field at step \(fig6FieldStep)"
        guard let p else {
            return [
                ClaimOutcome(key: "\(activation).output_polynomial_degree", claim: degreeClaim, source: "\(p1) Fig. 5",
                             expected: "sharp turning points (no low degree)", seeds: runs.seeds, perSeed: degrees,
                             matches: degrees.map { _ in false }, agreement: .notApplicable,
                             reason: "no degree claimed for ReLU: values only (NaN: no degree up to 6 fits)"),
                ClaimOutcome(key: "\(activation).direction_field_stable_lines", claim: lineClaim + " (at radius 1)",
                             source: "\(p1) Fig. 6", expected: "a more complex field", seeds: runs.seeds, perSeed: lines,
                             matches: lines.map { _ in false }, agreement: .notApplicable,
                             reason: "ReLU has no leading order: lines of the field at radius 1, values only"),
            ]
        }
        return [
            .counted(key: "\(activation).output_polynomial_degree", claim: degreeClaim, source: "\(p1) Fig. 5",
                     expected: "degree \(p)", seeds: runs.seeds, perSeed: degrees, matches: { $0 == Double(p) },
                     reason: runs.problems(f)),
            .counted(key: "\(activation).direction_field_stable_lines", claim: lineClaim, source: "\(p1) Fig. 6",
                     expected: "\(p) \(p == 1 ? "line" : "lines")", seeds: runs.seeds, perSeed: lines,
                     matches: { $0 == Double(p) }, reason: runs.problems(f)),
        ]
    }
}
