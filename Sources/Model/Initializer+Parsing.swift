import Foundation

/// A scheme text that does not parse.
public struct InitSchemeError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

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
    ]

    private static let aliases: [String: String] = [
        "normal": "gaussian", "glorot_normal": "xavier_normal", "glorot_uniform": "xavier_uniform",
        "kaiming_normal": "he_normal", "kaiming_uniform": "he_uniform", "zero": "zeros",
    ]

    /// Parses `name` or `name(key=value, …)`; a single unnamed value is taken as the scheme's one
    /// parameter (`gaussian(0.005)`). Names are case-insensitive; `-` and `_` are interchangeable.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = trimmed
        var arguments: [(key: String?, value: Double)] = []
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.hasSuffix(")") else {
                throw InitSchemeError(message: "initializer '\(text)': missing ')'")
            }
            name = String(trimmed[..<open])
            let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            for part in inner.split(separator: ",", omittingEmptySubsequences: true) {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let valueText = pieces.count == 2 ? pieces[1] : pieces[0]
                guard let v = Double(valueText), v.isFinite else {
                    throw InitSchemeError(message: "initializer '\(text)': '\(valueText)' is not a finite number")
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
                    throw InitSchemeError(message: "initializer '\(text)': unknown parameter '\(a.key!)' (\(name) takes \(key)=…)")
                }
                if found != nil { throw InitSchemeError(message: "initializer '\(text)': \(key) given twice") }
                found = a.value
            }
            guard let v = found ?? fallback else {
                throw InitSchemeError(message: "initializer '\(text)': \(name) needs \(key)=…, e.g. \(name)(\(key)=0.005)")
            }
            return v
        }
        func noArguments() throws {
            if !arguments.isEmpty { throw InitSchemeError(message: "initializer '\(text)': \(name) takes no parameters") }
        }
        func positive(_ key: String, _ v: Double) throws -> Double {
            guard v >= 0 else { throw InitSchemeError(message: "initializer '\(text)': \(key) must be ≥ 0, got \(v)") }
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
        default:
            let names = InitScheme.registry.map { $0.name.split(separator: "(")[0] }.joined(separator: ", ")
            throw InitSchemeError(message: "unknown initializer '\(text)'; known: \(names)")
        }
    }
}
