import Foundation

extension SweepSummary {
    /// One row per run: the axes' coordinates, run id, status, reason, final loss, then per layer
    /// `<layer>_<value>` columns. Missing values are empty cells.
    public func csv() -> String {
        func text(_ c: Coordinate, _ k: Int) -> String {
            switch c {
            case .float(let v): return number(v[k])
            case .int(let v): return String(v[k])
            case .string(let v): return v[k]
            }
        }
        func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "" }
        func int(_ x: Int64) -> String { x < 0 ? "" : String(x) }
        var header = [String]()
        for a in axes { header.append(a.name); header += a.companions.map(\.name) }
        header += ["run_id", "status", "reason", "final_loss"]
        for l in layers {
            header += ["initial_orientations", "initial_lines", "final_orientations", "final_lines",
                       "effective_ratio", "relative_distance", "verdict", "initial_verdict"].map { "\(l)_\($0)" }
        }
        var rows = [header.map(quote).joined(separator: ",")]
        let sizes = axes.map(\.size)
        let L = layers.count
        for r in 0..<runCount {
            var k = [Int](repeating: 0, count: sizes.count), rest = r
            for d in sizes.indices.reversed() { k[d] = rest % sizes[d]; rest /= sizes[d] }
            var row = [String]()
            for (d, a) in axes.enumerated() {
                row.append(text(a.values, k[d]))
                row += a.companions.map { text($0.values, k[d]) }
            }
            row += [runID[r], status[r], reason[r], number(finalLoss[r])]
            for l in 0..<L {
                let i = r * L + l
                row += [int(initialOrientations[i]), int(initialLines[i]), int(finalOrientations[i]),
                        int(finalLines[i]), number(effectiveRatio[i]), number(relativeDistance[i]), verdict[i],
                        initialVerdict[i]]
            }
            rows.append(row.map(quote).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    private func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
