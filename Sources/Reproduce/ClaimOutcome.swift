import Foundation

/// One claim of a paper beside what we obtained over the seeds.
public struct ClaimOutcome: Sendable, Equatable, Codable {
    /// Short stable key (e.g. `tanh.lines_at_end`), the coordinate of the claim in summary.h5.
    public var key: String
    /// The claim in words.
    public var claim: String
    /// Paper and figure.
    public var source: String
    /// The claimed value in words (e.g. "1 line", "≤ 2p = 2").
    public var expected: String
    /// The seed numbers and, per seed, the obtained value (NaN: no value, e.g. a failed run).
    public var seeds: [Int]
    public var perSeed: [Double]
    /// Per seed: whether the value matches the claim (false without a value).
    public var matches: [Bool]
    public var agreement: Agreement
    public var reason: String

    public init(key: String, claim: String, source: String, expected: String, seeds: [Int], perSeed: [Double],
                matches: [Bool], agreement: Agreement, reason: String) {
        precondition(seeds.count == perSeed.count && seeds.count == matches.count,
                     "ClaimOutcome \(key): \(seeds.count) seeds, \(perSeed.count) values, \(matches.count) matches")
        self.key = key; self.claim = claim; self.source = source; self.expected = expected; self.seeds = seeds
        self.perSeed = perSeed; self.matches = matches; self.agreement = agreement; self.reason = reason
    }

    /// A count claim judged by the one share rule (`Agreement.fromShare`): `matches` decides per seed.
    public static func counted(key: String, claim: String, source: String, expected: String, seeds: [Int],
                               perSeed: [Double], matches: (Double) -> Bool, reason: String = "") -> ClaimOutcome {
        let m = perSeed.map { $0.isFinite && matches($0) }
        let n = m.filter { $0 }.count
        let agreement = Agreement.fromShare(matching: n, of: seeds.count)
        let missing = perSeed.filter { !$0.isFinite }.count
        var why = "\(n) of \(seeds.count) seeds match"
        if missing > 0 { why += " (\(missing) without a value)" }
        if !reason.isEmpty { why += "; " + reason }
        return ClaimOutcome(key: key, claim: claim, source: source, expected: expected, seeds: seeds,
                            perSeed: perSeed, matches: m, agreement: agreement, reason: why)
    }

    /// A claim this build does not compute yet: no values, agreement "not yet computed".
    public static func notComputed(key: String, claim: String, source: String, expected: String, seeds: [Int],
                                   reason: String) -> ClaimOutcome {
        ClaimOutcome(key: key, claim: claim, source: source, expected: expected, seeds: seeds,
                     perSeed: seeds.map { _ in .nan }, matches: seeds.map { _ in false },
                     agreement: .notComputed, reason: reason)
    }

    /// Seeds whose value matches the claim.
    public var matching: Int { matches.filter { $0 }.count }

    /// Median, minimum and maximum of the finite per-seed values (NaN when there is none).
    public var median: Double { Self.median(perSeed.filter(\.isFinite)) }
    public var minimum: Double { perSeed.filter(\.isFinite).min() ?? .nan }
    public var maximum: Double { perSeed.filter(\.isFinite).max() ?? .nan }

    static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return .nan }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
