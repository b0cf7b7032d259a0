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

    /// The Markdown report: every experiment's table, then its figures — the images `condense reproduce` drew
    /// into DIR/figures (named `<id>-<figure>.png`), or the command that draws them once the Python package is
    /// installed — and the command that draws every figure of seed 1's runs.
    public static func markdown(_ reports: [ExperimentReport], root: String) -> String {
        var out = ["# condense reproduce", "",
                   "Each paper's claim beside what we obtained over seeds 1…N, analyzed with `condense analyze`'s default options.", ""]
        for r in reports {
            out.append(ReportTable.markdown(r))
            if !r.figureRuns.isEmpty {
                let images = figureFiles(root: root, id: r.id)
                if images.isEmpty {
                    out += ["", "Figures (not drawn: the Python package was not found; `pip install ./tools/python` from a condense checkout):",
                            "", "```sh", drawCommand(root: root, id: r.id), "```"]
                } else {
                    out += [""] + images.map { "![\(r.id): \($0.dropFirst(r.id.count + 1).dropLast(4))](figures/\($0))" }
                }
                out += ["", "Every figure of seed 1's runs:", "", "```sh"]
                out += figureCommands(r, root: root)
                out.append("```")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// The images of experiment `id` in DIR/figures, sorted (`lyapunov-…` images of a longer id such as
    /// `lyapunov-training` are not `lyapunov`'s).
    public static func figureFiles(root: String, id: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/figures")) ?? []
        let longer = ExperimentCatalog.ids.filter { $0.hasPrefix(id + "-") }
        return names.filter { name in
            name.hasPrefix(id + "-") && name.hasSuffix(".png") && !longer.contains { name.hasPrefix($0 + "-") }
        }.sorted()
    }

    /// The command that draws experiment `id`'s figures from DIR (the Python package's `plot all`).
    public static func drawCommand(root: String, id: String, python: String = "python3") -> String {
        "\(python) -m condense plot all \(root) --experiment \(id) --out-dir \(root)/figures"
    }

    /// `python -m condense plot all RUN` for seed 1's runs: heat maps, counts, loss and evolution of each run
    /// (and P1 Figs. 5–6 for one-dimensional inputs).
    public static func figureCommands(_ r: ExperimentReport, root: String) -> [String] {
        r.figureRuns.map { "python3 -m condense plot all \($0.path) --out-dir \(root)/figures/\(r.id)-\(slug($0.label))   # \($0.label)" }
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
    public static func record(_ report: ExperimentReport, root: String) throws -> [ExperimentReport] {
        try save(report, root: root)
        let all = load(root: root)
        try write(all, into: root)
        return all
    }

    public static func write(_ reports: [ExperimentReport], into root: String) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try ReproductionSummaryWriter.write(summary(reports), to: root + "/summary.h5")
        try Data(markdown(reports, root: root).utf8).write(to: URL(fileURLWithPath: root + "/report.md"), options: .atomic)
    }
}
