import Foundation

/// The `--json` object: `{"schema": "condense.reproduce/1", "experiments": [{id, figure, summary, seeds, quick,
/// directory, runs, notes, claims: [{key, claim, source, expected, obtained: {per_seed, median, min, max},
/// matching, seeds, agreement, reason}]}]}`. Missing values are null.
public enum ReproductionJSON {
    public static let schema = "condense.reproduce/1"

    public static func object(_ reports: [ExperimentReport], rule: String = Agreement.ruleText) -> [String: Any] {
        func num(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        let experiments: [[String: Any]] = reports.map { r in
            var e: [String: Any] = [
                "id": r.id, "figure": r.figure, "summary": r.summary, "seeds": r.settings.seeds, "quick": r.settings.quick,
                "notes": r.notes, "agreement_rule": r.rule,
                "claims": r.claims.map { c -> [String: Any] in
                    [
                        "key": c.key, "claim": c.claim, "source": c.source, "expected": c.expected,
                        "obtained": ["per_seed": c.perSeed.map(num), "median": num(c.median), "min": num(c.minimum),
                                     "max": num(c.maximum)] as [String: Any],
                        "seed_values": c.seeds, "matches": c.matches,
                        "matching": c.matching, "seeds": c.seeds.count, "agreement": c.agreement.rawValue,
                        "reason": c.reason,
                    ]
                },
            ]
            if let d = r.directory {
                e["directory"] = d
                e["runs"] = ["done": r.runsDone, "failed": r.runsFailed, "not_finished": r.runsPending]
            }
            return e
        }
        return ["schema": schema, "agreement_rule": rule, "experiments": experiments]
    }

    public static func text(_ reports: [ExperimentReport]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object(reports), options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
