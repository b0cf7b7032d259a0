import Analysis
import ArgumentParser
import Foundation
import RunFormat
import Sweep

/// `condense sweep collect DIR`: one labeled summary of every run.
struct SweepCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Analyze every finished run and write one summary HDF5 indexed by the sweep's axes.",
        discussion: """
        Each done run is analyzed in-process with `condense analyze`'s defaults (the run files stay untouched), \
        or its stored /analysis is read instead when `condense analyze` stored it with those same settings over \
        the run's current snapshots (--reanalyze: analyze every run anyway): \
        final loss, condensed orientations and lines per layer at the initial stage and at the end, m_eff/m, RD, \
        the verdict. Runs that are not done are NaN (floats) or -1 (counts) with their reason in `reason`. With a \
        `hidden` (width) axis, the slope S_w of log RD against log m is fitted at every other axis combination \
        and its regime printed and stored. xarray.open_dataset(summary, engine="h5netcdf") gives a labeled array.
        """)

    @Argument(help: ArgumentHelp("The sweep directory.", valueName: "DIR"))
    var directory: String

    @Option(name: [.short, .long], help: ArgumentHelp("The summary file (default DIR/summary.h5, replaced).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write the table as CSV to this file.", valueName: "file"))
    var csv: String?

    @Option(name: .customLong("slope-tolerance"), parsing: .unconditional, help: "|S_w| at or below this is critical; below −tol linear, above condensed.")
    var slopeTolerance = PhaseDiagram.defaultTolerance

    @Flag(help: "Analyze every done run again, even where its stored /analysis has the settings collect uses.")
    var reanalyze = false

    mutating func run() throws {
        guard slopeTolerance.isFinite, slopeTolerance >= 0 else {
            throw UsageError.option("--slope-tolerance must be a finite number ≥ 0 (got \(slopeTolerance))")
        }
        let dir = SweepDirectory(directory)
        let manifest = try dir.manifest()
        let path = output ?? dir.path + "/summary.h5"
        if let output { try TrainCommand.checkOutput(output, force: true) }
        let options = RunAnalysisOptions(heatmaps: 0)
        var collector = SweepCollector(directory: dir, manifest: manifest, options: options)
        collector.reuseStoredAnalyses = !reanalyze
        if isatty(STDERR_FILENO) == 1 {
            collector.onProgress = { n, total in FileHandle.standardError.write(Data("\ranalyzed \(n)/\(total)   ".utf8)) }
        }
        var summary = try collector.collect()
        if collector.onProgress != nil { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        summary.phaseDiagram = PhaseDiagram.compute(summary, manifest: manifest, tolerance: slopeTolerance)
        try SweepSummaryWriter.write(summary, to: path, killMidway: TestHooks().killInSummary)
        if let csv { try Data(summary.csv().utf8).write(to: URL(fileURLWithPath: csv), options: .atomic) }
        let done = summary.status.filter { $0 == "done" }.count
        let missing = summary.reason.filter { !$0.isEmpty }.count
        print("\(path): \(summary.runCount) runs, \(done) done, \(missing) missing" + (csv.map { "; CSV \($0)" } ?? "")
              + (collector.reusedAnalyses > 0 ? "; stored analyses reused: \(collector.reusedAnalyses)" : ""))
        if let p = summary.phaseDiagram { print(Self.describe(p, summary: summary)) }
    }

    static func describe(_ p: SweepSummary.PhaseDiagram, summary: SweepSummary) -> String {
        var lines = ["S_w = slope of log RD(layer_1) against log \(p.widthAxis) (tolerance \(p.tolerance)):"]
        let sizes = p.axes.map { summary.axes[$0].size }
        for c in p.slope.indices {
            var k = [Int](repeating: 0, count: sizes.count), rest = c
            for d in sizes.indices.reversed() { k[d] = rest % sizes[d]; rest /= sizes[d] }
            let label = zip(p.axes, k).map { a, i in "\(summary.axes[a].name)=\(text(summary.axes[a].values, i))" }
                .joined(separator: " ")
            let slope = p.slope[c].isFinite ? String(format: "%+.3f", p.slope[c]) : "n/a"
            let err = p.slopeError[c].isFinite ? String(format: " ± %.3f", p.slopeError[c]) : ""
            lines.append("  \(label.isEmpty ? "all" : label): S_w \(slope)\(err) over \(p.points[c]) runs: \(p.regime[c].isEmpty ? "too few runs" : p.regime[c])")
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ c: SweepSummary.Coordinate, _ i: Int) -> String {
        switch c {
        case .float(let v): return "\(v[i])"
        case .int(let v): return "\(v[i])"
        case .string(let v): return v[i]
        }
    }
}
