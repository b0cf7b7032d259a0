import Foundation
import Model
import Training

/// The results of `condense compare-init`: per scheme and reported step, the median and quartiles over seeds of
/// the train and test loss, as a table or JSON.
struct CompareInitReport {
    let schemes: [InitScheme]
    let seeds: [UInt64]
    let steps: [Int]
    /// outcomes[scheme][seed]
    let outcomes: [[RunOutcome]]
    let base: TrainingConfig
    let wallTime: Double
    let jobs: Int

    /// A run's loss at each reported step: NaN where it has none (diverged before, or a non-finite value);
    /// a run stopped early by --stop-loss keeps its last loss.
    static func values(_ run: RunOutcome, steps: [Int], test: Bool) -> [Double] {
        var byStep: [Int: Double] = [:]
        for r in run.history { byStep[r.step] = test ? r.testLoss : r.trainLoss }
        let last = run.history.last
        return steps.map { step in
            if let v = byStep[step] { return v.isFinite ? v : .nan }
            if run.status == .stopped, let last, step > last.step {
                let v = test ? last.testLoss : last.trainLoss
                return v.isFinite ? v : .nan
            }
            return .nan
        }
    }

    /// Quantile q of sorted finite values by linear interpolation between order statistics (numpy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (position - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    struct Summary: Encodable {
        var median: [Double?], q1: [Double?], q3: [Double?], n: [Int]
    }

    /// Median and quartiles per step over the runs of one scheme.
    static func summarize(_ perRun: [[Double]], steps: Int) -> Summary {
        var s = Summary(median: [], q1: [], q3: [], n: [])
        for k in 0..<steps {
            let finite = perRun.map { $0[k] }.filter(\.isFinite).sorted()
            func opt(_ x: Double) -> Double? { x.isFinite ? x : nil }
            s.median.append(opt(quantile(finite, 0.5)))
            s.q1.append(opt(quantile(finite, 0.25)))
            s.q3.append(opt(quantile(finite, 0.75)))
            s.n.append(finite.count)
        }
        return s
    }

    func losses(_ scheme: Int, test: Bool) -> [[Double]] {
        outcomes[scheme].map { Self.values($0, steps: steps, test: test) }
    }

    var headline: String {
        let a = base.architecture
        let activations = Set(a.activations).count == 1 ? a.activations[0] : a.activations.joined(separator: ",")
        var data = "", input = "in", output = "out"
        switch base.data {
        case .builtin(let t, let n, let nTest, let d):
            data = "\(t.rawValue) (\(d ?? t.defaultInputDim)-D, \(n ?? t.defaultTrainSize) train / \(nTest ?? t.defaultTestSize) test)"
            input = "\(d ?? t.defaultInputDim)"; output = "1"
        case .file(let path, _, _, _): data = path
        case .dataset(let name, let n, let nTest):
            data = "\(name.rawValue) (\(n.map(String.init) ?? "all") train / \(nTest.map(String.init) ?? "all") test)"
            input = "784"; output = "\(base.preprocessing?.classes ?? 1)"
        }
        let widths = ([input] + a.hiddenWidths.map(String.init) + [output]).joined(separator: "-")
        let seedText = seeds.count == 1 ? "seed \(seeds[0])" : "\(seeds.count) seeds (\(seeds[0])…\(seeds[seeds.count - 1]))"
        return "compare-init: \(data), student \(widths) \(activations), \(base.optimizer.kind.rawValue) lr \(base.optimizer.lr), "
            + "\(base.steps) steps, \(seedText); \(String(format: "%.1f", wallTime)) s on \(jobs) worker(s)"
    }

    func table() -> String {
        func num(_ x: Double?) -> String { x.map { String(format: "%.4e", $0) } ?? "—" }
        func cell(_ s: Summary, _ k: Int) -> String { "\(num(s.median[k])) [\(num(s.q1[k])), \(num(s.q3[k]))]" }
        let labels = schemes.map(\.spec)
        let width = max(6, labels.map(\.count).max() ?? 6)
        func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return right ? fill + s : s + fill
        }
        let cellWidth = 36
        var lines = [headline, "loss: median [first quartile, third quartile] over seeds; n = runs with a finite loss", ""]
        lines.append(pad("scheme", width) + "  " + pad("step", 7, right: true) + "  " + pad("train loss", cellWidth)
                     + "  " + pad("test loss", cellWidth) + "  n")
        for (i, label) in labels.enumerated() {
            let train = Self.summarize(losses(i, test: false), steps: steps.count)
            let test = Self.summarize(losses(i, test: true), steps: steps.count)
            for (k, step) in steps.enumerated() {
                lines.append(pad(k == 0 ? label : "", width) + "  " + pad("\(step)", 7, right: true) + "  "
                             + pad(cell(train, k), cellWidth) + "  " + pad(cell(test, k), cellWidth) + "  \(train.n[k])")
            }
        }
        let diverged = outcomes.flatMap { $0 }.filter { $0.status == .diverged }.count
        if diverged > 0 { lines.append("\(diverged) run(s) diverged (non-finite loss)") }
        let pairs = pairedWins()
        if !pairs.isEmpty {
            let shown = steps.indices.filter { steps[$0] > 0 }
            let w = max(5, shown.map { "\(steps[$0])".count }.max() ?? 0)
            let pairWidth = 2 + (pairs.map { "\($0.first) vs \($0.second)".count }.max() ?? 0)
            func row(_ label: String, _ values: [Int]) -> String {
                pad(label, pairWidth) + "  " + shown.map { pad("\(values[$0])", w, right: true) }.joined(separator: " ")
            }
            lines.append("")
            lines.append("paired by seed (a seed gives every scheme the same teacher, data and batch order): in how many of the \(seeds.count) seeds the first scheme's loss is lower")
            lines.append(row("train loss, at step", steps))
            for p in pairs { lines.append(row("  \(p.first) vs \(p.second)", p.train)) }
            lines.append(row("test loss, at step", steps))
            for p in pairs { lines.append(row("  \(p.first) vs \(p.second)", p.test)) }
        }
        return lines.joined(separator: "\n")
    }

    /// One pair of schemes compared seed by seed at each reported step: in how many seeds the first one's train
    /// (test) loss is lower; a seed where either has no finite loss counts for neither.
    struct PairedWins: Encodable {
        var first: String, second: String, train: [Int], test: [Int], seeds: Int
    }

    /// Every pair of schemes (in the order given), seed by seed: a median over seeds can hide that one scheme wins
    /// every seed, or that a control explains a gain (RAI beside `rai_matched_gaussian`).
    func pairedWins() -> [PairedWins] {
        guard schemes.count > 1, !steps.isEmpty else { return [] }
        let train = schemes.indices.map { losses($0, test: false) }, test = schemes.indices.map { losses($0, test: true) }
        func wins(_ a: [[Double]], _ b: [[Double]]) -> [Int] {
            steps.indices.map { k in zip(a, b).filter { $0[k].isFinite && $1[k].isFinite && $0[k] < $1[k] }.count }
        }
        var out: [PairedWins] = []
        for i in schemes.indices {
            for j in schemes.indices where j > i {
                out.append(PairedWins(first: schemes[i].spec, second: schemes[j].spec, train: wins(train[i], train[j]),
                                      test: wins(test[i], test[j]), seeds: seeds.count))
            }
        }
        return out
    }

    struct RunJSON: Encodable {
        var seed: UInt64, status: String, train_loss: [Double?], test_loss: [Double?]
    }
    struct SchemeJSON: Encodable {
        var scheme: String, train: Summary, test: Summary, runs: [RunJSON]
    }
    struct ReportJSON: Encodable {
        var format = "condense-compare-init"
        var steps: [Int], seeds: [UInt64], config: String, wall_time_seconds: Double, jobs: Int
        var schemes: [SchemeJSON]
        var paired: [PairedWins]
    }

    func json() throws -> String {
        func opt(_ v: [Double]) -> [Double?] { v.map { $0.isFinite ? $0 : nil } }
        var out: [SchemeJSON] = []
        for (i, scheme) in schemes.enumerated() {
            let train = losses(i, test: false), test = losses(i, test: true)
            let runs = outcomes[i].enumerated().map { j, o in
                RunJSON(seed: seeds[j], status: o.status.rawValue, train_loss: opt(train[j]), test_loss: opt(test[j]))
            }
            out.append(SchemeJSON(scheme: scheme.spec, train: Self.summarize(train, steps: steps.count),
                                  test: Self.summarize(test, steps: steps.count), runs: runs))
        }
        let report = ReportJSON(steps: steps, seeds: seeds, config: try base.jsonString(), wall_time_seconds: wallTime,
                                jobs: jobs, schemes: out, paired: pairedWins())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
