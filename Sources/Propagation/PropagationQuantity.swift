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
