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
        DIR/report.md. Exit status: 0 done (whatever the agreement), 1 some runs failed, 2 bad input, 130 interrupted.
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

    func validate() throws {
        let known = ExperimentCatalog.ids
        guard experiment == "list" || experiment == "all" || known.contains(experiment) else {
            throw UsageError("unknown experiment '\(experiment)': use one of \(known.joined(separator: ", ")), all or list")
        }
        if let seeds {
            guard seeds >= 1, seeds <= ReproduceSettings.maximumSeeds else {
                throw UsageError("--seeds must be 1…\(ReproduceSettings.maximumSeeds) (got \(seeds))")
            }
        }
        if let jobs { try WorkerCount.check(jobs, option: "--jobs") }
        var isDirectory: ObjCBool = false
        if experiment != "list", FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory),
           !isDirectory.boolValue {
            throw UsageError("-o \(output): exists and is not a directory")
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
        let python = Self.python()
        for e in chosen {
            if terminal {
                FileHandle.standardError.write(Data("\r\(e.id): \(e.sweep == nil ? "simulating" : "planning")…   ".utf8))
                shown = true
            }
            do { reports.append(try runner.run(e)) } catch is ReproduceInterrupted {
                clear()
                FileHandle.standardError.write(Data("condense: \(e.id): interrupted; run the same command again to continue\n".utf8))
                throw ExitCode(ExitStatus.interrupted)
            }
            clear()
            // Recorded after every experiment, so a long `all` leaves the finished tables behind if it is stopped;
            // summary.h5 and report.md hold every experiment reproduced into DIR so far.
            try ReproductionFiles.record(reports.last!, root: root, python: python)
            if !json {
                print(ReportTable.text(reports.last!))
                print("")
            }
        }
        if json {
            print(try ReproductionJSON.text(reports))
        } else {
            print("\(root)/summary.h5 and \(root)/report.md written")
            if let python {
                for r in reports {
                    if let first = ReproductionFiles.figureCommands(r, python: python).first {
                        print("figures (\(r.id), seed 1): \(first)")
                    }
                }
                print("(every seed-1 run's command is in report.md)")
            }
        }
        if reports.contains(where: { $0.runsFailed > 0 }) { throw ExitCode(1) }
    }

    /// The Python of `tools/python/venv.sh` when it has been created (in this directory's .venv-python or
    /// $CONDENSE_VENV); nil otherwise — figures are optional.
    static func python() -> String? {
        let venv = ProcessInfo.processInfo.environment["CONDENSE_VENV"]
            ?? FileManager.default.currentDirectoryPath + "/.venv-python"
        let path = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: path),
              FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/tools/plot_run.py") else { return nil }
        return path
    }
}
