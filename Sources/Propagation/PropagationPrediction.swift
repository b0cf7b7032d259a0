import Foundation
import Model
import Theory

/// Every model's prediction for a setup: mean and spread across networks per (model, layer, quantity), NaN where
/// the model says nothing (see `PredictionModel` for which model covers what, and when it applies).
public struct PropagationPrediction: Sendable {
    public let layers: Int
    /// `mean[(m·layers + l)·quantities + q]`.
    public private(set) var mean: [Double]
    public private(set) var std: [Double]
    /// Why a model gives nothing for this setup (empty when it applies).
    public private(set) var notes: [PredictionModel: String] = [:]
    /// The full-law density grid, when the finite-width angle law applies.
    public private(set) var degeneracy: DegeneracyPrediction?

    static let quantities = PropagationQuantity.allCases.count

    public func mean(_ m: PredictionModel, layer l: Int, _ q: PropagationQuantity) -> Double {
        mean[(m.index * layers + l) * Self.quantities + q.index]
    }

    public func std(_ m: PredictionModel, layer l: Int, _ q: PropagationQuantity) -> Double {
        std[(m.index * layers + l) * Self.quantities + q.index]
    }

    mutating func set(_ m: PredictionModel, _ l: Int, _ q: PropagationQuantity, _ value: Double, std s: Double = .nan) {
        mean[(m.index * layers + l) * Self.quantities + q.index] = value
        std[(m.index * layers + l) * Self.quantities + q.index] = s
    }

    /// - Parameter densityPoints: cells per 15 units of ln sin²θ for the densities (see `DegeneracyPrediction`).
    public init(setup: PropagationSetup, densityPoints: Int = AngleDensity.defaultPoints) throws {
        try setup.validate()
        layers = setup.depth + 1
        let count = PredictionModel.allCases.count * layers * Self.quantities
        mean = Array(repeating: .nan, count: count)
        std = Array(repeating: .nan, count: count)
        let law = WeightLaw(setup: setup)
        let slope = leakySlope(ofActivation: setup.activation)
        try meanField(setup, law, slope)
        try finiteWidth(setup, law, slope, densityPoints: densityPoints)
        try lyapunov(setup, law, slope)
    }

    /// The input layer: every quantity is known exactly.
    private mutating func setInput(_ m: PredictionModel, _ setup: PropagationSetup, _ quantities: [PropagationQuantity]) {
        let exact: [PropagationQuantity: Double] = [
            .logNorm: 0.5 * log(Double(setup.inputWidth)), .correlation: cos(setup.theta0), .theta: setup.theta0,
            .lnSin2Theta: FiniteWidthAngle.lnSin2(theta: setup.theta0), .q: 1,
        ]
        for q in quantities { set(m, 0, q, exact[q]!, std: 0) }
    }

    /// Mean-field q, c, log-norm, and the infinite-width post-activation angle (§A.2), layer by layer with each
    /// layer's own σ_w²; layer 1 is computed from the inputs exactly (‖x‖²/n₀ = 1, the κ term (Σx/n₀)²).
    private mutating func meanField(_ setup: PropagationSetup, _ law: WeightLaw, _ slope: Double?) throws {
        guard let alpha = slope else {
            notes[.meanField] = "activation \(setup.activation) is not in the leaky-ReLU family"
            notes[.infiniteWidth] = notes[.meanField]
            return
        }
        guard law.meanFieldApplies else {
            notes[.meanField] = "initialization \(setup.initScheme.spec) has no zero-mean second-moment law"
            notes[.infiniteWidth] = notes[.meanField]
            return
        }
        setInput(.meanField, setup, [.q, .correlation, .logNorm])
        setInput(.infiniteWidth, setup, [.theta, .lnSin2Theta])
        let n0 = Double(setup.inputWidth), t0 = setup.theta0, k = law.kappa, sb2 = law.biasVariance
        let sw1 = law.weightVariance[0]
        var q1 = sw1 * (1 + k / n0) + sb2
        var q2 = sw1 * (1 + k * (1 + 2 * cos(t0) * sin(t0)) / n0) + sb2
        var c = (sw1 * (cos(t0) + k * (cos(t0) + sin(t0)) / n0) + sb2) / (q1 * q2).squareRoot()
        for l in 1...setup.depth {
            let map = try MeanFieldMap(slope: alpha, weightVariance: law.weightVariance[l - 1], biasVariance: sb2, kappa: k)
            if l > 1 { (q1, q2, c) = map.next(q1: q1, q2: q2, c: c) }
            set(.meanField, l, .q, q1)
            set(.meanField, l, .correlation, c)
            set(.meanField, l, .logNorm, 0.5 * log(Double(setup.widths[l]) * map.secondMoment(q1)))
            let cosTheta = min(1, max(-1, map.postActivationCosine(q1, q2, c)))
            let theta = acos(cosTheta)
            set(.infiniteWidth, l, .theta, theta)
            set(.infiniteWidth, l, .lnSin2Theta, log(max(0, 1 - cosTheta * cosTheta)))
        }
    }

