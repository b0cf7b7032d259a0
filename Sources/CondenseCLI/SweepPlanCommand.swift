import ArgumentParser
import Foundation
import HDF5
import RunFormat
import Sweep
import Training

/// `condense sweep plan sweep.json -o DIR`: expand the sweep into DIR/manifest.json.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Expand a sweep file into a manifest of runs in DIR (re-planning keeps unchanged finished runs).",
        discussion: """
        Every run's options are parsed by the real `condense train` parser and resolved into its full \
        configuration; the run's identifier is a hash of that configuration, so re-planning an edited sweep into \
        the same DIR keeps every run whose configuration did not change (its record and run file stay).
        """)

    @Argument(help: "The sweep file (JSON).")
    var sweepFile: String

    @Option(name: [.short, .long], help: ArgumentHelp("The sweep directory.", valueName: "DIR"))
    var output: String

    mutating func run() throws {
        let file = try SweepFile(path: sweepFile)
        let source = SweepDirectory(sweepFile).path
        let manifest = try SweepPlanner(resolve: Self.canonicalConfiguration).plan(file, source: source)
        let dir = SweepDirectory(output)
        let r = try SweepPlanner.write(manifest, into: dir)
        var line = "\(dir.path): \(manifest.runs.count) runs over \(manifest.dimensions.map { "\($0.name) (\($0.size))" }.joined(separator: " × "))"
        if r.kept > 0 || r.dropped > 0 {
            line += "; re-planned: \(r.kept) kept (\(r.done) done), \(r.new) new, \(r.dropped) no longer in the sweep (left on disk)"
        }
        print(line)
    }

    /// Train arguments → the canonical JSON of the configuration `condense train` would run. It is the encoding
    /// run files of format 1.0/1.1 stored (`legacyJSONString`), which run identifiers have hashed since sweeps
    /// existed: a re-plan keeps the runs of a sweep planned by an older condense.
    static func canonicalConfiguration(_ arguments: [String]) throws -> String {
        let train: TrainCommand
        do { train = try TrainCommand.parse(arguments) } catch {
            throw UsageError.option(TrainCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
        }
        var base = TrainingConfig.paperDefault
        if let from = train.output.from {
            let reader = try RunReader(path: from)
            guard let json = reader.configJSON else { throw UsageError.input("\(from): has no condense configuration to re-run") }
            base = try TrainingConfig.fromJSON(json)
            try reader.close()
        }
        let config = try train.resolve(base)
        // Data files are read when each run starts; one that is missing would fail every run, so say so now.
        if case .file(let data, let test, _, _) = config.data {
            for file in [data, test].compactMap({ $0 }) {
                switch FileKind(path: file) {
                case .regular: break
                case .missing: throw UsageError.input("data file \(file) does not exist")
                case .directory: throw UsageError.input("data file \(file) is a directory, not a CSV or HDF5 file")
                case .other(let what): throw UsageError.input("data file \(file) is \(what), not a regular file")
                }
            }
        }
        // Input and output sizes come from the data when the run starts; check everything else now.
        var probe = config
        if probe.architecture.inputDim == 0 { probe.architecture.inputDim = 1 }
        // A one-hot classification has its classes as outputs (a file's count is known only once it is read:
        // cross-entropy is then given 2, so that the check that it has at least 2 waits for the data).
        if probe.architecture.outputDim == 0 {
            probe.architecture.outputDim = config.preprocessing?.classes ?? (config.loss == .crossEntropy ? 2 : 1)
        }
        try probe.validate()
        return try config.legacyJSONString()
    }
}
