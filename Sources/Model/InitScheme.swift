import Foundation
import Theory

/// How one weight block (fanOut × (fanIn+1), bias last) is drawn at initialization.
///
/// fanIn / fanOut are the block's input and output widths (the bias column is not counted).
///
/// | scheme | weights | bias |
/// |---|---|---|
/// | `gaussian(std)` | N(0, std²) | N(0, std²) (the papers draw the whole input weight (w̄, b)) |
/// | `uniform(bound)` | U(−bound, bound) | U(−bound, bound) |
/// | `xavierNormal(gain)` | N(0, gain²·2/(fanIn+fanOut)) | 0 |
/// | `xavierUniform(gain)` | U(±gain·√(6/(fanIn+fanOut))) | 0 |
/// | `heNormal(slope)` | N(0, g²/fanIn), g = √(2/(1+slope²)) | 0 |
/// | `heUniform(slope)` | U(±g·√(3/fanIn)), g as above | 0 |
/// | `lecunNormal` | N(0, 1/fanIn) (not truncated) | 0 |
/// | `orthogonal(gain)` | gain·Q, Q from QR of a Gaussian, as `torch.nn.init.orthogonal_` | 0 |
/// | `zeros` | 0 | 0 |
/// | `rai` | Randomized Asymmetric Init (Lu et al. 2020): N(0, 0.6007²/fanIn) over the (fanIn+1)-vector, one uniformly chosen entry per row replaced by Beta(2,1) | part of the same vector |
/// | `raiMatchedGaussian` | N(0, v) over the (fanIn+1)-vector, v = RAI's mean square per entry (`weightVariance`): RAI's scale without its Beta(2,1) entry | part of the same vector |
/// | `antiCorrelated(kappa, sigma2)` | rows N(0, (σ_w²/N)(I + κ11ᵀ/N)), N = fanIn | 0 |
/// | `antiCorrelatedRAI(kappa)` | RAI with the (fanIn+1)-vector anti-correlated before the Beta(2,1) entry (inferred) | part of the vector |
/// | `lyapunovGaussian(slope)` | N(0, σ_crit²), σ_crit for width d = fanOut (λ = 0) | 0 |
/// | `lyapunovOrthogonal(slope)` | η_crit·Q, Q as `orthogonal`, η_crit for d = fanOut | 0 |
///
/// The explicit-scale schemes (`gaussian`, `uniform`) and the RAI schemes (whose recipe includes the bias)
/// draw biases; the fan-scaled ones set them to 0, as PyTorch users do when they call `torch.nn.init.*_` on
/// weights and zero the bias.
/// The small-initialization family of the condensation papers is `gaussian` with a width-scaled
/// std; `powerLaw(gamma:width:)` builds it.
public enum InitScheme: Equatable, Sendable, CustomStringConvertible {
    case gaussian(std: Double)
    case uniform(bound: Double)
    case xavierNormal(gain: Double)
    case xavierUniform(gain: Double)
    case heNormal(slope: Double)
    case heUniform(slope: Double)
    case lecunNormal
    case orthogonal(gain: Double)
    case zeros
    /// Lu, Shin, Su & Karniadakis's Randomized Asymmetric Initialization (`docs/theory.md` §D).
    case rai
    /// The scale-matched control for `rai`: every entry of the (fanIn+1)-vector N(0, v), v = RAI's mean square per
    /// entry, with no Beta(2,1) entry. A comparison of RAI against He alone mixes two changes (the asymmetric
    /// entry and a smaller scale); beside this control, what the asymmetric entry itself does shows.
    case raiMatchedGaussian
    /// Within-row correlated weights (`docs/theory.md` §A.1): per row covariance (σ_w²/N)(I + κ11ᵀ/N),
    /// N = fanIn, κ ≥ −1; `sigma2` = σ_w². Biases 0.
    case antiCorrelated(kappa: Double, sigma2: Double)
    /// RAI whose Gaussian (fanIn+1)-vector is anti-correlated with κ before the Beta(2,1) entry (an inferred
    /// combination, `docs/theory.md` §A.4).
    case antiCorrelatedRAI(kappa: Double)
    /// Lyapunov initialization for leaky ReLU of this slope: N(0, σ_crit²) with λ_G = 0 at width fanOut
    /// (`docs/theory.md` §B.3).
    case lyapunovGaussian(slope: Double)
    /// Lyapunov initialization, orthogonal: η_crit × `orthogonal` with λ_O = 0 at width fanOut (§B.3).
    case lyapunovOrthogonal(slope: Double)

