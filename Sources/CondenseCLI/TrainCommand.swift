import ArgumentParser
import Foundation
import HDF5
import LinearAlgebra
import Model
import RunFormat
import Training

/// `condense train`: train a network and write its run file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a fully connected network and snapshot its neurons' input weights into an HDF5 run file.",
        discussion: """
        With no options it trains the paper's 5-D experiment: 5-50-1 tanh, y = Σ 3.5 sin(5x_k+1) on 80 points of \
        U[-4,2]^5, every parameter ~ N(0, 0.005²), Adam lr 1e-3, full batch, 100 steps, loss 1/(2n)Σ(f-y)².

        Initialization: --gamma γ draws hidden weights and biases from N(0, m^-γ) — the VARIANCE is m^-γ, m the \
        width of the first hidden layer. The public notebook passes m^-γ as the standard deviation: use \
        --init-std instead (notebook γ = our γ / 2). --readout-gamma / --readout-std set the readout separately \
        (the phase diagram's β₁; the hidden scale is β₂).
        """)

    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Network") var network: NetworkOptions
    @OptionGroup(title: "Initialization") var initialization: InitOptions
    @OptionGroup(title: "Optimization") var optimization: OptimizerOptions
    @OptionGroup(title: "Data") var data: DataOptions

    @Option(help: ArgumentHelp("Train one network per seed in this process, e.g. 1-16 or 1,3,7-9: -o run.h5 writes run-seed1.h5, …; -o DIR/ writes DIR/run-seed1.h5, … Each file is the run --seed S gives alone.", valueName: "list"))
    var seeds: String?

    @Option(name: .customLong("seed-output"), help: ArgumentHelp("With --seeds: the run file of each seed, in the list's order, instead of -o's names (repeat it once per seed; sweep run uses it).", valueName: "file"))
    var seedOutputs: [String] = []

    mutating func run() throws {
        // From the start: a signal during set-up (reading data, making the file) stops the run at its first
        // snapshot (exit 130) instead of killing it without one (143).
        Signals.install()
        if seeds != nil { return try runSeeds() }
        // The trainer's own threads share each step; every BLAS call then runs on the thread that makes it.
        let threads = output.threads ?? ProcessInfo.processInfo.activeProcessorCount
        try WorkerCount.check(threads, option: "--threads")
        BLAS.threads = 1
        let commandLine = CommandLine.arguments.map(Self.shellQuote).joined(separator: " ")
        let trainer: Trainer
        do {
            if let resume = output.resume {
                if try Self.completeFinishedRun(resume, steps: optimization.steps, quiet: output.quiet) { return }
                trainer = try Trainer(resuming: resume, steps: optimization.steps, live: output.live, threads: threads)
            } else {
                var base = TrainingConfig.paperDefault
                if let from = output.from {
                    let reader = try RunReader(path: from)
                    guard let json = reader.configJSON else {
                        throw UsageError.input("\(from): has no condense configuration to re-run")
                    }
                    base = try TrainingConfig.fromJSON(json)
                    try reader.close()
                }
                let config = try resolve(base)
                let path = output.output
                try Self.checkOutput(path, force: output.force)
                trainer = try Trainer(config: config, path: path, commandLine: commandLine, overwrite: output.force,
                                      threads: threads)
            }
        }
        trainer.synchronousSnapshots = output.syncSnapshots
        trainer.checkpointInterval = output.checkpointEvery
        TestHooks().apply(to: trainer)
        let progress = ProgressLine(mode: output.progress ?? .auto, quiet: output.quiet)
        trainer.onProgress = { progress.show($0) }
        // Under `condense sweep run`, stop like on SIGTERM when the runner is gone (even killed with SIGKILL):
        // the run keeps a final snapshot and the next runner resumes it.
        let sweepParent = ProcessInfo.processInfo.environment["CONDENSE_SWEEP_PARENT"].flatMap { pid_t($0) }
        trainer.shouldStop = { Signals.received || (sweepParent.map { getppid() != $0 } ?? false) }
        let summary: TrainingSummary
        do { summary = try trainer.run() } catch where "\(error)".contains("No space left on device") {
            // The writer has cut the file back to its last complete snapshot (FORMAT.md, after a crash). HDF5 can
            // crash closing a file whose flush failed (it did at exit, in its own clean-up), so the process leaves
            // at once after its one line, as analyze does: what is on disk is what the writer flushed.
            FileHandle.standardError.write(Data("condense: error: \(trainer.path): the disk is full; the run keeps every snapshot written before; free some space and continue with: condense train --resume \(Self.shellQuote(trainer.path))\n".utf8))
            _exit(2)
        }
        progress.clear()
        if !output.quiet {
            print(Self.describe(summary))
        }
        switch summary.status {
        case .diverged:
            FileHandle.standardError.write(Data("condense: training diverged: \(summary.message); the final snapshot is marked diverged\n".utf8))
            throw ExitCode(ExitStatus.diverged)
        case .interrupted:
            FileHandle.standardError.write(Data("condense: \(summary.message); resume with: condense train --resume \(summary.path)\n".utf8))
            throw ExitCode(ExitStatus.interrupted)
        default: break
        }
    }

    /// Defaults (or the configuration of `--from`), then every option given on the command line.
    func resolve(_ base: TrainingConfig) throws -> TrainingConfig {
        var c = base
        try network.apply(to: &c)
        try data.apply(to: &c)
        try initialization.apply(to: &c)
        try optimization.apply(to: &c)
        if let level = output.compress { c.compression = level }
        return c
    }

    static func checkOutput(_ path: String, force: Bool) throws {
        // A FIFO or device at the path would be replaced by --force, or block the writer that opens it.
        if let what = FileKind(path: path).notRegularDescription {
            throw UsageError.output("output \(path) \(what); give the name of a file to write with -o")
        }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw UsageError.output("output \(path) is a directory; give a file name with -o") }
            if !force { throw UsageError.output("output \(path) exists; choose another -o or pass --force to overwrite it") }
            guard fm.isWritableFile(atPath: path) else { throw UsageError.output("output \(path) cannot be written") }
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            let parent = dir.isEmpty ? "." : dir
            guard fm.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
                throw UsageError.output("cannot write \(path): directory \(parent) does not exist")
            }
            guard fm.isWritableFile(atPath: parent) else { throw UsageError.output("cannot write \(path): directory \(parent) is not writable") }
        }
    }

    static func describe(_ s: TrainingSummary) -> String {
        var t = "\(s.path): \(s.status.rawValue) after \(s.steps) steps, \(s.snapshots) snapshots"
        if !s.message.isEmpty && s.status != .completed { t += " (\(s.message))" }
        t += String(format: "\n  train loss %.6e", s.trainLoss)
        if !s.testLoss.isNaN { t += String(format: ", test loss %.6e", s.testLoss) }
        t += String(format: "\n  %.2f s, %.0f steps/s", s.wallTime, s.stepsPerSecond)
        return t
    }

    static func shellQuote(_ s: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,+@%^"))
        if !s.isEmpty && s.unicodeScalars.allSatisfy(safe.contains) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
