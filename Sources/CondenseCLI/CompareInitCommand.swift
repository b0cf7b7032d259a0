import ArgumentParser
import Foundation
import LinearAlgebra
import Model
import RunFormat
import Training

/// `condense compare-init`: the teacher–student comparison of initializations (issue 4; Singh & Sreejith 2021
/// report that anti-correlated and anti-correlated + RAI initializations train deep ReLU students faster).
struct CompareInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-init",
        abstract: "Train one student architecture from several initializations over several seeds and compare the losses.",
        discussion: """
        Defaults: the built-in teacher target (y = a·tanh(w·x), x ~ N(0, I_10), 100 training and 1000 test points), \
        student 10-32-32-32-32-1 ReLU with hidden biases, Adam lr 1e-3, full batch, loss 1/(2n)Σ(f-y)², 1000 steps, \
        seeds 1…8, schemes he_normal, rai, rai_matched_gaussian, anti_correlated(kappa=K), anti_correlated_rai(kappa=K) \
        with K = --kappa (-0.5). Each scheme initializes every layer (the readout too, unless --readout-init). \
        rai_matched_gaussian is RAI's control: a Gaussian with RAI's mean square per entry (bias included) and no \
        Beta(2,1) entry, so that RAI's gain over He is not read as the asymmetric entry's when the smaller scale \
        alone gives it. --dataset fashion-mnist (or --data FILE) trains the students on that data instead.

        Seed s draws the teacher, the data and the initialization, so for a given seed every scheme sees the same \
        teacher and data. Losses are reported at the --snapshots steps (default log:6, plus step 0) as the median \
        and quartiles (linear interpolation, as numpy) over the seeds; a diverged run counts as missing (column n) \
        from its divergence on, a run stopped by --stop-loss keeps its last loss.

        Runs go in parallel over --jobs worker threads with one BLAS thread each, in memory; with -o DIR each run \
        is also written as a run file DIR/<scheme>_seed<s>.h5 (then one run at a time: HDF5 is not thread-safe).
        """)

    @OptionGroup(title: "Student network") var network: NetworkOptions
    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Optimization (--seed is the first seed, --snapshots the reported steps)") var optimization: OptimizerOptions

    @Option(help: ArgumentHelp("Initializations to compare, separated by ';' or by commas outside parentheses.",
                               valueName: "schemes"))
    var schemes: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("κ of the default anti-correlated schemes (negative values as --kappa -0.5).", valueName: "κ"))
    var kappa: Double = InitScheme.defaultKappa

    @Option(name: .customLong("readout-init"), help: ArgumentHelp("Readout scheme for every run (default: the compared scheme).", valueName: "scheme"))
    var readoutInit: String?

    @Option(parsing: .unconditional, help: "Seeds per scheme: first-seed … first-seed + N − 1.")
    var seeds: Int = 8

    @Option(parsing: .unconditional, help: "Runs trained at the same time (default: the number of cores).")
    var jobs: Int?

    @Option(name: [.short, .customLong("output-dir")], help: ArgumentHelp("Also write every run's file into this directory.", valueName: "DIR"))
    var outputDir: String?

    @Flag(help: "Print the results as JSON instead of a table.")
    var json = false

    /// The student and problem of the comparison before any option.
    static var defaultConfig: TrainingConfig {
        TrainingConfig(
            architecture: Architecture(inputDim: 0, hiddenWidths: [32, 32, 32, 32], outputDim: 0,
                                       activations: Array(repeating: "relu", count: 4)),
            hiddenInit: .heNormal(slope: 0), readoutInit: .heNormal(slope: 0),
            optimizer: OptimizerConfig.adam(lr: 1e-3), learningRateSchedule: .constant, loss: .halfSum,
            steps: 1000, data: .builtin(target: .teacher, n: nil, nTest: nil, inputDim: nil),
            snapshots: .logSpaced(6), seed: 1)
    }

    mutating func run() throws {
        // Each seed is a training run per scheme; a mistyped count would first allocate a table for all of them.
        guard (1...100_000).contains(seeds) else { throw UsageError.option("--seeds must be 1…100000 (got \(seeds))") }
        let jobCount = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        try WorkerCount.check(jobCount, option: "--jobs")
        guard kappa.isFinite, kappa >= -1 else { throw UsageError.option("--kappa must be ≥ −1 (got \(kappa))") }
        var base = Self.defaultConfig
        try network.apply(to: &base)
        try data.apply(to: &base)
        try optimization.apply(to: &base)
        if case .everyEpochs = base.snapshots {
            // The report's steps are fixed before any data is read; an epoch's length is known only after.
            throw UsageError.option("compare-init reports at step counts: use --snapshots every:K, log:N or list:…, not every:Kepochs")
        }
        let compared = try Self.parseSchemes(schemes, kappa: kappa)
        let readout = try readoutInit.map { try InitScheme(parsing: $0) }
        let seedList = (0..<seeds).map { base.seed &+ UInt64($0) }
        if let dir = outputDir { try Self.prepareDirectory(dir) }

        var configs: [TrainingConfig] = []
        for scheme in compared {
            for seed in seedList {
                var c = base
                c.hiddenInit = scheme
                c.readoutInit = readout ?? scheme
                c.seed = seed
                configs.append(c)
            }
        }
        let commandLine = CommandLine.arguments.map(TrainCommand.shellQuote).joined(separator: " ")
        let paths = configs.map { c in outputDir.map { Self.runPath(dir: $0, scheme: c.hiddenInit, seed: c.seed) } }
        let clock = ContinuousClock(), start = clock.now
        BLAS.threads = 1
        let outcomes = try Self.train(configs, paths: paths, commandLine: commandLine,
                                      jobs: outputDir == nil ? jobCount : 1)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        let reportSteps = base.snapshots.steps(total: base.steps)
        let report = CompareInitReport(
            schemes: compared, seeds: seedList, steps: reportSteps,
            outcomes: stride(from: 0, to: outcomes.count, by: seeds).map { Array(outcomes[$0..<($0 + seeds)]) },
            base: base, wallTime: seconds, jobs: outputDir == nil ? jobCount : 1)
        print(json ? try report.json() : report.table())
    }

    /// `--schemes` text (or the defaults) → schemes; ';' separates, and so do commas outside parentheses.
    static func parseSchemes(_ text: String?, kappa: Double) throws -> [InitScheme] {
        guard let text else {
            return [.heNormal(slope: 0), .rai, .raiMatchedGaussian,
                    .antiCorrelated(kappa: kappa, sigma2: InitScheme.normPreservingVariance(kappa: kappa)),
                    .antiCorrelatedRAI(kappa: kappa)]
        }
        var parts: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == ";" || (ch == "," && depth == 0) { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        let names = parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UsageError.option("--schemes: give at least one initialization") }
        let parsed = try names.map { try InitScheme(parsing: $0) }
        guard Set(parsed.map(\.spec)).count == parsed.count else { throw UsageError.option("--schemes: a scheme is listed twice") }
        return parsed
    }

    static func prepareDirectory(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw UsageError.output("-o \(dir): exists and is not a directory") }
        } else {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false) } catch {
                throw UsageError.output("-o \(dir): cannot create the directory (does its parent exist?)")
            }
        }
    }

    /// DIR/<scheme spec with every character outside [A-Za-z0-9.=-] as '_'>_seed<s>.h5
    static func runPath(dir: String, scheme: InitScheme, seed: UInt64) -> String {
        let safe = String(scheme.spec.map { $0.isLetter || $0.isNumber || ".=-".contains($0) ? $0 : "_" })
        return (dir as NSString).appendingPathComponent("\(safe)_seed\(seed).h5")
    }

    /// Trains every configuration (in memory, or into its path), `jobs` at a time; results in input order.
    static func train(_ configs: [TrainingConfig], paths: [String?], commandLine: String, jobs: Int) throws -> [RunOutcome] {
        try ParallelJobs.map(count: configs.count, workers: jobs) { i in
            let trainer = try paths[i].map { try Trainer(config: configs[i], path: $0, commandLine: commandLine) }
                ?? Trainer(inMemory: configs[i])
            let summary = try trainer.run()
            return RunOutcome(status: summary.status, history: trainer.history)
        }
    }
}