    /// The §C.2/§C.3 densities (ReLU, Gaussian weights, no bias, κ = 0), and the exact expectation of q over
    /// networks for Gaussian rows: E[q_l] = σ_w² [(1+α²)/2 + κ((1+α²)/(2n) + (1 − 1/n)(1−α)²/(2π))] E[q_{l−1}] + σ_b²
    /// with n = n_{l−1} (given layer l−1's input, its pre-activations are iid N(0, v), v linear in the input's moments).
    private mutating func finiteWidth(_ setup: PropagationSetup, _ law: WeightLaw, _ slope: Double?,
                                      densityPoints: Int) throws {
        if let alpha = slope, law.family == .gaussian {
            setInput(.finiteWidth, setup, [.q])
            let n0 = Double(setup.inputWidth), k = law.kappa, sb2 = law.biasVariance
            var expected = law.weightVariance[0] * (1 + k / n0) + sb2
            set(.finiteWidth, 1, .q, expected)
            if setup.depth >= 2 {
                for l in 2...setup.depth {
                    let n = Double(setup.widths[l - 1])
                    let m2 = (1 + alpha * alpha) / 2
                    let m1sq = m2 / n + (1 - 1 / n) * (1 - alpha) * (1 - alpha) / (2 * Double.pi)
                    expected = law.weightVariance[l - 1] * (m2 + k * m1sq) * expected + sb2
                    set(.finiteWidth, l, .q, expected)
                }
            }
        }
        var why: String? = nil
        if slope != 0 { why = "the finite-width angle law is for ReLU (activation \(setup.activation))" }
        else if law.family != .gaussian { why = "the finite-width angle law needs Gaussian weights (init \(setup.initScheme.spec))" }
        else if law.biasVariance > 0 { why = "the finite-width angle law has no biases (σ_b² = \(law.biasVariance))" }
        else if law.kappa != 0 { why = "the finite-width angle law has uncorrelated weights (κ = \(law.kappa))" }
        else if let w = setup.hiddenWidths.first(where: { $0 < 2 }) { why = "the finite-width angle law needs widths ≥ 2 (got \(w))" }
        if let why {
            notes[.linearised] = why
            if law.family != .gaussian || slope == nil { notes[.finiteWidth] = why } else { notes[.finiteWidth] = "q only: " + why }
            return
        }
        let d = try DegeneracyPrediction(theta0: setup.theta0, widths: setup.hiddenWidths, pointsPer15: densityPoints)
        degeneracy = d
        setInput(.finiteWidth, setup, [.theta, .lnSin2Theta])
        setInput(.linearised, setup, [.theta, .lnSin2Theta])
        for l in 1...setup.depth {
            let layer = d.layers[l]
            set(.finiteWidth, l, .lnSin2Theta, layer.lnSin2.mean, std: layer.lnSin2.std)
            set(.finiteWidth, l, .theta, layer.theta.mean, std: layer.theta.std)
            set(.linearised, l, .lnSin2Theta, layer.linearisedLnSin2.mean, std: layer.linearisedLnSin2.std)
            set(.linearised, l, .theta, layer.linearisedTheta.mean, std: layer.linearisedTheta.std)
        }
    }

    /// Filled in `PropagationPrediction+Lyapunov.swift` when the Lyapunov formulas are available.
    private mutating func lyapunov(_ setup: PropagationSetup, _ law: WeightLaw, _ slope: Double?) throws {
        if let why = try fillLyapunov(setup, law, slope) { notes[.lyapunov] = why }
    }
}
