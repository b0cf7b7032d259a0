/// The hyper-parameters of an optimizer, with PyTorch's meanings and defaults.
///
/// `weightDecay` is classic L2 regularization added to the gradient (`g + λ·θ`), as `torch.optim.SGD` and
/// `torch.optim.Adam` do; it is not AdamW's decoupled decay. Decoding accepts missing keys (other than `kind`
/// and `lr`) and fills them with the defaults of `init`.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    /// Which update rule an `Optimizer` applies.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// `torch.optim.SGD`: plain, heavy-ball momentum or Nesterov.
        case sgd
        /// `torch.optim.Adam`: non-fused, non-amsgrad, L2 weight decay added to the gradient.
        case adam
    }

    public var kind: Kind
    /// Base learning rate η (a `LearningRateSchedule` may scale it per step).
    public var lr: Double
    /// SGD momentum μ; 0 means plain SGD.
    public var momentum: Double
    /// SGD dampening d: the buffer update is `buf = μ·buf + (1 − d)·g` (not applied on the first step).
    public var dampening: Double
    /// SGD Nesterov momentum: the applied direction is `g + μ·buf`.
    public var nesterov: Bool
    /// L2 coefficient λ added to the gradient as `g + λ·θ`.
    public var weightDecay: Double
    /// Adam's first-moment decay β₁.
    public var beta1: Double
    /// Adam's second-moment decay β₂.
    public var beta2: Double
    /// Adam's ε, added outside the square root.
    public var eps: Double

    public init(kind: Kind, lr: Double, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false, weightDecay: Double = 0,
                beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        self.kind = kind
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
    }

    /// `torch.optim.SGD(lr=…, momentum=…, dampening=…, nesterov=…, weight_decay=…)`.
    public static func sgd(lr: Double, momentum: Double = 0, dampening: Double = 0,
                           nesterov: Bool = false, weightDecay: Double = 0) -> OptimizerConfig {
        OptimizerConfig(kind: .sgd, lr: lr, momentum: momentum, dampening: dampening,
                        nesterov: nesterov, weightDecay: weightDecay)
    }

    /// `torch.optim.Adam(lr=…, betas=(β₁, β₂), eps=…, weight_decay=…)`.
    public static func adam(lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                            eps: Double = 1e-8, weightDecay: Double = 0) -> OptimizerConfig {
        OptimizerConfig(kind: .adam, lr: lr, weightDecay: weightDecay,
                        beta1: beta1, beta2: beta2, eps: eps)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, lr, momentum, dampening, nesterov, weightDecay, beta1, beta2, eps
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try c.decode(Kind.self, forKey: .kind),
                  lr: try c.decode(Double.self, forKey: .lr),
                  momentum: try c.decodeIfPresent(Double.self, forKey: .momentum) ?? 0,
                  dampening: try c.decodeIfPresent(Double.self, forKey: .dampening) ?? 0,
                  nesterov: try c.decodeIfPresent(Bool.self, forKey: .nesterov) ?? false,
                  weightDecay: try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? 0,
                  beta1: try c.decodeIfPresent(Double.self, forKey: .beta1) ?? 0.9,
                  beta2: try c.decodeIfPresent(Double.self, forKey: .beta2) ?? 0.999,
                  eps: try c.decodeIfPresent(Double.self, forKey: .eps) ?? 1e-8)
    }

    /// Checks the settings as PyTorch's constructors do; throws a one-line `TrainingError` naming the option.
    public func validate() throws {
        func fail(_ s: String) -> TrainingError { TrainingError.option(s) }
        guard lr.isFinite, lr > 0 else {
            throw fail("the learning rate must be a finite number > 0 (got \(lr)); set it with --lr")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw fail("--weight-decay must be a finite number ≥ 0 (got \(weightDecay))")
        }
        switch kind {
        case .sgd:
            guard momentum.isFinite, momentum >= 0 else {
                throw fail("--momentum must be a finite number ≥ 0 (got \(momentum))")
            }
            guard dampening.isFinite, (0...1).contains(dampening) else {
                throw fail("dampening must lie in [0, 1] (got \(dampening))")
            }
            if nesterov && (momentum <= 0 || dampening != 0) {
                throw fail("Nesterov momentum needs --momentum > 0 and no dampening "
                           + "(got momentum \(momentum), dampening \(dampening))")
            }
        case .adam:
            guard beta1.isFinite, (0..<1).contains(beta1) else {
                throw fail("--beta1 must lie in [0, 1) (got \(beta1))")
            }
            guard beta2.isFinite, (0..<1).contains(beta2) else {
                throw fail("--beta2 must lie in [0, 1) (got \(beta2))")
            }
            guard eps.isFinite, eps > 0 else { throw fail("--eps must be a finite number > 0 (got \(eps))") }
        }
    }
}
