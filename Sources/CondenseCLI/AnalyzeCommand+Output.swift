import Analysis
import Foundation
import RunFormat

/// The terminal table of `condense analyze`.
enum AnalysisTable {
    static func render(path: String, layers: [LayerAnalysis], stored: String?) -> String {
        var out = ""
        let header = ["layer", "step", "kept", "orient.", "lines", "condensed", "bound", "verdict", "m_eff/m", "RD", "|cos v|"]
        var rows: [[String]] = []
        for layer in layers {
            let bound = layer.layer.multiplicity.map { "≤ \(2 * $0)" } ?? "–"
            for i in rowsToShow(layer) {
                let r = layer.rows[i], s = r.summary
                rows.append([layer.layer.name, String(r.step), "\(s.keptCount)/\(s.width)", String(s.orientations.count),
                             String(s.lines.count), "\(s.condensedOrientationCount) (\(s.condensedLineCount) l)", bound,
                             s.verdict.text, number(r.effectiveRatio, 3), number(r.relativeDistance, 3),
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
        out += "\n"
        for layer in layers { out += headline(layer) + "\n" }
        if let stored { out += "analysis stored in \(stored) (group /analysis)\n" }
        return out
    }

    /// What the bound speaks of: the initial stage of each layer.
    static func headline(_ layer: LayerAnalysis) -> String {
        let d = layer.layer
        let p = d.multiplicity.map { "p = \($0)" } ?? "p undefined"
        var t = "\(d.name) (\(d.activation ?? "?"), \(p)): "
        guard let stage = layer.stage else {
            return t + "not condensed at any analyzed snapshot"
        }
        let first = layer.rows[stage.start], last = layer.rows[stage.end]
        let s = first.summary
        t += "initial stage steps \(first.step)–\(last.step): \(s.condensedOrientationCount) condensed orientation\(s.condensedOrientationCount == 1 ? "" : "s"), \(s.condensedLineCount) line\(s.condensedLineCount == 1 ? "" : "s")"
        if let p = d.multiplicity {
            t += " vs bound 2p = \(2 * p): \(s.verdict.text)"
        } else {
            t += ": the 2p bound is not defined for \(d.activation ?? "this activation")"
        }
        if stage.endedBy == .growth, stage.end + 1 < layer.rows.count {
            t += "; the count grows to \(layer.rows[stage.end + 1].summary.condensedOrientationCount) at step \(layer.rows[stage.end + 1].step)"
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

    static func number(_ v: Double, _ digits: Int) -> String {
        v.isNaN ? "nan" : String(format: "%.\(digits)g", v)
    }
}

/// `condense analyze --json`.
struct AnalysisReport: Encodable {
    struct Cluster: Encodable {
        var size: Int
        var share: Double
        var amplitudeShare: Double?
        var meanAngle: Double
        var line: Int
        var condensed: Bool
        var direction: [Double]
    }
    struct Row: Encodable {
        var snapshot: Int
        var step: Int
        var kept: Int
        var nonFinite: Int
        var negligible: Int
        var unclustered: Int
        var orientations: Int
        var lines: Int
        var condensedOrientations: Int
        var condensedLines: Int
        var condensed: Bool
        var verdict: String
        var effectiveRatio: Double?
        var effectiveNumberBounds: [Int]
        var relativeDistance: Double?
        var topShare: Double?
        var predictedCosine: Double?
        var clusters: [Cluster]
    }
    struct Stage: Encodable {
        var startStep: Int
        var endStep: Int
        var condensedOrientations: Int
        var condensedLines: Int
        var endedBy: String
        var verdict: String
    }
    struct Layer: Encodable {
        var name: String
        var activation: String?
        var multiplicity: Int?
        var bound: Int?
        var initialStage: Stage?
        var predictionNote: String?
        var snapshots: [Row]
    }
    var run: String
    var layers: [Layer]

    init(path: String, layers: [LayerAnalysis], note: String?) {
        run = path
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        self.layers = layers.map { l in
            Layer(name: l.layer.name, activation: l.layer.activation, multiplicity: l.layer.multiplicity,
                  bound: l.layer.multiplicity.map { 2 * $0 },
                  initialStage: l.stage.map { st in
                      let s = l.rows[st.start].summary
                      return Stage(startStep: l.rows[st.start].step, endStep: l.rows[st.end].step,
                                   condensedOrientations: s.condensedOrientationCount,
                                   condensedLines: s.condensedLineCount, endedBy: st.endedBy.rawValue,
                                   verdict: s.verdict.text)
                  },
                  predictionNote: l.predictionNote,
                  snapshots: l.rows.map { r in
                      let s = r.summary
                      return Row(snapshot: r.snapshot, step: r.step, kept: s.keptCount, nonFinite: s.nonFiniteCount,
                                 negligible: s.negligibleCount, unclustered: s.unclusteredCount,
                                 orientations: s.orientations.count, lines: s.lines.count,
                                 condensedOrientations: s.condensedOrientationCount,
                                 condensedLines: s.condensedLineCount, condensed: s.isCondensed,
                                 verdict: s.verdict.text, effectiveRatio: finite(r.effectiveRatio),
                                 effectiveNumberBounds: [s.effectiveNumber.lower, s.effectiveNumber.upper],
                                 relativeDistance: finite(r.relativeDistance), topShare: s.topShare,
                                 predictedCosine: s.predictedAlignment,
                                 clusters: s.orientations.map {
                                     Cluster(size: $0.size, share: $0.neuronShare, amplitudeShare: finite($0.amplitudeShare),
                                             meanAngle: $0.meanAngle, line: $0.line, condensed: $0.isCondensed,
                                             direction: $0.direction)
                                 })
                  })
        }
    }

    func jsonString() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
