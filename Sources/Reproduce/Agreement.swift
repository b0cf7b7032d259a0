/// How well what we obtain agrees with a paper's claim.
public enum Agreement: String, Sendable, Codable, CaseIterable {
    case agrees
    case partly
    case disagrees
    /// The claim does not apply (e.g. a bound that is undefined for ReLU): values are reported, not judged.
    case notApplicable = "n/a"
    /// A claim whose computation is not in this build yet; no value is reported.
    case notComputed = "not yet computed"

    /// The one rule for every count claim: f = share of seeds whose value matches the claim; f ≥ 0.8 agrees,
    /// 0.3 ≤ f < 0.8 partly, else disagrees. Seeds without a value (a failed run) count as not matching.
    public static func fromShare(matching: Int, of seeds: Int) -> Agreement {
        guard seeds > 0 else { return .disagrees }
        let f = Double(matching) / Double(seeds)
        if f >= agreeShare - 1e-12 { return .agrees }
        if f >= partlyShare - 1e-12 { return .partly }
        return .disagrees
    }

    public static let agreeShare = 0.8
    public static let partlyShare = 0.3

    /// The rule as printed under every table.
    public static let ruleText = "agreement: f = share of seeds matching the claim; f ≥ 0.8 agrees, 0.3 ≤ f < 0.8 partly, "
        + "else disagrees (a seed without a value does not match); n/a: reported, not judged"
}
