import Analysis
import Foundation
import RunFormat
import Sweep

/// Reproduces experiments: plans each one's sweep into `root/<id>/`, trains what is not done through the Sweep
/// machinery (durable run records, `condense train` children; a killed reproduce continues where it stopped),
/// analyzes every finished run in-process with the default analysis options, and judges the claims.
public final class ReproductionRunner {
    public let root: String
    public let settings: ReproduceSettings
    /// The `condense` executable the children run.
    public let executable: String
    /// Train arguments → the canonical resolved configuration (the CLI's own train parser).
    public let resolve: ([String]) throws -> String
    public var shouldStop: () -> Bool = { false }
    /// Progress of the sweep in flight.
    public var onProgress: ((String, SweepProgress) -> Void)?
    /// One line per noteworthy event (a run failed, an experiment starts).
    public var onEvent: ((String) -> Void)?

    public init(root: String, settings: ReproduceSettings, executable: String,
                resolve: @escaping ([String]) throws -> String) {
        self.root = root; self.settings = settings; self.executable = executable; self.resolve = resolve
    }

    /// Reproduces one experiment. Throws `ReproduceError.interrupted` when `shouldStop` turned true meanwhile.
    public func run(_ experiment: Experiment) throws -> ExperimentReport {
        var report = ExperimentReport(id: experiment.id, figure: experiment.figure, summary: experiment.summary,
                                      settings: settings, claims: [], notes: experiment.notes(settings))
        report.rule = experiment.rule
        guard let makeSweep = experiment.sweep else {
            report.claims = try experiment.evaluate(ExperimentRuns(seeds: settings.seedList, runs: []), settings)
            return report
        }
        let file = try makeSweep(settings)
        let manifest = try SweepPlanner(resolve: resolve).plan(file, source: "condense reproduce \(experiment.id)")
        let dir = SweepDirectory(root + "/" + experiment.id)
        _ = try SweepPlanner.write(manifest, into: dir)
        report.directory = dir.path
        let runner = SweepRunner(directory: dir, manifest: manifest, executable: executable, jobs: settings.jobs,
                                 retries: 1)
        runner.shouldStop = shouldStop
        runner.onEvent = { [weak self] line in self?.onEvent?("\(experiment.id): \(line)") }
        if let onProgress { runner.onProgress = { onProgress(experiment.id, $0) } }
        let outcome = try runner.run()
        if outcome.interrupted { throw ReproduceError.interrupted }
        report.runsDone = outcome.done; report.runsFailed = outcome.failed; report.runsPending = outcome.pending
        var analyses: [Int: (loss: Double, layers: [LayerAnalysis])] = [:]
        let runs = try analyze(manifest, in: dir, lastSnapshotOnly: experiment.lastSnapshotOnly,
                               analyzes: experiment.analyzes, measure: experiment.measure) {
            analyses[$0] = ($1, $2)
        }
        report.claims = try experiment.evaluate(ExperimentRuns(seeds: settings.seedList, runs: runs), settings)
        // Heat-map figures only where the condensation analysis is part of the claims (not for the accuracy-only
        // entries, whose deep classifiers' heat maps say nothing about their claims).
        report.figureRuns = experiment.analyzes ? Self.figureRuns(manifest, dir: dir) : []
        try writeSweepSummary(manifest, in: dir, analyses: analyses)
        return report
    }

    /// DIR/<id>/summary.h5, the sweep summary `condense sweep collect` would write (with the S_w fit where the
    /// sweep has a width axis), from the analyses just made
    /// (the figures' activation × seed grid reads it; `xarray.open_dataset` reads it per experiment).
    func writeSweepSummary(_ manifest: SweepManifest, in dir: SweepDirectory,
                           analyses: [Int: (loss: Double, layers: [LayerAnalysis])]) throws {
        var collector = SweepCollector(directory: dir, manifest: manifest, options: RunAnalysisOptions(jobs: settings.jobs))
        collector.analyze = { run in
            guard let result = analyses[run.index] else { throw ReproduceError.analysis("analysis failed") }
            return result
        }
        var summary = try collector.collect()
        summary.phaseDiagram = PhaseDiagram.compute(summary, manifest: manifest, tolerance: PhaseDiagram.defaultTolerance)
        try SweepSummaryWriter.write(summary, to: dir.path + "/summary.h5")
    }

    /// Every run of the manifest analyzed (runs that are not done, or whose analysis fails, carry the reason).
    func analyze(_ manifest: SweepManifest, in dir: SweepDirectory, lastSnapshotOnly: Bool, analyzes: Bool = true,
                 measure: (@Sendable (RunReader) throws -> [String: Double])? = nil,
                 keep: (Int, Double, [LayerAnalysis]) -> Void = { _, _, _ in }) throws -> [AnalyzedRun] {
        try manifest.runs.map { run in
            let labels = Self.labels(of: run, in: manifest)
            let seed = Int(labels["seed"] ?? "") ?? -1
            let record = try dir.record(for: run)
            guard record.state == .done else {
                let why = record.state == .failed ? "failed: \(record.error ?? "unknown error")" : "not finished"
                return AnalyzedRun(seed: seed, labels: labels, layers: nil, problem: why)
            }
            do {
                let reader = try RunReader(path: dir.runFile(run.id))
                defer { try? reader.close() }
                // The project's default analysis options; only which snapshots are read can differ.
                var options = RunAnalysisOptions(jobs: settings.jobs)
                if lastSnapshotOnly { options.snapshots = [reader.snapshotCount - 1] }
                let layers = analyzes ? try RunAnalyzer(reader: reader, options: options).run() : []
                let loss = try reader.snapshotVariable("train_loss")?.last ?? .nan
                let measures = try measure?(reader) ?? [:]
                keep(run.index, loss, layers)
                return AnalyzedRun(seed: seed, labels: labels, layers: layers.map(LayerFacts.init(from:)), finalLoss: loss,
                                   measures: measures)
            } catch {
                return AnalyzedRun(seed: seed, labels: labels, layers: nil, problem: "analysis failed: \(Self.firstLine(error))")
            }
        }
    }

    static func firstLine(_ error: Error) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    /// Every swept option's value at `run`, by option name.
    static func labels(of run: PlannedRun, in manifest: SweepManifest) -> [String: String] {
        var labels: [String: String] = [:]
        for (d, k) in zip(manifest.dimensions, run.coordinates) {
            for (o, values) in zip(d.options, d.values) { labels[o] = values[k].label }
        }
        return labels
    }

    /// Seed 1's run files, one per combination of the other swept values.
    static func figureRuns(_ manifest: SweepManifest, dir: SweepDirectory) -> [FigureRun] {
        manifest.runs.compactMap { run in
            let labels = labels(of: run, in: manifest)
            guard labels["seed"] == "1" else { return nil }
            let text = manifest.dimensions.filter { $0.name != "seed" }.flatMap { d in d.options.map { "\($0)=\(labels[$0] ?? "")" } }
                .joined(separator: " ")
            return FigureRun(label: text.isEmpty ? "seed 1" : text + ", seed 1", path: dir.runFile(run.id))
        }
    }
}
