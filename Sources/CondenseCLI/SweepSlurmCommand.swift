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
        One array task per group of runs that still need work and differ only in seed (a run with no such \
        partner is a task alone): task K runs `condense sweep run DIR --index LIST` with this condense binary, \
        which trains the group in one `condense train --seeds` child, each run file the one its seed gives alone. \
        Groups follow `sweep run`'s rule: a grid point's seeds in one task, at most 64 (--seeds-per-task), split \
        evenly over --max-parallel when fewer points than that are left. A task whose group is partly done trains \
        only what is missing (finished runs are skipped, interrupted ones resumed). With --no-seed-batch, or when \
        no two runs differ only in seed, task K is the run with manifest index K (`--index K`). \
        --mem is per task, as typed: a task holds its group's networks in one process, which for the small \
        networks of the papers is about one run's memory (raise it, or lower --seeds-per-task, for large ones; a \
        group that does not fit the job's memory limit is refused in one line by its child, which reads the limit \
        from the job's control group). \
        --time is one run's: a task of n runs asks for ceil(n / --cpus) times it (its runs train in lockstep on \
        each of its CPUs, `sweep run --jobs CPUS`), for the largest group. DIR and the binary must be on a file system the compute \
        nodes share. Check progress with `condense sweep status DIR` (from the run records, not Slurm's exit \
        codes).
        """)

    @Argument(help: ArgumentHelp("The sweep directory.", valueName: "DIR"))
    var directory: String

    @Option(name: .customLong("max-parallel"), parsing: .unconditional, help: "Tasks running at once (the array's %N limit).")
    var maxParallel: Int?

    @Option(parsing: .unconditional, help: "CPUs per task (a group's runs train on that many children at once).")
    var cpus = 1

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Memory per task (sbatch --mem, e.g. 2G): one process holding its group's networks.", valueName: "size"))
    var mem: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("One run's time limit (sbatch --time, e.g. 1:00:00); a task of n runs asks for ceil(n / cpus) times it.",
                               valueName: "limit"))
    var time: String?

    @Option(name: .customLong("seeds-per-task"), parsing: .unconditional,
            help: ArgumentHelp("At most this many runs differing only in seed per task (1…64).", valueName: "n"))
    var seedsPerTask = SeedGrouping.maximumBatch

    @Flag(name: .customLong("no-seed-batch"), help: "One array task per run (task K runs manifest index K), as --seeds-per-task 1.")
    var noSeedBatch = false

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
        guard (1...SeedGrouping.maximumBatch).contains(seedsPerTask) else {
            throw ValidationError("--seeds-per-task must be 1…\(SeedGrouping.maximumBatch) (got \(seedsPerTask))")
        }
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
        let todo = try manifest.runs.filter { try dir.record(for: $0).state != .done }
        let sbatch = submit ? try Self.findSbatch() : nil
        guard !todo.isEmpty else {
            print("\(dir.path): every run is done; nothing to submit")
            return
        }
        // The grouping of a local `sweep run` with --max-parallel job slots.
        let groups = SeedGrouping.groups(todo, freeSlots: maxParallel, limit: noSeedBatch ? 1 : seedsPerTask)
        let largest = groups.map(\.count).max() ?? 1
        let jobs = max(1, min(cpus, largest))
        // Memory as typed: one process holds the group, and a small network adds little to a process's own
        // memory, so scaling it by the group (64 × a run's request) would ask for nodes that do not exist.
        let taskMemory = try mem.map { try SlurmMemory(parsing: $0).description }
        let taskTime = try time.map { try SlurmTimeLimit(parsing: $0).scaled(by: (largest + jobs - 1) / jobs).description }
        let script = SlurmScript(executable: SweepCommand.executablePath(), directory: dir, name: "condense-\(manifest.name)",
                                 tasks: groups.map { $0.map(\.index) }, maxParallel: maxParallel, cpus: cpus,
                                 memory: taskMemory, time: taskTime, partition: partition)
        let path = output ?? dir.path + "/sweep.sbatch"
        // The script is written again each time; a path that cannot take it is refused before slurm/ is made.
        try TrainCommand.checkOutput(path, force: true)
        try FileManager.default.createDirectory(atPath: dir.path + "/slurm", withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(script.text.utf8),
                                             attributes: [.posixPermissions: 0o755]) else {
            throw UsageError.output("cannot write \(path)")
        }
        guard let sbatch else {
            let per = largest > 1 ? "\(todo.count) runs, at most \(largest) per task"
                + [taskMemory.map { "--mem \($0)" }, taskTime.map { "--time \($0)" }].compactMap { $0 }
                    .map { ", " + $0 }.joined() + "; " : ""
            print("\(path): \(groups.count) array tasks (\(per)\(script.arraySpec)); submit with: sbatch \(path)")
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
