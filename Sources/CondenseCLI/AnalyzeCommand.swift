import Analysis
import ArgumentParser
import Foundation
import Model
import RunFormat

/// `condense analyze run.h5`: per layer and snapshot, the condensed orientations against 2p.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Count each hidden layer's condensed orientations per snapshot and compare them with 2p.",
        discussion: """
        Input weights (incoming weights + bias) are normalized onto the unit sphere (neurons with a non-finite \
        entry or a norm below --norm-threshold × the largest are left out), clustered by signed cosine \
        (> --cos); clusters whose members touch (no gap between them) are one orientation, and opposite \
        orientations are paired into lines. An orientation is condensed when it holds at least --min-share of \
        the kept neurons and is unlike what random directions form by chance. A layer becomes condensed when its \
        condensed orientations carry --coverage of the amplitude |a|·‖w‖ and stays condensed while they carry \
        --hold-coverage; the rest are stragglers, shown with their share. The initial stage is the first period \
        in which the condensed count holds still for --settle snapshots; its count is compared with 2p and \
        checked again at the --check-cos thresholds. Results go into the run file's /analysis group (or -o \
        FILE), documented in FORMAT.md; the concepts are explained in docs/concepts.md.
        """)

    @Argument(help: "The run file (ours, or any file in the documented layout).")
    var path: String

    @Option(name: [.short, .long], help: ArgumentHelp("Write the analysis to this file instead of the run file.", valueName: "file"))
    var output: String?

    @Flag(help: "Overwrite the -o file if it exists.")
    var force = false

    @Flag(name: .customLong("no-write"), help: "Only print; store nothing.")
    var noWrite = false

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Snapshots to analyze: all, last, or a list of snapshot indices like 0,5,10 (negative ones count from the end: -1 is the last).", valueName: "which"))
    var snapshots = "all"

    @Option(name: .customLong("cos"), parsing: .unconditional, help: "Cosine threshold τ for one orientation (and for m_eff).")
    var cosineThreshold = 0.95

    @Option(name: .customLong("check-cos"), parsing: .unconditional,
            help: ArgumentHelp("Further thresholds at which every count is repeated, to show whether it depends on τ (comma-separated; 'none' for none).", valueName: "list"))
    var checkCos = "0.90,0.98"

    @Option(name: .customLong("norm-threshold"), parsing: .unconditional, help: "Leave out neurons whose norm is below this fraction of the largest.")
    var normThreshold = 1e-3

    @Option(name: .customLong("min-share"), parsing: .unconditional, help: "Least share of kept neurons for a condensed orientation.")
    var minShare = 0.05

    @Option(name: .customLong("chance-factor"), parsing: .unconditional, help: "A condensed orientation must hold this many times the share uniformly scattered directions put in a cap of its size, or be this many times tighter than they are (matters for one-dimensional inputs; 0: off).")
    var chanceFactor = 2.0

    @Option(name: .customLong("min-cluster-size"), parsing: .unconditional, help: "Fewest neurons in a cluster of the sphere clustering.")
    var minClusterSize = 2

    @Option(name: .customLong("min-cluster-share"), parsing: .unconditional,
            help: "…or this share of the kept neurons, when larger (so noise in a wide layer forms no tiny clusters).")
    var minClusterShare = 0.005

    @Option(parsing: .unconditional, help: "Share of amplitude the condensed orientations must carry for the layer to become condensed.")
    var coverage = 2.0 / 3.0

    @Option(name: .customLong("hold-coverage"), parsing: .unconditional, help: "Share of amplitude they must keep for a condensed layer to stay condensed (hysteresis).")
    var holdCoverage = 0.5

    @Option(parsing: .unconditional, help: "Snapshots over which the condensed count must hold still to start the initial stage.")
    var settle = 3

    @Option(parsing: .unconditional, help: "Similarity heatmaps stored per layer (evenly spaced, plus the start of the initial stage).")
    var heatmaps = 3

    @Option(name: .customLong("heatmap-neurons"), parsing: .unconditional, help: "Neurons per stored heat map: wider layers are shown by a sample of this many, from every orientation in proportion (0: all neurons, width² × 8 bytes per heat map).")
    var heatmapNeurons = 1000

    @Option(parsing: .unconditional, help: "Snapshots analyzed in parallel (default: all cores).")
    var jobs: Int?

    @Flag(help: "Follow a run that `condense train --live` is writing: print each new snapshot's rows as it lands, then the full analysis once the run closes the file.")
    var follow = false

    @Option(parsing: .unconditional, help: ArgumentHelp("With --follow: seconds between looks at the file.", valueName: "seconds"))
    var poll = 1.0

    @Option(parsing: .unconditional, help: ArgumentHelp("With --follow: stop following after this many seconds without a new snapshot (the analysis then covers what landed, and is not stored in the still-open run file).", valueName: "seconds"))
    var idle = 600.0

    var condensation: CondensationOptions {
        CondensationOptions(relativeNormThreshold: normThreshold, cosineThreshold: cosineThreshold,
                            minimumCondensedShare: minShare, chanceFactor: chanceFactor,
                            enterCoverage: coverage, leaveCoverage: holdCoverage, minimumClusterSize: minClusterSize,
                            minimumClusterShare: minClusterShare)
    }

    /// The --check-cos list (checked by `validate()`).
    var checkThresholds: [Double] {
        checkCos.lowercased() == "none" ? [] : checkCos.split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
    }

    func validate() throws {
        do { _ = try SnapshotSelection(parsing: snapshots) } catch let e as UsageError { throw ValidationError(e.description) }
        let items = checkCos.lowercased() == "none" ? [] : checkCos.split(separator: ",", omittingEmptySubsequences: false)
        for item in items where Double(item.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("--check-cos: '\(TextExcerpt.of(item))' is not a number (use e.g. 0.90,0.98 or none)")
        }
        let options = RunAnalysisOptions(condensation: condensation, settle: settle, robustnessThresholds: checkThresholds,
                                         heatmapNeurons: heatmapNeurons)
        do { try options.validate() } catch { throw ValidationError("\(error)") }
        guard heatmaps >= 0 else { throw ValidationError("--heatmaps must be ≥ 0") }
        if let jobs { try WorkerCount.check(jobs, option: "--jobs") }
        if output != nil && noWrite { throw ValidationError("--no-write and -o cannot be combined") }
        guard poll > 0 && poll.isFinite, idle > 0 && idle.isFinite else { throw ValidationError("--poll and --idle must be > 0 seconds") }
        if let output, output == path { throw ValidationError("-o must name another file than the run file") }
    }

    mutating func run() throws {
        let condensation = self.condensation
        if let output { try TrainCommand.checkOutput(output, force: force) }
        var inPlace = output == nil && !noWrite
        var stillWritten = false
        if follow {
            stillWritten = try !self.follow(condensation)
            if stillWritten && inPlace {
                FileHandle.standardError.write(Data("condense: \(path) is still open for writing, so the analysis is not stored in it (use -o)\n".utf8))
                inPlace = false
            }
        }
        if inPlace {
            // Whatever refuses the file is found on a read-only open first: opening it for writing changes it (HDF5
            // marks and flushes it), and a refused file was changed although nothing was stored in it.
            let probe = try RunReader(path: path, following: stillWritten)
            defer { try? probe.close() }
            _ = try analyzer(for: probe)
        }
        let reader: RunReader
        do { reader = try RunReader(path: path, writable: inPlace, following: stillWritten) } catch let e as RunFileError where inPlace {
            throw UsageError.input("\(e.description); to leave the run file untouched use -o other.h5 or --no-write")
        }
        defer { try? reader.close() }
        let (options, analyzer) = try analyzer(for: reader)
        let layers: [LayerAnalysis]
        do {
            let optionsJSON = options.storedJSON
            var writer: AnalysisWriter? = nil
            if let output {
                writer = try AnalysisWriter(path: output, source: path, overwrite: force, layers: reader.layers,
                                            snapshots: analyzer.positions, steps: analyzer.steps, optionsJSON: optionsJSON,
                                            thresholds: options.thresholds, attributes: options.storedAttributes)
            } else if inPlace {
                writer = try AnalysisWriter(into: reader, snapshots: analyzer.positions, steps: analyzer.steps,
                                            optionsJSON: optionsJSON, thresholds: options.thresholds,
                                            attributes: options.storedAttributes)
            }
            var stored = 0
            let killAfterAnalyzed = TestHooks().killAfterAnalyzed
            layers = try analyzer.run { position, rows, condensed in
                guard let writer else { return }
                for (h, row) in rows.enumerated() {
                    try writer.write(row.record(condensed: condensed[h]), layer: row.layerIndex, position: position)
                }
                stored += 1
                if stored == killAfterAnalyzed { kill(getpid(), SIGKILL) }
            }
            if let writer {
                for layer in layers {
                    let stagePositions = layer.stage.map { $0.start...$0.end }
                    try writer.writeStage(LayerStageRecord(
                        multiplicity: layer.layer.multiplicity, initialStage: stagePositions,
                        initialOrientations: layer.stage?.count ?? 0, initialLines: layer.stage?.lines ?? 0,
                        initialVerdict: (layer.stageVerdict ?? .notCondensed).text,
                        settled: layer.stage?.settled ?? false, endedBy: layer.stage?.endedBy.rawValue ?? "",
                        thresholdStable: layer.thresholdStable,
                        countsByThreshold: layer.stageCountsByThreshold.map { ($0.tau, $0.orientations) }),
                        layer: layer.layerIndex)
                    let heat = try analyzer.heatmapPositions(stage: layer.stage).map { position in
                        try analyzer.similarity(layer, position: position, limit: options.heatmapNeurons)
                    }
                    try writer.writeSimilarities(heat, layer: layer.layerIndex)
                }
                try writer.close()
            }
        } catch where inPlace {
            // A write into the run file failed (a full disk): the previous /analysis is intact (it is replaced
            // only by the final renames), but HDF5 can crash closing a file whose flush failed, so the process
            // leaves at once, as a kill would, after its one line.
            FileHandle.standardError.write(Data("condense: error: \(path): the analysis could not be stored (\(Self.firstLine(error))); the previous analysis is kept\n".utf8))
            _exit(2)
        }
        if json {
            print(try AnalysisReport(path: path, layers: layers, options: options, note: analyzer.predictionNote).jsonString())
        } else {
            if follow { print("") }
            print(AnalysisTable.render(path: path, layers: layers, stored: output ?? (inPlace ? path : nil)),
                  terminator: "")
        }
    }

    /// The analysis options for this file (the chosen snapshots checked against it) and the analyzer over it.
    func analyzer(for reader: RunReader) throws -> (RunAnalysisOptions, RunAnalyzer) {
        let chosen = try SnapshotSelection(parsing: snapshots).positions(count: reader.snapshotCount)
        let options = RunAnalysisOptions(condensation: condensation, snapshots: chosen, heatmaps: heatmaps,
                                         jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, settle: settle,
                                         robustnessThresholds: checkThresholds, heatmapNeurons: heatmapNeurons)
        do { return (options, try RunAnalyzer(reader: reader, options: options)) } catch let e as AnalysisError {
            throw UsageError.input(e.description)
        }
    }

    static func firstLine(_ error: Error) -> String {
        String("\(error)".split(separator: "\n").first ?? "")
    }
}
