import Foundation

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
///
/// Only the explicit-scale schemes (`gaussian`, `uniform`) draw biases; the fan-scaled ones set
/// them to 0, as PyTorch users do when they call `torch.nn.init.*_` on weights and zero the bias.
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
        }
    }

    public var description: String { spec }

    /// Whether this scheme draws biases (otherwise they are set to 0).
    public var drawsBias: Bool {
        switch self {
        case .gaussian, .uniform: return true
        default: return false
        }
    }

    /// The variance (mean square) of one weight entry for a block of the given fans. For
    /// `orthogonal` it is gain²/max(fanIn, fanOut): each unit row (or column) spreads over that many entries.
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
