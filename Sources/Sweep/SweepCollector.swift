import Analysis
import Foundation
import RunFormat

/// Analyzes every done run of a sweep in-process (the run files stay untouched) and lays the results out over
/// the sweep's axes. A run whose stored `/analysis` is the analysis collect would make is read instead of
/// analyzed again (`reuseRefusal` says exactly when; `reuseStoredAnalyses` turns it off).
public struct SweepCollector {
    public var directory: SweepDirectory
    public var manifest: SweepManifest
    public var options: RunAnalysisOptions
    /// Called after each run with (runs handled, runs in all).
    public var onProgress: ((Int, Int) -> Void)?

    /// Names the summary file uses for its own variables; an axis may not take them.
    public static let reservedNames: Set<String> = [
        "run_id", "status", "reason", "final_loss", "initial_orientations", "initial_lines", "final_orientations",
        "final_lines", "effective_ratio", "relative_distance", "verdict", "initial_verdict", "rd_slope",
        "rd_slope_error", "rd_slope_points", "regime", SweepSummaryFormat.layerDim, SweepSummaryFormat.runDim]

    /// A finished run's final training loss and layer analyses. By default the run file is read and analyzed
    /// with `options`; `condense reproduce`, which has analyzed every run already, hands its results in instead.
    public var analyze: ((PlannedRun) throws -> (loss: Double, layers: [LayerAnalysis]))?
    /// Read a done run's stored `/analysis` instead of analyzing the run, where it matches (default true).
    public var reuseStoredAnalyses = true
    /// How many runs the last `collect()` took from their stored analysis.
    public private(set) var reusedAnalyses = 0

    public init(directory: SweepDirectory, manifest: SweepManifest, options: RunAnalysisOptions) {
        self.directory = directory; self.manifest = manifest; self.options = options
    }

    /// A done run's values: handed in by `analyze`, read from the run's stored analysis when it matches, else
    /// analyzed now.
    func collectRun(_ run: PlannedRun) throws -> CollectedRun {
        if let analyze {
            let (loss, layers) = try analyze(run)
            return CollectedRun(loss: loss, analyses: layers)
        }
        let reader = try RunReader(path: directory.runFile(run.id))
        defer { try? reader.close() }
        let loss = try reader.snapshotVariable("train_loss")?.last ?? .nan
        // A stored analysis that cannot be read (damaged, foreign) is analyzed again, like one that differs.
        if reuseStoredAnalyses, let stored = try? StoredAnalysisSummary.read(from: reader),
           try Self.reuseRefusal(stored, reader: reader, options: options) == nil {
            return CollectedRun(loss: loss, stored: stored)
        }
        return CollectedRun(loss: loss, analyses: try RunAnalyzer(reader: reader, options: options).run())
    }

    public mutating func collect() throws -> SweepSummary {
        for d in manifest.dimensions {
            for name in [d.name] + d.options where Self.reservedNames.contains(name) {
                throw SweepError.collect("axis '\(name)' has a name the summary file uses for its own data; rename the axis")
            }
        }
        // Analyze first: the layer list is the deepest network among the analyzed runs.
        var results: [Int: CollectedRun] = [:]
        reusedAnalyses = 0
        var reasons: [Int: String] = [:]
        var states: [Int: String] = [:]
        for (n, run) in manifest.runs.enumerated() {
            let record = try directory.record(for: run)
            states[run.index] = record.state.rawValue
            switch record.state {
            case .done:
                do {
                    let collected = try collectRun(run)
                    if collected.reused { reusedAnalyses += 1 }
                    results[run.index] = collected
                } catch {
                    reasons[run.index] = "analysis failed: \(SweepPlanner.line(error))"
                }
            case .failed: reasons[run.index] = "failed: \(record.error ?? "unknown error")"
            case .running: reasons[run.index] = "running (not finished)"
            case .pending: reasons[run.index] = record.attempts > 0 ? "interrupted (not finished)" : "not run yet"
            }
            onProgress?(n + 1, manifest.runs.count)
        }
        let depth = results.values.map { $0.layers.count }.max() ?? 1
        let names = (1...max(depth, 1)).map { i in
            results.values.first { $0.layers.count >= i }.map { $0.layers[i - 1].name } ?? "layer_\(i)"
        }
        var s = SweepSummary(name: manifest.name, axes: axes(), layers: names)
        let L = names.count
        for run in manifest.runs {
            let r = flatIndex(run.coordinates)
            s.runID[r] = run.id
            s.status[r] = states[run.index] ?? "pending"
            s.reason[r] = reasons[run.index] ?? ""
            guard let res = results[run.index] else { continue }
            s.finalLoss[r] = res.loss
            for (l, layer) in res.layers.enumerated() {
                let i = r * L + l
                guard let last = layer.last else { continue }
                s.finalOrientations[i] = Int64(last.orientations)
                s.finalLines[i] = Int64(last.lines)
                s.effectiveRatio[i] = last.effectiveRatio
                s.relativeDistance[i] = last.relativeDistance
                s.verdict[i] = last.verdict
                if let stage = layer.initial {
                    s.initialOrientations[i] = Int64(stage.orientations)
                    s.initialLines[i] = Int64(stage.lines)
                    s.initialVerdict[i] = stage.verdict
                } else {
                    s.initialVerdict[i] = CondensationVerdict.notCondensed.text
                }
            }
        }
        return s
    }

    func flatIndex(_ coordinates: [Int]) -> Int {
        zip(manifest.dimensions, coordinates).reduce(0) { $0 * $1.0.size + $1.1 }
    }

    /// Each dimension's coordinate (its own option's values, or 0…n−1 when a zip is named after none of its
    /// options) and the other zipped options as companions.
    func axes() -> [SweepSummary.Axis] {
        manifest.dimensions.map { d in
            let own = d.options.firstIndex(of: d.name)
            let values = own.map { Self.coordinate(d.values[$0]) } ?? .int((0..<d.size).map(Int64.init))
            let companions = d.options.indices.filter { $0 != own }.map { (name: d.options[$0], values: Self.coordinate(d.values[$0])) }
            return SweepSummary.Axis(name: d.name, values: values, companions: companions)
        }
    }

    static func coordinate(_ values: [SweepValue]) -> SweepSummary.Coordinate {
        if values.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
            return .int(values.map { if case .integer(let i) = $0 { return i } else { return 0 } })
        }
        let numbers = values.compactMap { v -> Double? in
            switch v {
            case .integer(let i): return Double(i)
            case .number(let d): return d
            case .string(let s): return Double(s)
            default: return nil
            }
        }
        if numbers.count == values.count, values.allSatisfy({ if case .string = $0 { return false } else { return true } }) {
            return .float(numbers)
        }
        return .string(values.map(\.label))
    }
}
