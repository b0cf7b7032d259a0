import Foundation

/// The per-experiment table, as plain text (the terminal) or Markdown (report.md): claim | source | obtained
/// (median and range over seeds, matching seeds) | agreement | reason, with the agreement rule under it.
public enum ReportTable {
    /// "median 2 (1–3), 7/10 match", or "—" without values.
    public static func obtained(_ c: ClaimOutcome) -> String {
        if c.agreement == .notComputed { return "not yet computed" }
        let finite = c.perSeed.filter(\.isFinite)
        guard !finite.isEmpty else { return "no value (\(c.seeds.count) seeds)" }
        var s = "median \(number(c.median))"
        if c.minimum != c.maximum { s += " (\(number(c.minimum))–\(number(c.maximum)))" }
        if c.agreement != .notApplicable { s += ", \(c.matching)/\(c.seeds.count) match" }
        else { s += ", \(finite.count)/\(c.seeds.count) seeds" }
        return s
    }

    /// Whole numbers as such, others with 3 significant decimals.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: abs(v) >= 100 ? "%.1f" : "%.3f", v)
    }

    static func header(_ r: ExperimentReport) -> String {
        let seeds = "\(r.settings.seeds) seed\(r.settings.seeds == 1 ? "" : "s")\(r.settings.quick ? ", quick" : "")"
        var runs = ""
        if r.directory != nil {
            runs = "; runs: \(r.runsDone) done"
            if r.runsFailed > 0 { runs += ", \(r.runsFailed) failed" }
            if r.runsPending > 0 { runs += ", \(r.runsPending) not finished" }
        }
        return "\(r.id) — \(r.figure): \(r.summary) (\(seeds)\(runs))"
    }

    static func rows(_ r: ExperimentReport) -> [[String]] {
        r.claims.map { c in
            [c.claim, c.source, c.expected, obtained(c), c.agreement.rawValue, c.reason]
        }
    }

    static let columns = ["claim", "source", "paper", "obtained", "agreement", "reason"]

    /// Plain text, columns padded; the reason column is left unpadded at the end.
    public static func text(_ r: ExperimentReport) -> String {
        let rows = rows(r)
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < columns.count - 1 { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = [header(r), line(columns)]
        out += rows.map(line)
        out += r.notes.map { "  " + $0 }
        out.append("  " + r.rule)
        return out.joined(separator: "\n")
    }

    /// Markdown: a heading, the table, notes and the rule.
    public static func markdown(_ r: ExperimentReport) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = ["## \(r.id) — \(r.figure)", "", header(r), "",
                   "| " + columns.joined(separator: " | ") + " |",
                   "|" + String(repeating: " --- |", count: columns.count)]
        out += rows(r).map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        out.append("")
        out += r.notes.map { "- " + $0 }
        out.append("- " + r.rule)
        return out.joined(separator: "\n")
    }
}
