import Foundation

extension InitScheme {
    /// Every scheme name with a one-line description, for `--help`.
    public static let registry: [(name: String, description: String)] = [
        ("gaussian(std=S)", "weights and biases ~ N(0, S²) (the condensation papers' init)"),
        ("uniform(bound=B)", "weights and biases ~ U(−B, B)"),
        ("xavier_normal(gain=1)", "N(0, gain²·2/(fanIn+fanOut)), biases 0 (alias glorot_normal)"),
        ("xavier_uniform(gain=1)", "U(±gain·√(6/(fanIn+fanOut))), biases 0 (alias glorot_uniform)"),
        ("he_normal(slope=0)", "N(0, 2/((1+slope²)·fanIn)), biases 0 (alias kaiming_normal)"),
        ("he_uniform(slope=0)", "U(±√(6/((1+slope²)·fanIn))), biases 0 (alias kaiming_uniform)"),
        ("lecun_normal", "N(0, 1/fanIn), biases 0"),
        ("orthogonal(gain=1)", "gain × orthonormal rows/columns (QR of a Gaussian, sign-fixed), biases 0"),
        ("zeros", "all zero"),
        ("rai", "Randomized Asymmetric Init: N(0, 0.6007²/fanIn) incl. bias, one entry per neuron ~ Beta(2,1)"),
        ("rai_matched_gaussian", "the control for RAI: weights and bias ~ N(0, v) with v RAI's mean square per entry, no Beta(2,1) entry"),
        ("anti_correlated(kappa=-0.5,sigma2=2π/(π+κ))",
         "rows N(0, (σ²/fanIn)(I + κ11ᵀ/fanIn)), κ ≥ −1 (κ = −1: rows sum to 0), biases 0"),
        ("anti_correlated_rai(kappa=-0.5)", "RAI with the Gaussian (fanIn+1)-vector anti-correlated (inferred combination)"),
        ("lyapunov_gaussian(slope=A)", "leaky-ReLU(A) Lyapunov init: N(0, σ_crit²), λ = 0 at width fanOut, biases 0"),
        ("lyapunov_orthogonal(slope=A)", "η_crit × orthogonal, λ = 0 at width fanOut (exact for square layers), biases 0"),
    ]

    /// κ when `anti_correlated` / `anti_correlated_rai` are given without one.
    public static let defaultKappa = -0.5

    private static let aliases: [String: String] = [
        "normal": "gaussian", "glorot_normal": "xavier_normal", "glorot_uniform": "xavier_uniform",
        "kaiming_normal": "he_normal", "kaiming_uniform": "he_uniform", "zero": "zeros",
        "anticorrelated": "anti_correlated", "anticorrelated_rai": "anti_correlated_rai",
        "randomized_asymmetric": "rai", "lyapunov": "lyapunov_gaussian",
    ]

