/// The learning rate along training (PyTorch's StepLR stepped once per optimizer step).
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    case constant
    /// η · factor^⌊step / every⌋
    case stepDecay(every: Int, factor: Double)

    public func rate(base: Double, step: Int) -> Double {
        switch self {
        case .constant: return base
        case .stepDecay(let every, let factor): return base * pow(factor, Double(step / every))
        }
    }

    /// `constant` or `step(every=N,factor=f)`.
    public init(parsing text: String) throws {
        let t = text.replacingOccurrences(of: " ", with: "").lowercased()
        if t == "constant" { self = .constant; return }
        let args = try KeyValueText.parse(t, function: "step", keys: ["every", "factor"], what: "--lr-schedule",
                                          usage: "constant or step(every=N,factor=f)")
        guard let every = args["every"].flatMap({ Int($0) }), every >= 1 else {
            throw TrainingError("--lr-schedule: every must be a whole number ≥ 1 in \"\(text)\"")
        }
        guard let factor = args["factor"].flatMap({ Double($0) }), factor.isFinite, factor > 0 else {
            throw TrainingError("--lr-schedule: factor must be a positive number in \"\(text)\"")
        }
        self = .stepDecay(every: every, factor: factor)
    }
}

/// When snapshots are taken. Step 0 and the last step are always included.
public enum SnapshotSchedule: Codable, Equatable, Sendable {
    case every(Int)
    case logSpaced(Int)
    case explicit([Int])

    /// Sorted, unique steps in 0…total, always containing 0 and `total`.
    public func steps(total: Int) -> [Int] {
        var s: Set<Int> = [0, total]
        switch self {
        case .every(let k):
            for t in stride(from: 0, through: total, by: max(k, 1)) { s.insert(t) }
        case .logSpaced(let n):
            if total >= 1 && n >= 2 {
                let top = log(Double(total))
                for i in 0..<n { s.insert(Int((exp(top * Double(i) / Double(n - 1))).rounded())) }
            }
        case .explicit(let list):
            for t in list where t >= 0 && t <= total { s.insert(t) }
        }
        return s.sorted()
    }

    /// `every:K`, `log:N` or `list:0,5,100`.
    public init(parsing text: String) throws {
        let usage = "use every:K, log:N or list:0,5,100"
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { throw TrainingError("--snapshots \"\(text)\": \(usage)") }
        switch parts[0].lowercased() {
        case "every":
            guard let k = Int(parts[1]), k >= 1 else { throw TrainingError("--snapshots every:K needs K ≥ 1 (got \"\(parts[1])\")") }
            self = .every(k)
        case "log":
            guard let n = Int(parts[1]), n >= 2 else { throw TrainingError("--snapshots log:N needs N ≥ 2 (got \"\(parts[1])\")") }
            self = .logSpaced(n)
        case "list":
            let steps = try parts[1].split(separator: ",").map { item -> Int in
                let t = item.trimmingCharacters(in: .whitespaces)
                guard let v = Int(t), v >= 0 else { throw TrainingError("--snapshots list: '\(t)' is not a step ≥ 0") }
                return v
            }
            self = .explicit(steps)
        default:
            throw TrainingError("--snapshots \"\(text)\": \(usage)")
        }
    }
}

/// Parses `name(key=value,key=value)`.
enum KeyValueText {
    static func parse(_ text: String, function: String, keys: Set<String>, what: String, usage: String) throws -> [String: String] {
        guard text.hasPrefix(function + "("), text.hasSuffix(")") else {
            throw TrainingError("\(what) \"\(text)\" not understood: use \(usage)")
        }
        let inner = text.dropFirst(function.count + 1).dropLast()
        var out: [String: String] = [:]
        for item in inner.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, keys.contains(kv[0]) else {
                throw TrainingError("\(what) \"\(text)\": '\(item)' not understood: use \(usage)")
            }
            out[kv[0]] = kv[1]
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
