/// The prediction sources (the file's `model` coordinate, in this order).
public enum PredictionModel: String, CaseIterable, Sendable {
    /// Finite width: ln sin²θ and θ by the §C.2 law propagated as a density (ReLU, Gaussian weights, no bias);
    /// q as its exact expectation over networks (Gaussian rows, any α, κ, bias: the κ term with its 1/n part).
    case finiteWidth = "finite_width"
    /// The infinite-width angle: arccos of the mean-field post-activation cosine (ReLU, σ_b = 0, κ = 0: the
    /// arc-cosine map).
    case infiniteWidth = "infinite_width"
    /// Mean-field q, pre-activation correlation c and log-norm ½ ln(n_l E φ²(q_l)) (§A.2).
    case meanField = "mean_field"
    /// The linearised law of §C.3 propagated as a density (first layer by the full law).
    case linearised
    /// Lyapunov exponent and CLT variance of log‖x_l‖ (leaky ReLU, no bias, Gaussian or square orthogonal layers).
    case lyapunov

    public var index: Int { Self.allCases.firstIndex(of: self)! }
}
