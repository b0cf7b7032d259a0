/// The per-layer quantities (the file's `quantity` coordinate, in this order).
public enum PropagationQuantity: String, CaseIterable, Sendable {
    /// log‖x_l‖ of signal α, x_l the post-activation vector (layer 0: the input, ½ ln n₀).
    case logNorm = "log_norm"
    /// The cosine of the two **pre-activation** vectors h_l (uncentred), which the mean-field map iterates as c;
    /// layer 0: cos θ₀.
    case correlation
    /// θ_l: the angle between the two **post-activation** vectors φ(h_l) (layer 0: θ₀); cos θ_l is the
    /// post-activation cosine.
    case theta
    /// ln sin²θ_l.
    case lnSin2Theta = "ln_sin2_theta"
    /// q_l = ‖h_l‖²/n_l of signal α, the mean square pre-activation (layer 0: ‖x‖²/n₀ = 1).
    case q

    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

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
