import Foundation
import RunFormat

/// DIR/summary.h5 and DIR/report.md, from the latest result of every experiment reproduced into DIR.
public enum ReproductionFiles {
    public static func summary(_ reports: [ExperimentReport]) -> ReproductionSummary {
        ReproductionSummary(rule: Agreement.ruleText, experiments: reports.map { r in
            ReproductionSummary.Experiment(
                id: r.id, figure: r.figure, summary: r.summary, quick: r.settings.quick, notes: r.notes, rule: r.rule,
                seeds: r.settings.seedList.map(Int64.init), key: r.claims.map(\.key), claim: r.claims.map(\.claim),
                source: r.claims.map(\.source), expected: r.claims.map(\.expected),
                agreement: r.claims.map(\.agreement.rawValue), reason: r.claims.map(\.reason),
                matching: r.claims.map { Int64($0.matching) }, median: r.claims.map(\.median),
                minimum: r.claims.map(\.minimum), maximum: r.claims.map(\.maximum),
                obtained: r.claims.flatMap(\.perSeed), matches: r.claims.flatMap { $0.matches.map { $0 ? 1 : 0 } })
        })
    }

    /// The Markdown report: every experiment's table, then how to draw figures when `python` is given.
    public static func markdown(_ reports: [ExperimentReport], python: String?) -> String {
        var out = ["# condense reproduce", "",
                   "Each paper's claim beside what we obtained over seeds 1…N, analyzed with `condense analyze`'s default options.", ""]
        for r in reports {
            out.append(ReportTable.markdown(r))
            if let python, !r.figureRuns.isEmpty {
                out += ["", "Heat maps of seed 1:", "", "```sh"]
                out += figureCommands(r, python: python)
                out.append("```")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// `tools/plot_run.py heatmap` for seed 1's runs (the script computes the clusters when the file has no
    /// /analysis group).
    public static func figureCommands(_ r: ExperimentReport, python: String) -> [String] {
        r.figureRuns.map { "\(python) tools/plot_run.py heatmap \($0.path) -o \(r.id)-\(slug($0.label)).png   # \($0.label)" }
    }

    static func slug(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" })
            .split(separator: "-").joined(separator: "-")
    }

    /// Where an experiment's latest result is kept: `DIR/<id>/result.json`.
    public static func resultPath(root: String, id: String) -> String { root + "/" + id + "/result.json" }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// Keeps `report` as the experiment's latest result (written atomically).
    public static func save(_ report: ExperimentReport, root: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + report.id, withIntermediateDirectories: true)
        try encoder().encode(report).write(to: URL(fileURLWithPath: resultPath(root: root, id: report.id)), options: .atomic)
    }

    /// The latest result of every experiment kept in `root`, in catalog order; a result this build cannot read
    /// (written by another version) is left out.
    public static func load(root: String) -> [ExperimentReport] {
        ExperimentCatalog.ids.compactMap { id in
            guard let data = FileManager.default.contents(atPath: resultPath(root: root, id: id)) else { return nil }
            return try? decoder().decode(ExperimentReport.self, from: data)
        }
    }

    /// Saves `report` and rewrites `DIR/summary.h5` and `DIR/report.md` from every experiment's latest result
    /// in DIR, so reproducing one experiment keeps the others' tables. Returns the experiments written.
    @discardableResult
    public static func record(_ report: ExperimentReport, root: String, python: String?) throws -> [ExperimentReport] {
        try save(report, root: root)
        let all = load(root: root)
        try write(all, into: root, python: python)
        return all
    }

    public static func write(_ reports: [ExperimentReport], into root: String, python: String?) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try ReproductionSummaryWriter.write(summary(reports), to: root + "/summary.h5")
        try Data(markdown(reports, python: python).utf8).write(to: URL(fileURLWithPath: root + "/report.md"), options: .atomic)
    }
}
