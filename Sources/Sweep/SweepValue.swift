import Foundation

/// One value of a sweep file: what JSON can hold. Numbers keep whether they were written as integers, so `1000`
/// becomes the argument `1000`, not `1000.0`.
public indirect enum SweepValue: Codable, Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case list([SweepValue])
    case object([String: SweepValue])
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([SweepValue].self) { self = .list(l) }
        else { self = .object(try c.decode([String: SweepValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }

    /// The text of a scalar as a command-line value (nil for lists, objects and null).
    public var argumentText: String? {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// `condense train` arguments for option `name` set to this value: `--name value`; `true` → `--name`,
    /// `false` → `--no-name` (the inversions train's flags accept); a list repeats the option (`--activation`
    /// once per layer).
    public func arguments(option name: String) throws -> [String] {
        switch self {
        case .bool(let b): return [b ? "--\(name)" : "--no-\(name)"]
        case .list(let items):
            guard !items.isEmpty else { throw SweepError.sweepFile("option '\(name)': an empty list is no value") }
            return try items.flatMap { item -> [String] in
                guard let text = item.argumentText, !(item.isBool) else {
                    throw SweepError.sweepFile("option '\(name)': a list may hold only strings and numbers")
                }
                return ["--\(name)", text]
            }
        case .object, .null: throw SweepError.sweepFile("option '\(name)': the value must be a string, number, boolean or list")
        default: return ["--\(name)", argumentText!]
        }
    }

    var isBool: Bool { if case .bool = self { return true } else { return false } }

    /// A short label of the value for coordinates and messages (lists joined with commas).
    public var label: String {
        switch self {
        case .list(let items): return items.map(\.label).joined(separator: ",")
        case .object: return "{…}"
        case .null: return "null"
        default: return argumentText!
        }
    }
}
