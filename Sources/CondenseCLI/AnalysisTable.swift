import Analysis
import Foundation
import RunFormat

/// The terminal table of `condense analyze`.
enum AnalysisTable {
    static func render(path: String, layers: [LayerAnalysis], stored: String?) -> String {
        var out = ""
        let taus = layers.first?.rows.first?.thresholdCounts.map(\.tau) ?? []
        let byTau = "at τ " + taus.map { String(format: "%.2f", $0).replacingOccurrences(of: "0.", with: ".") }.joined(separator: "/")
        let header = ["layer", "step", "kept", "groups", "condensed", "covered", "stragglers", byTau, "bound",
                      "verdict", "m_eff/m", "RD", "|cos v|"]
        var rows: [[String]] = []
        for layer in layers {
            let bound = layer.layer.multiplicity.map { "≤ \(2 * $0)" } ?? "–"
            for i in rowsToShow(layer) {
                let r = layer.rows[i], s = r.summary, d = r.decision
                let loose = r.isLoose ? " *" : ""
                rows.append([layer.layer.name, String(r.step), "\(s.keptCount)/\(s.width)",
                             "\(s.orientations.count) o / \(s.lines.count) l",
                             "\(d.orientations) o / \(d.lines) l\(loose)", percent(d.coveredShare) + loose,
                             percent(d.stragglerShare),
                             r.thresholdCounts.map { String($0.orientations) }.joined(separator: "/"), bound,
                             layer.verdict(at: i).text, number(r.effectiveRatio, 3), number(r.relativeDistance, 3),
                             s.predictedAlignment.map { number($0, 4) } ?? "–"])
            }
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        out += line(header)
        for r in rows { out += line(r) }
        if let first = layers.first?.rows.first?.summary.options {
            out += "\n" + wrap(legend(first, taus: taus), width: 110) + "\n"
        }
        out += "\n"
        for layer in layers { out += headline(layer) + "\n" }
        if let stored { out += "analysis stored in \(stored) (group /analysis)\n" }
        return out
    }

    /// What the columns mean, with the thresholds in force (the concepts are in docs/concepts.md).
    static func legend(_ o: CondensationOptions, taus: [Double]) -> String {
        let weight = o.coverageWeighting == .amplitude ? "amplitude |a|·‖w‖" : "neurons"
        return """
        groups: orientations (o; clusters at cos > \(o.cosineThreshold), touching ones joined) and lines (l; opposite \
        orientations paired). condensed: those holding ≥ \(percent(o.minimumCondensedShare)) of the kept neurons \
        and unlike chance. covered: share of the \(weight) in condensed orientations; stragglers: share of kept \
        neurons outside them. A layer becomes condensed at covered ≥ \(percent(o.enterCoverage)) and stays so \
        while ≥ \(percent(o.leaveCoverage)). \(taus.count > 1 ? "The condensed orientations are counted again at each τ listed; * marks a loose group, judged at the loosest τ because the clusters at \(o.cosineThreshold) hold less than \(percent(o.leaveCoverage)) of the layer while those at \(taus[0]) hold more." : "")
        """
    }

    /// What the bound speaks of: the initial stage of each layer.
    static func headline(_ layer: LayerAnalysis) -> String {
        let d = layer.layer
        let p = d.multiplicity.map { "p = \($0)" } ?? "p undefined"
        var t = "\(d.name) (\(d.activation ?? "?"), \(p)): "
        guard let stage = layer.stage, let verdict = layer.stageVerdict else {
            if layer.condensed.contains(true) {
                return t + "condensed at some snapshots, but the count never held still for the settle length"
            }
            return t + "not condensed at any analyzed snapshot"
        }
        let first = layer.rows[stage.start], last = layer.rows[stage.end]
        t += "initial stage steps \(first.step)–\(last.step)\(stage.settled ? "" : " (not settled: the series ended)"): "
        t += "\(stage.count) condensed orientation\(stage.count == 1 ? "" : "s"), \(stage.lines) line\(stage.lines == 1 ? "" : "s")"
        if let p = d.multiplicity {
            t += " vs bound 2p = \(2 * p): \(verdict.text)"
        } else {
            t += ": the 2p bound is not defined for \(d.activation ?? "this activation")"
        }
        let stragglers = layer.rows[stage.start...stage.end].map(\.decision.stragglerShare).max() ?? 0
        if stragglers > 0 { t += ", stragglers ≤ \(percent(stragglers))" }
        let loose = layer.rows[stage.start...stage.end].filter(\.isLoose)
        if let tau = loose.first?.decision.tau {
            t += "; a loose group: \(loose.count) of the stage's \(stage.end - stage.start + 1) snapshots judged at τ = \(String(format: "%.2f", tau))"
        }
        let byTau = layer.stageCountsByThreshold
        if byTau.count > 1 {
            let list = byTau.map { "\($0.orientations) at τ = \(String(format: "%.2f", $0.tau))" }.joined(separator: ", ")
            t += layer.thresholdStable ? "; the same count at every τ checked"
                : "; threshold-sensitive: \(list)"
        }
        if stage.endedBy == .growth, stage.end + 1 < layer.rows.count {
            t += "; the count grows to \(layer.rows[stage.end + 1].summary.condensedOrientationCount) at step \(layer.rows[stage.end + 1].step)"
        } else if stage.endedBy == .lostCondensation, stage.end + 1 < layer.rows.count {
            t += "; no longer condensed from step \(layer.rows[stage.end + 1].step)"
        }
        if let note = layer.predictionNote { t += " (no p = 1 prediction: \(note))" }
        return t
    }

    static func rowsToShow(_ layer: LayerAnalysis) -> [Int] {
        let n = layer.rows.count
        if n <= 12 { return Array(0..<n) }
        var s = Set((0..<10).map { Int((Double($0) * Double(n - 1) / 9).rounded()) })
        if let stage = layer.stage { s.insert(stage.start); s.insert(stage.end) }
        return s.sorted()
    }

    /// `text` broken at spaces into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double, _ digits: Int) -> String {
        v.isNaN ? "nan" : String(format: "%.\(digits)g", v)
    }

    static func percent(_ v: Double) -> String {
        v.isNaN ? "nan" : String(format: "%.0f %%", 100 * v)
    }
}