    /// RAI's symmetric-part scale: entries N(0, (0.6007)²/fanIn) (the reference implementation's constant).
    public static let raiScale = 0.6007

    /// The default σ_w² of `antiCorrelated`: 2π/(π + κ), which keeps E‖h‖² layer to layer for ReLU without
    /// biases (`docs/theory.md` §A.3; He's 2 at κ = 0).
    public static func normPreservingVariance(kappa: Double) -> Double { 2 * Double.pi / (Double.pi + kappa) }

    /// Variance m^(−γ): `.gaussian(std: m^(−γ/2))`. γ = 1 is LeCun-like scaling for width m, and
    /// larger γ is smaller initialization (the condensed regime of the phase diagram for γ > 1).
    public static func powerLaw(gamma: Double, width m: Int) -> InitScheme {
        .gaussian(std: pow(Double(m), -gamma / 2))
    }

    /// The canonical text, accepted back by `InitScheme(parsing:)` (what run files store).
    public var spec: String {
        func num(_ x: Double) -> String { "\(x)" }
        switch self {
        case .gaussian(let s): return "gaussian(std=\(num(s)))"
        case .uniform(let b): return "uniform(bound=\(num(b)))"
        case .xavierNormal(let g): return "xavier_normal(gain=\(num(g)))"
        case .xavierUniform(let g): return "xavier_uniform(gain=\(num(g)))"
        case .heNormal(let a): return "he_normal(slope=\(num(a)))"
        case .heUniform(let a): return "he_uniform(slope=\(num(a)))"
        case .lecunNormal: return "lecun_normal"
        case .orthogonal(let g): return "orthogonal(gain=\(num(g)))"
        case .zeros: return "zeros"
        case .rai: return "rai"
        case .raiMatchedGaussian: return "rai_matched_gaussian"
        case .antiCorrelated(let k, let v): return "anti_correlated(kappa=\(num(k)),sigma2=\(num(v)))"
        case .antiCorrelatedRAI(let k): return "anti_correlated_rai(kappa=\(num(k)))"
        case .lyapunovGaussian(let a): return "lyapunov_gaussian(slope=\(num(a)))"
        case .lyapunovOrthogonal(let a): return "lyapunov_orthogonal(slope=\(num(a)))"
        }
    }

    public var description: String { spec }

    /// Whether this scheme draws biases (otherwise they are set to 0).
    public var drawsBias: Bool {
        switch self {
        case .gaussian, .uniform, .rai, .raiMatchedGaussian, .antiCorrelatedRAI: return true
        default: return false
        }
    }

    /// The variance (mean square) of one weight entry for a block of the given fans. For
    /// `orthogonal` it is gain²/max(fanIn, fanOut): each unit row (or column) spreads over that many entries.
    /// For the RAI schemes, the entry is Beta(2,1) (mean square ½) with probability 1/(fanIn+1). NaN for a
    /// Lyapunov scheme whose slope is out of range.
    public func weightVariance(fanIn: Int, fanOut: Int) -> Double {
        let fi = Double(fanIn), fo = Double(fanOut)
        switch self {
        case .gaussian(let s): return s * s
        case .uniform(let b): return b * b / 3
        case .xavierNormal(let g), .xavierUniform(let g): return g * g * 2 / (fi + fo)
        case .heNormal(let a), .heUniform(let a): return 2 / (1 + a * a) / fi
        case .lecunNormal: return 1 / fi
        case .orthogonal(let g): return g * g / max(fi, fo)
        case .zeros: return 0
        case .rai, .antiCorrelatedRAI:
            var symmetric = InitScheme.raiScale * InitScheme.raiScale / fi
            if case .antiCorrelatedRAI(let k) = self { symmetric *= 1 + k / (fi + 1) }
            let p = 1 / (fi + 1)
            return (1 - p) * symmetric + p * 0.5
        case .raiMatchedGaussian: return InitScheme.rai.weightVariance(fanIn: fanIn, fanOut: fanOut)
        case .antiCorrelated(let k, let v): return v / fi * (1 + k / fi)
        case .lyapunovGaussian(let a):
            guard let l = try? InitScheme.lyapunov(width: fanOut, slope: a) else { return .nan }
            return l.criticalStd * l.criticalStd
        case .lyapunovOrthogonal(let a):
            guard let l = try? InitScheme.lyapunov(width: fanOut, slope: a) else { return .nan }
            return l.criticalGain * l.criticalGain / max(fi, fo)
        }
    }
}

extension InitScheme: Codable {
    /// Encoded as its `spec` string.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(spec)
    }
}
