import ArgumentParser
import Foundation
import Sweep

/// `condense sweep run DIR --jobs N`: run what is not done, N train processes at a time.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the sweep's unfinished runs as `condense train` processes (one BLAS thread each).",
        discussion: """
        Done runs are skipped, interrupted ones resumed from their last snapshot, failed ones retried up to \
        --retries times (not bad input, exit 2, nor divergence, exit 3). State is kept per run in \
        DIR/runs/<id>/record.json. Ctrl-C / SIGTERM stop the children cleanly (final snapshot) and exit 130; \
        starting again continues. Exit status: 0 all done, 1 some runs failed, 130 interrupted.
        """)

    @Argument(help: ArgumentHelp("The sweep directory (from condense sweep plan).", valueName: "DIR"))
    var directory: String

    @Option(parsing: .unconditional, help: "Child processes at once (default: all cores; with --index, 1).")
    var jobs: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("""
                Run exactly these runs (manifest indices: 7, 3,4,5 or 3-5; a Slurm array task's). Runs differing \
                only in seed train in one `condense train --seeds` child, as without --index.
                """, valueName: "list"))
    var index: String?

    @Option(parsing: .unconditional, help: "Extra attempts for a failed run.")
    var retries = 1

    @Flag(name: .customLong("retry-failed"), help: "Try failed runs again, whatever failed them before.")
    var retryFailed = false

    mutating func run() throws {
        if let jobs { try WorkerCount.check(jobs, option: "--jobs") }
        guard retries >= 0 else { throw UsageError.option("--retries must be ≥ 0 (got \(retries))") }
        let dir = SweepDirectory(directory)
        let manifest = try dir.manifest()
        let indices = try index.map { try RunSelection.parse($0, runs: manifest.runs.count) }
        let runner = SweepRunner(directory: dir, manifest: manifest, executable: SweepCommand.executablePath(),
                                 jobs: jobs ?? (indices == nil ? ProcessInfo.processInfo.activeProcessorCount : 1),
                                 retries: retries)
        runner.retryFailed = retryFailed
        let terminal = isatty(STDERR_FILENO) == 1
        var shown = false
        if terminal {
            runner.onProgress = { p in
                let text = "\rdone \(p.done)  failed \(p.failed)  running \(p.running)  pending \(p.pending)  "
                    + ProgressLine.duration(p.secondsLeft) + " left   "
                FileHandle.standardError.write(Data(text.utf8))
                shown = true
            }
        }
        runner.onEvent = { line in
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); shown = false }
            FileHandle.standardError.write(Data("condense: \(line)\n".utf8))
        }
        Signals.install()
        runner.shouldStop = { Signals.received }
        let outcome = try runner.run(only: indices)
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        let scope = indices.map { $0.count == 1 ? "run \($0[0])" : "\($0.count) runs (\(index ?? ""))" }
            ?? "\(manifest.runs.count) runs"
        print("\(dir.path): \(scope): \(outcome.done) done, \(outcome.failed) failed, \(outcome.pending) not finished"
              + (outcome.interrupted ? " (interrupted; run again to continue)" : ""))
        if outcome.interrupted { throw ExitCode(ExitStatus.interrupted) }
        if outcome.failed > 0 { throw ExitCode(1) }
    }
}