    /// Parses `name` or `name(key=value, …)`; a single unnamed value is taken as the scheme's one
    /// parameter (`gaussian(0.005)`). Names are case-insensitive; `-` and `_` are interchangeable.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = trimmed
        var arguments: [(key: String?, value: Double)] = []
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.hasSuffix(")") else {
                throw ModelError.initScheme("initializer '\(text)': missing ')'")
            }
            name = String(trimmed[..<open])
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            for part in inner.split(separator: ",", omittingEmptySubsequences: true) {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let valueText = pieces.count == 2 ? pieces[1] : pieces[0]
                guard let v = Double(valueText), v.isFinite else {
                    throw ModelError.initScheme("initializer '\(text)': '\(valueText)' is not a finite number")
                }
                arguments.append((pieces.count == 2 ? pieces[0].lowercased() : nil, v))
            }
        }
        name = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        name = InitScheme.aliases[name] ?? name

        func argument(_ key: String, default fallback: Double?) throws -> Double {
            var found: Double? = nil
            for a in arguments {
                guard a.key == nil || a.key == key else {
                    throw ModelError.initScheme("initializer '\(text)': unknown parameter '\(a.key!)' (\(name) takes \(key)=…)")
                }
                if found != nil { throw ModelError.initScheme("initializer '\(text)': \(key) given twice") }
                found = a.value
            }
            guard let v = found ?? fallback else {
                throw ModelError.initScheme("initializer '\(text)': \(name) needs \(key)=…, e.g. \(name)(\(key)=\(key == "slope" ? "0.1" : "0.005"))")
            }
            return v
        }
        /// Named (or positional, in `keys` order) parameters of a multi-parameter scheme.
        func named(_ keys: [String]) throws -> [String: Double] {
            var values: [String: Double] = [:]
            for (i, a) in arguments.enumerated() {
                guard let key = a.key ?? (i < keys.count ? keys[i] : nil), keys.contains(key) else {
                    let what = a.key.map { "unknown parameter '\($0)'" } ?? "too many parameters"
                    throw ModelError.initScheme("initializer '\(text)': \(what) (\(name) takes \(keys.map { "\($0)=…" }.joined(separator: ", ")))")
                }
                if values[key] != nil { throw ModelError.initScheme("initializer '\(text)': \(key) given twice") }
                values[key] = a.value
            }
            return values
        }
        func kappa(_ v: Double) throws -> Double {
            guard v >= -1 else {
                throw ModelError.initScheme("initializer '\(text)': kappa must be ≥ −1 (a row's covariance I + κ11ᵀ/N is not positive semi-definite below), got \(v)")
            }
            return v
        }
        func lyapunovSlope() throws -> Double {
            let a = try argument("slope", default: nil)
            if a == 0 {
                throw ModelError.initScheme("initializer '\(text)': slope 0 is plain ReLU, whose Lyapunov exponent is −∞ (no critical scale); give a leaky slope in (0, 1]")
            }
            guard a > 0 && a <= 1 else {
                throw ModelError.initScheme("initializer '\(text)': slope must be in (0, 1], got \(a)")
            }
            return a
        }
        func noArguments() throws {
            if !arguments.isEmpty { throw ModelError.initScheme("initializer '\(text)': \(name) takes no parameters") }
        }
        func positive(_ key: String, _ v: Double) throws -> Double {
            guard v >= 0 else { throw ModelError.initScheme("initializer '\(text)': \(key) must be ≥ 0, got \(v)") }
            return v
        }

        switch name {
        case "gaussian": self = .gaussian(std: try positive("std", argument("std", default: nil)))
        case "uniform": self = .uniform(bound: try positive("bound", argument("bound", default: nil)))
        case "xavier_normal": self = .xavierNormal(gain: try positive("gain", argument("gain", default: 1)))
        case "xavier_uniform": self = .xavierUniform(gain: try positive("gain", argument("gain", default: 1)))
        case "he_normal": self = .heNormal(slope: try argument("slope", default: 0))
        case "he_uniform": self = .heUniform(slope: try argument("slope", default: 0))
        case "lecun_normal": try noArguments(); self = .lecunNormal
        case "orthogonal": self = .orthogonal(gain: try positive("gain", argument("gain", default: 1)))
        case "zeros": try noArguments(); self = .zeros
        case "rai": try noArguments(); self = .rai
        case "rai_matched_gaussian": try noArguments(); self = .raiMatchedGaussian
        case "anti_correlated":
            let v = try named(["kappa", "sigma2"])
            let k = try kappa(v["kappa"] ?? InitScheme.defaultKappa)
            let s2 = v["sigma2"] ?? InitScheme.normPreservingVariance(kappa: k)
            guard s2 > 0 else { throw ModelError.initScheme("initializer '\(text)': sigma2 must be > 0, got \(s2)") }
            self = .antiCorrelated(kappa: k, sigma2: s2)
        case "anti_correlated_rai": self = .antiCorrelatedRAI(kappa: try kappa(argument("kappa", default: InitScheme.defaultKappa)))
        case "lyapunov_gaussian": self = .lyapunovGaussian(slope: try lyapunovSlope())
        case "lyapunov_orthogonal": self = .lyapunovOrthogonal(slope: try lyapunovSlope())
        default:
            let names = InitScheme.registry.map { $0.name.split(separator: "(")[0] }.joined(separator: ", ")
            throw ModelError.initScheme("unknown initializer '\(text)'; known: \(names)")
        }
    }
}
