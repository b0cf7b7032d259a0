import ArgumentParser
import Foundation
import Reproduce
import Sweep

/// `condense reproduce ID|all|list`: each seed paper's experiment as one command, the paper's claims beside what
/// we obtain over many seeds.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run a paper's experiment over many seeds and print each claim beside what we obtain.",
        discussion: """
        `condense reproduce list` names the experiments; `condense reproduce ID` (or `all`) runs one (or every) \
        recipe over seeds 1…N as a sweep in DIR/<id>/ (durable run records: a killed reproduce continues where it \
        stopped, finished runs are never redone), analyzes every run with condense analyze's default options, and \
        prints per claim the paper's value, the median and range we obtain, how many seeds match, and the \
        agreement: f = share of matching seeds, f ≥ 0.8 agrees, 0.3 ≤ f < 0.8 partly, else disagrees. Writes \
        DIR/summary.h5 (one group per experiment; xarray.open_dataset(path, engine="h5netcdf", group=ID)) and \
        DIR/report.md. When the Python package is installed (pip install ./tools/python, or the checkout's \
        tools/python/venv.sh) each experiment's figures are drawn into DIR/figures and shown in report.md: a grid of \
        heat maps (one row per swept value, one column per seed) and, for width sweeps, the S_w fit and map; \
        otherwise reproduce prints the command that draws them. Exit status: 0 done (whatever the agreement), 1 some runs failed, 2 bad input, 130 interrupted.
        """)

    @Argument(help: ArgumentHelp("An experiment id, all, or list.", valueName: "experiment"))
    var experiment: String

    @Option(parsing: .unconditional, help: "Seeds per recipe (seeds 1…N; default 10, 3 with --quick).")
    var seeds: Int?

    @Flag(help: "The small variant of every recipe (fewer seeds, widths and steps where the recipe says so).")
    var quick = false

    @Option(name: [.short, .long], help: ArgumentHelp("The directory of the runs, summary.h5 and report.md.", valueName: "DIR"))
    var output = "reproduce"

    @Flag(help: "Print one JSON object (schema condense.reproduce/1) instead of tables.")
    var json = false

    @Option(parsing: .unconditional, help: "Training processes (and analysis threads) at once (default: all cores).")
    var jobs: Int?

    @Flag(inversion: .prefixedNo, help: "Draw each experiment's figures into DIR/figures with the Python package, when it is installed.")
    var figures = true

    func validate() throws {
        let known = ExperimentCatalog.ids
        guard experiment == "list" || experiment == "all" || known.contains(experiment) else {
            throw UsageError.option("unknown experiment '\(experiment)': use one of \(known.joined(separator: ", ")), all or list")
        }
        if let seeds {
            guard seeds >= 1, seeds <= ReproduceSettings.maximumSeeds else {
                throw UsageError.option("--seeds must be 1…\(ReproduceSettings.maximumSeeds) (got \(seeds))")
            }
        }
        if let jobs { try WorkerCount.check(jobs, option: "--jobs") }
        var isDirectory: ObjCBool = false
        if experiment != "list", FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory),
           !isDirectory.boolValue {
            throw UsageError.output("-o \(output): exists and is not a directory")
        }
    }

    mutating func run() throws {
        if experiment == "list" {
            // Columns as wide as the longest id and figure (a fixed width cut `lyapunov-training` short).
            let idWidth = ExperimentCatalog.ids.map(\.count).max() ?? 0
            let figureWidth = ExperimentCatalog.all.map(\.figure.count).max() ?? 0
            for e in ExperimentCatalog.all {
                print("\(e.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)) \(e.figure.padding(toLength: figureWidth, withPad: " ", startingAt: 0)) \(e.summary)")
            }
            return
        }
        let chosen = experiment == "all" ? ExperimentCatalog.all : [ExperimentCatalog.experiment(experiment)!]
        let settings = ReproduceSettings(seeds: seeds ?? ReproduceSettings.defaultSeeds(quick: quick), quick: quick,
                                         jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let root = SweepDirectory(output).path
        let runner = ReproductionRunner(root: root, settings: settings, executable: SweepCommand.executablePath(),
                                        resolve: SweepPlanCommand.canonicalConfiguration)
        let terminal = isatty(STDERR_FILENO) == 1
        var shown = false
        func clear() { if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); shown = false } }
        if terminal {
            runner.onProgress = { id, p in
                FileHandle.standardError.write(Data("\r\(id): done \(p.done)  failed \(p.failed)  running \(p.running)  pending \(p.pending)   ".utf8))
                shown = true
            }
        }
        runner.onEvent = { line in
            clear()
            FileHandle.standardError.write(Data("condense: \(line)\n".utf8))
        }
        Signals.install()
        runner.shouldStop = { Signals.received }
        var reports: [ExperimentReport] = []
        let drawer = figures && !chosen.allSatisfy({ $0.sweep == nil }) ? ReproduceFigures.find() : nil
        for e in chosen {
            if terminal {
                FileHandle.standardError.write(Data("\r\(e.id): \(e.sweep == nil ? "simulating" : "planning")…   ".utf8))
                shown = true
            }
            do { reports.append(try runner.run(e)) } catch ReproduceError.interrupted {
                clear()
                FileHandle.standardError.write(Data("condense: \(e.id): \(ReproduceError.interrupted)\n".utf8))
                throw ExitCode(ExitStatus.interrupted)
            }
            clear()
            // The previous result's images go with it, so report.md never shows figures of another run.
            for stale in ReproductionFiles.figureFiles(root: root, id: e.id) { unlink(root + "/figures/" + stale) }
            if let drawer, !reports.last!.figureRuns.isEmpty {
                if terminal {
                    FileHandle.standardError.write(Data("\r\(e.id): drawing figures…   ".utf8))
                    shown = true
                }
                let drawn = drawer.draw(root: root, experiment: e.id)
                clear()
                if case .failure(let error) = drawn {
                    FileHandle.standardError.write(Data("condense: \(e.id): figures not drawn: \(error)\n".utf8))
                }
            }
            // Recorded after every experiment, so a long `all` leaves the finished tables behind if it is stopped;
            // summary.h5 and report.md hold every experiment reproduced into DIR so far.
            try ReproductionFiles.record(reports.last!, root: root)
            if !json {
                print(ReportTable.text(reports.last!))
                print("")
            }
        }
        if json {
            print(try ReproductionJSON.text(reports))
        } else {
            print("\(root)/summary.h5 and \(root)/report.md written")
            let withFigures = reports.filter { !$0.figureRuns.isEmpty }
            let drawn = withFigures.filter { !ReproductionFiles.figureFiles(root: root, id: $0.id).isEmpty }
            if !drawn.isEmpty {
                print("figures in \(root)/figures: " + drawn.map { "\($0.id) (\(ReproductionFiles.figureFiles(root: root, id: $0.id).count))" }
                    .joined(separator: ", ") + "; shown in report.md")
            }
            let missing = withFigures.filter { r in !drawn.contains { $0.id == r.id } }
            if !missing.isEmpty, figures, drawer == nil {
                print("figures not drawn: the Python package was not found (pip install ./tools/python from a condense checkout); then:")
                for r in missing { print("  " + ReproductionFiles.drawCommand(root: root, id: r.id)) }
            }
        }
        if reports.contains(where: { $0.runsFailed > 0 }) { throw ExitCode(1) }
    }
}
