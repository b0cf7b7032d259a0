import ArgumentParser
import Foundation
import LinearAlgebra
import RunFormat
import Training

/// `condense train --seeds LIST`: one network per seed in this process (`SeedBatch`), one run file per seed
/// (`SeedList.path`), each holding as its command line the single run that gives the same file (`--seed S -o FILE`).
extension TrainCommand {
    func validateSeeds() throws {
        guard let seeds else {
            if !seedOutputs.isEmpty { throw ValidationError("--seed-output needs --seeds") }
            return
        }
        if optimization.seed != nil {
            throw ValidationError("--seeds and --seed cannot be combined: --seeds gives every network's seed")
        }
        if output.resume != nil {
            throw ValidationError("--seeds and --resume cannot be combined: resume each run file with its own --resume")
        }
        if output.progress != nil {
            throw ValidationError("--progress does not go with --seeds: a seed batch prints no progress line, each run's summary as it ends")
        }
        let list: SeedList
        do { list = try SeedList(parsing: seeds) } catch { throw ValidationError("\(error)") }
        if !seedOutputs.isEmpty {
            guard seedOutputs.count == list.count else {
                throw ValidationError("--seed-output: \(seedOutputs.count) files for the \(list.count) seeds of --seeds \(seeds)")
            }
            if output.outputPath != nil { throw ValidationError("-o and --seed-output cannot be combined") }
        }
    }

    mutating func runSeeds() throws {
        let list = try SeedList(parsing: seeds ?? "")
        let threads = output.threads ?? ProcessInfo.processInfo.activeProcessorCount
        try WorkerCount.check(threads, option: "--threads")
        BLAS.threads = 1
        var base = TrainingConfig.paperDefault
        if let from = output.from {
            let reader = try RunReader(path: from)
            guard let json = reader.configJSON else { throw UsageError.input("\(from): has no condense configuration to re-run") }
            base = try TrainingConfig.fromJSON(json)
            try reader.close()
        }
        let config = try resolve(base)
        let seedValues = list.seeds
        if output.output.hasSuffix("/") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: output.output, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError.output("output directory \(output.output) does not exist")
            }
        }
        let paths = seedOutputs.isEmpty ? seedValues.map { SeedList.path(for: $0, output: output.output) } : seedOutputs
        for p in paths { try Self.checkOutput(p, force: output.force) }
        let single = Self.singleRunArguments(CommandLine.arguments)
        let batch = try SeedBatch(config: config, seeds: seedValues, paths: paths, overwrite: output.force,
                                  threads: threads, commandLine: { seed, path in
                                      (single + ["--seed", "\(seed)", "-o", path]).map(Self.shellQuote)
                                          .joined(separator: " ")
                                  })
        batch.synchronousSnapshots = output.syncSnapshots
        batch.checkpointInterval = output.checkpointEvery
        let hooks = TestHooks()
        batch.prepare = { hooks.apply(to: $0) }
        Signals.install()
        let sweepParent = ProcessInfo.processInfo.environment["CONDENSE_SWEEP_PARENT"].flatMap { pid_t($0) }
        batch.shouldStop = { Signals.received || (sweepParent.map { getppid() != $0 } ?? false) }
        let quiet = output.quiet
        batch.onFinish = { seed, result in
            switch result {
            case .success(let summary):
                if !quiet { print(Self.describe(summary)) }
            case .failure(let error):
                FileHandle.standardError.write(Data("condense: error: seed \(seed): \(error)\n".utf8))
            }
        }
        let results = batch.run()
        let summaries = results.compactMap { try? $0.get() }
        if summaries.count < results.count { throw ExitCode(2) }
        if summaries.contains(where: { $0.status == .interrupted }) {
            FileHandle.standardError.write(Data("condense: interrupted; resume each run with: condense train --resume FILE\n".utf8))
            throw ExitCode(ExitStatus.interrupted)
        }
        if summaries.contains(where: { $0.status == .diverged }) {
            let which = summaries.filter { $0.status == .diverged }.map(\.path).joined(separator: ", ")
            FileHandle.standardError.write(Data("condense: training diverged in \(which); their final snapshots are marked diverged\n".utf8))
            throw ExitCode(ExitStatus.diverged)
        }
    }

    /// The command's arguments without `--seeds` and the output (each seed's file adds `--seed S -o FILE`).
    static func singleRunArguments(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for a in arguments {
            if skipNext { skipNext = false; continue }
            if a == "--seeds" || a == "-o" || a == "--output" || a == "--seed-output" { skipNext = true; continue }
            if a.hasPrefix("--seeds=") || a.hasPrefix("--output=") || a.hasPrefix("--seed-output=") || (a.hasPrefix("-o") && !a.hasPrefix("--")) { continue }
            kept.append(a)
        }
        return kept
    }
}
