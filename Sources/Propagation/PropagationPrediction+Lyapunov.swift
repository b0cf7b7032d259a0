import Foundation
import Theory

extension PropagationPrediction {
    /// log‖x_l‖ = log‖x_0‖ + Σ_{k ≤ l} E log(‖x_k‖/‖x_{k−1}‖) with `LeakyReLULyapunov` at each layer's own width n_k,
    /// and std √(Σ v_k²). For Gaussian entries N(0, σ_k²), W x ~ N(0, σ_k²‖x‖² I) whatever the fan-in, so the growth
    /// factors are independent with E log = λ_G(σ_k) and Var = v_G² at width n_k: exact at every depth, not only in the
    /// CLT limit. For orthogonal layers the same holds with λ_O(η), v_O² when the layer is square (Ox/‖x‖ uniform on
    /// the sphere). Returns why the model does not apply, or nil.
    mutating func fillLyapunov(_ setup: PropagationSetup, _ law: WeightLaw, _ slope: Double?) throws -> String? {
        guard let alpha = slope, alpha > 0 else {
            return "the Lyapunov exponent needs leaky ReLU with α in (0, 1] (plain ReLU dies with probability 2^-n per layer)"
        }
        guard law.biasVariance == 0 else { return "the Lyapunov setting has no biases (σ_b² = \(law.biasVariance))" }
        guard law.kappa == 0 else { return "the Lyapunov formulas are for independent entries (κ = \(law.kappa))" }
        guard law.family == .gaussian || law.family == .orthogonal else {
            return "the Lyapunov formulas are for Gaussian or orthogonal weights (init \(setup.initScheme.spec))"
        }
        var mean = 0.5 * log(Double(setup.inputWidth)), variance = 0.0
        var values: [(Double, Double)] = []
        for l in 1...setup.depth {
            let d = setup.widths[l]
            let lyapunov = try LeakyReLULyapunov(width: d, slope: alpha)
            if law.family == .gaussian {
                mean += lyapunov.exponentGaussian(std: law.entryStd[l - 1])
                variance += lyapunov.cltVarianceGaussian
            } else {
                guard setup.widths[l - 1] == d else {
                    return "the orthogonal Lyapunov formula needs square layers (layer \(l) is \(setup.widths[l - 1]) → \(d))"
                }
                mean += lyapunov.exponentOrthogonal(gain: law.weightVariance[l - 1].squareRoot())
                variance += lyapunov.cltVarianceOrthogonal
            }
            values.append((mean, variance.squareRoot()))
        }
        set(.lyapunov, 0, .logNorm, 0.5 * log(Double(setup.inputWidth)), std: 0)
        for (l, v) in values.enumerated() { set(.lyapunov, l + 1, .logNorm, v.0, std: v.1) }
        return nil
    }
}
