import Foundation

/// The steps (numbers of completed optimizer updates) at which the trainer records a snapshot.
/// Step 0 (the initialization) and the last step are always included.
public enum SnapshotSchedule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// 0, k, 2k, … and the last step.
    case every(Int)
    /// Every k epochs: 0, k·E, 2k·E, … and the last step, E = updates per epoch (⌈n / batch size⌉; 1 at full
    /// batch), known once the data is loaded (`steps(total:stepsPerEpoch:)`).
    case everyEpochs(Int)
    /// N steps log-spaced over [1, total] (rounded to whole steps, duplicates merged), plus 0 and total.
    case logSpaced(Int)
    /// The given steps (those beyond the run's length are ignored), plus 0 and total.
    case explicit([Int])

    /// The most snapshots a run may take (10⁷: ~28 GB of weights already for the papers' 351-parameter network).
    /// A schedule beyond it is a mistake (`every:10` over a mistyped step count), and would build its list of
    /// steps in memory before the first update.
    public static let maximumCount = 10_000_000

    /// An upper bound of `steps(total:stepsPerEpoch:).count` (exact for `every`), without building the list.
    /// Without the epoch's length (before the data is read), `every:Kepochs` is bounded as `every:K`.
    public func countBound(total: Int, stepsPerEpoch: Int = 1) -> Int {
        let total = max(total, 0)
        switch self {
        case .every(let k): return total / max(k, 1) + 2
        case .everyEpochs(let k): return total / (max(k, 1) * max(stepsPerEpoch, 1)) + 2
        case .logSpaced(let n): return max(n, 0) + 2
        case .explicit(let list): return list.count + 2
        }
    }

    /// The first step of `steps(total:stepsPerEpoch:)` after `step`, or nil when none is left; in O(1) for
    /// `every` and `everyEpochs`, whose list a run of 10⁸ steps would otherwise build (and a debug build spend
    /// seconds on) before its first update. (`log` and `list` are as long as the user wrote them: the trainer
    /// keeps their list.)
    public func next(after step: Int, total: Int, stepsPerEpoch: Int = 1) -> Int? {
        let total = max(total, 0)
        let period: Int
        switch self {
        case .every(let k): period = max(k, 1)
        case .everyEpochs(let k): period = max(k, 1) * max(stepsPerEpoch, 1)
        case .logSpaced, .explicit:
            return steps(total: total, stepsPerEpoch: stepsPerEpoch).first { $0 > step }
        }
        if step < 0 { return 0 }
        guard step < total else { return nil }
        let (quotient, overflow) = (step / period + 1).multipliedReportingOverflow(by: period)
        return overflow ? total : min(quotient, total)
    }

    /// Whether the steps are a short list the trainer keeps (`log`, `list`), rather than computed as it goes.
    public var isList: Bool {
        switch self {
        case .every, .everyEpochs: return false
        case .logSpaced, .explicit: return true
        }
    }

    /// Sorted, unique steps in 0…total, always containing 0 and `total`; `stepsPerEpoch` sizes `everyEpochs`.
    public func steps(total: Int, stepsPerEpoch: Int = 1) -> [Int] {
        let total = max(total, 0)
        var s: Set<Int> = [0, total]
        switch self {
        case .every(let k):
            for t in stride(from: 0, through: total, by: max(k, 1)) { s.insert(t) }
        case .everyEpochs(let k):
            for t in stride(from: 0, through: total, by: max(k, 1) * max(stepsPerEpoch, 1)) { s.insert(t) }
        case .logSpaced(let n):
            if total >= 1 && n >= 2 {
                let top = log(Double(total))
                for i in 0..<n {
                    let t = Int(exp(top * Double(i) / Double(n - 1)).rounded())
                    s.insert(min(max(t, 1), total))
                }
            }
        case .explicit(let list):
            for t in list where t >= 0 && t <= total { s.insert(t) }
        }
        return s.sorted()
    }

    /// The text `init(parsing:)` accepts.
    public var description: String {
        switch self {
        case .every(let k): return "every:\(k)"
        case .everyEpochs(let k): return "every:\(k)epochs"
        case .logSpaced(let n): return "log:\(n)"
        case .explicit(let list): return "list:" + list.map(String.init).joined(separator: ",")
        }
    }

    /// Throws a one-line `TrainingError` for k < 1, N < 1 or a negative listed step.
    public func validate() throws {
        switch self {
        case .every(let k):
            guard k >= 1 else { throw TrainingError.option("--snapshots every:K needs K ≥ 1 (got \(k))") }
        case .everyEpochs(let k):
            guard k >= 1 else { throw TrainingError.option("--snapshots every:Kepochs needs K ≥ 1 (got \(k))") }
        case .logSpaced(let n):
            guard n >= 1 else { throw TrainingError.option("--snapshots log:N needs N ≥ 1 (got \(n))") }
        case .explicit(let list):
            if let bad = list.first(where: { $0 < 0 }) {
                throw TrainingError.option("--snapshots list: steps must be ≥ 0 (got \(bad))")
            }
        }
    }

    /// Parses `every:K`, `every:Kepochs` (or `every:1epoch`), `log:N` or `list:0,5,100`.
    public init(parsing text: String) throws {
        let usage = "use every:K, every:Kepochs, log:N or list:0,5,100"
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { throw TrainingError.option("--snapshots \"\(text)\" not understood: \(usage)") }
        func whole(_ s: String, _ what: String) throws -> Int {
            guard let v = Int(s) else {
                throw TrainingError.option("--snapshots \(what) needs a whole number (got \"\(s)\"): \(usage)")
            }
            return v
        }
        switch parts[0].lowercased() {
        case "every":
            let arg = parts[1].lowercased()
            if let unit = ["epochs", "epoch"].first(where: { arg.hasSuffix($0) }) {
                self = .everyEpochs(try whole(String(arg.dropLast(unit.count)).trimmingCharacters(in: .whitespaces), "every:Kepochs"))
            } else {
                self = .every(try whole(parts[1], "every:K"))
            }
        case "log": self = .logSpaced(try whole(parts[1], "log:N"))
        case "list":
            let items = parts[1].split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            self = .explicit(try items.map { try whole($0, "list:") })
        default:
            throw TrainingError.option("--snapshots \"\(text)\" not understood: \(usage)")
        }
        try validate()
    }
}
