import Model

/// The learning rate along training, as PyTorch's schedulers stepped once per optimizer step.
///
/// Steps are counted from 0: `rate(base:step:)` is the rate that update number `step` (0-based) uses, i.e. the
/// `lr` of the optimizer after `step` calls of `scheduler.step()`.
public enum LearningRateSchedule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// η at every step.
    case constant
    /// `torch.optim.lr_scheduler.StepLR(step_size: every, gamma: factor)`: η·factor^⌊step / every⌋.
    case stepDecay(every: Int, factor: Double)

    /// Decays are applied by repeated multiplication, as StepLR's chainable form does (bit-identical to
    /// torch for up to 4096 decays; beyond that `pow` is used, which may differ in the last bit).
    public func rate(base: Double, step: Int) -> Double {
        switch self {
        case .constant:
            return base
        case .stepDecay(let every, let factor):
            let k = every > 0 ? max(step, 0) / every : 0
            if k > 4096 { return base * Self.power(factor, k) }
            var r = base
            for _ in 0..<k { r *= factor }
            return r
        }
    }

    private static func power(_ x: Double, _ k: Int) -> Double {
        var result = 1.0, b = x, e = k
        while e > 0 {
            if e & 1 == 1 { result *= b }
            b *= b
            e >>= 1
        }
        return result
    }

    /// The text `init(parsing:)` accepts: `constant` or `step(every=N,factor=f)`.
    public var description: String {
        switch self {
        case .constant: return "constant"
        case .stepDecay(let every, let factor): return "step(every=\(every),factor=\(factor))"
        }
    }

    /// Throws a one-line `TrainingError` for a non-positive period or a non-finite or non-positive factor.
    public func validate() throws {
        if case .stepDecay(let every, let factor) = self {
            guard every >= 1 else { throw TrainingError.option("--lr-schedule: every must be ≥ 1 (got \(every))") }
            guard factor.isFinite, factor > 0 else {
                throw TrainingError.option("--lr-schedule: factor must be a finite number > 0 (got \(factor))")
            }
        }
    }

    /// Parses `constant` or `step(every=N,factor=f)` (spaces and letter case ignored; keys in any order).
    public init(parsing text: String) throws {
        let usage = "use constant or step(every=N,factor=f)"
        let t = text.filter { !$0.isWhitespace }.lowercased()
        if t == "constant" { self = .constant; return }
        guard t.hasPrefix("step("), t.hasSuffix(")") else {
            throw TrainingError.option("--lr-schedule \"\(text)\" not understood: \(usage)")
        }
        var every: Int?, factor: Double?
        for item in t.dropFirst(5).dropLast().split(separator: ",", omittingEmptySubsequences: false) {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            switch (kv.first, kv.count) {
            case ("every", 2):
                guard let v = Int(kv[1]) else {
                    throw TrainingError.option("--lr-schedule \"\(TextExcerpt.of(text))\": every must be a whole number (got '\(TextExcerpt.of(kv[1]))')")
                }
                every = v
            case ("factor", 2):
                guard let v = Double(kv[1]) else {
                    throw TrainingError.option("--lr-schedule \"\(TextExcerpt.of(text))\": factor must be a number (got '\(TextExcerpt.of(kv[1]))')")
                }
                factor = v
            default:
                throw TrainingError.option("--lr-schedule \"\(TextExcerpt.of(text))\": '\(TextExcerpt.of(item))' not understood: \(usage)")
            }
        }
        guard let every, let factor else {
            throw TrainingError.option("--lr-schedule \"\(text)\" needs both every= and factor=: \(usage)")
        }
        self = .stepDecay(every: every, factor: factor)
        try validate()
    }
}
