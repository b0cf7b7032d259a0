import ArgumentParser
import Foundation
import Model
import Sweep

/// `condense sweep slurm DIR`: the sweep as one Slurm job array.
struct SweepSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write a Slurm batch script running the sweep as one job array (--submit: sbatch it).",
        discussion: """
        One array task per run that still needs work; task K runs `condense sweep run DIR --index K` with this \
        condense binary, so DIR and the binary must be on a file system the compute nodes share. Check progress \
        with `condense sweep status DIR` (from the run records, not Slurm's exit codes).
        """)

    @Argument(help: ArgumentHelp("The sweep directory.", valueName: "DIR"))
    var directory: String

    @Option(name: .customLong("max-parallel"), parsing: .unconditional, help: "Tasks running at once (the array's %N limit).")
    var maxParallel: Int?

    @Option(parsing: .unconditional, help: "CPUs per task.")
    var cpus = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Memory per task (sbatch --mem, e.g. 2G).", valueName: "size"))
    var mem: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Time limit per task (sbatch --time, e.g. 1:00:00).", valueName: "limit"))
    var time: String?

    @Option(help: "Partition.")
    var partition: String?

    @Option(name: [.short, .long], help: ArgumentHelp("The script to write (default DIR/sweep.sbatch).", valueName: "file"))
    var output: String?

    @Flag(help: "Submit the script with sbatch and print the job id.")
    var submit = false

    /// Every value goes into an `#SBATCH` line: checked here, so a bad one fails now rather than at submission
    /// (or, with a newline in it, adds a line to the script).
    func validate() throws {
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be ≥ 1 (got \(maxParallel))") }
        guard cpus >= 1 else { throw ValidationError("--cpus must be ≥ 1 (got \(cpus))") }
        do {
            if let time { _ = try SlurmTimeLimit(parsing: time) }
            if let mem { _ = try SlurmMemory(parsing: mem) }
        } catch let e as SweepError { throw ValidationError(e.description) }
        if let partition, partition.isEmpty || !partition.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.,".contains($0)) }) {
            throw ValidationError("--partition '\(TextExcerpt.of(partition))' is not a partition name (letters, digits, _ - . and commas between names)")
        }
    }

    mutating func run() throws {
        let dir = SweepDirectory(directory)
        let manifest = try dir.manifest()
        let todo = try manifest.runs.filter { try dir.record(for: $0).state != .done }.map(\.index)
        let sbatch = submit ? try Self.findSbatch() : nil
        guard !todo.isEmpty else {
            print("\(dir.path): every run is done; nothing to submit")
            return
        }
        let script = SlurmScript(executable: SweepCommand.executablePath(), directory: dir, name: "condense-\(manifest.name)",
                                 indices: todo, maxParallel: maxParallel, cpus: cpus, memory: mem, time: time,
                                 partition: partition)
        let path = output ?? dir.path + "/sweep.sbatch"
        // The script is written again each time; a path that cannot take it is refused before slurm/ is made.
        try TrainCommand.checkOutput(path, force: true)
        try FileManager.default.createDirectory(atPath: dir.path + "/slurm", withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(script.text.utf8),
                                             attributes: [.posixPermissions: 0o755]) else {
            throw UsageError.output("cannot write \(path)")
        }
        guard let sbatch else {
            print("\(path): \(todo.count) array tasks (\(script.arraySpec)); submit with: sbatch \(path)")
            return
        }
        let (status, text) = try HelperCommand.run(sbatch, ["--parsable", path])
        let lines = text.split(separator: "\n").map(String.init)
        guard status == 0 else {
            throw UsageError.tool("sbatch failed: \(lines.last ?? "exit status \(status)")")
        }
        // --parsable prints "jobid" or "jobid;cluster" (after any warnings).
        let id = lines.last(where: { Int($0.split(separator: ";").first ?? "") != nil })?
            .split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty else { throw UsageError.tool("sbatch printed no job id: \(lines.last ?? "")") }
        print(id)
    }

    static func findSbatch() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/sbatch") {
            return "\(dir)/sbatch"
        }
        throw UsageError.tool("--submit: sbatch not found in PATH (Slurm is not installed here); write the script without --submit and submit it where Slurm runs")
    }
}
