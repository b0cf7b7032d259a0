import Foundation

/// The batch script that runs a sweep as one Slurm job array. Each array task runs a group of runs with
/// `condense sweep run DIR --index LIST`: the runs that differ only in seed (`SeedGrouping.groups`) train in one
/// `condense train --seeds` child, as under a local `sweep run`. When every group is a single run (no seeds, or
/// `sweep slurm --no-seed-batch`) the array's task ids are the manifest indices themselves (`--index K`).
public struct SlurmScript {
    public var executable: String
    public var directory: SweepDirectory
    public var name: String
    /// Manifest indices of each array task's runs (usually the runs that still need work), in task order.
    public var tasks: [[Int]]
    public var maxParallel: Int?
    public var cpus: Int
    /// Per task: the memory as given, the time already scaled for the largest group (`SlurmTimeLimit.scaled`).
    public var memory: String?
    public var time: String?
    public var partition: String?

    public init(executable: String, directory: SweepDirectory, name: String, tasks: [[Int]], maxParallel: Int?,
                cpus: Int, memory: String?, time: String?, partition: String?) {
        self.executable = executable; self.directory = directory; self.name = name; self.tasks = tasks
        self.maxParallel = maxParallel; self.cpus = cpus; self.memory = memory; self.time = time
        self.partition = partition
    }

    /// One task per run (`indices`), array task id = manifest index.
    public init(executable: String, directory: SweepDirectory, name: String, indices: [Int], maxParallel: Int?,
                cpus: Int, memory: String?, time: String?, partition: String?) {
        self.init(executable: executable, directory: directory, name: name, tasks: indices.map { [$0] },
                  maxParallel: maxParallel, cpus: cpus, memory: memory, time: time, partition: partition)
    }

    /// Whether some task runs more than one run (then task ids are 0…tasks−1 and the script maps each to its runs).
    public var batched: Bool { tasks.contains { $0.count > 1 } }

    /// Concurrent children in a task: its CPUs, at most its largest group (each child one BLAS thread).
    public var jobsPerTask: Int { max(1, min(cpus, tasks.map(\.count).max() ?? 1)) }

    /// `0-3,7,9-10` (sorted, runs of consecutive indices as ranges), plus `%N` for the concurrency limit.
    public var arraySpec: String {
        (batched ? Self.ranges(Array(tasks.indices)) : Self.ranges(tasks.map { $0[0] }))
            + (maxParallel.map { "%\($0)" } ?? "")
    }

    /// Sorted indices with runs of consecutive ones as ranges: `0-3,7,9-10` (Slurm's array form, `--index`'s too).
    public static func ranges(_ indices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let s = indices.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    public var text: String {
        var lines = ["#!/bin/bash"]
        if batched {
            lines += ["# Written by condense sweep slurm: one array task per group of runs of \(directory.path)",
                      "# that differ only in seed (trained in one condense train --seeds child), or per run alone;",
                      "# task K runs the manifest indices runs[K]. Memory and time are per task, for its largest group.",
                      "# Each run's state is in runs/<id>/record.json (condense sweep status)."]
        } else {
            lines += ["# Written by condense sweep slurm: one array task per run of \(directory.path).",
                      "# Each task runs one run; its state is in runs/<id>/record.json (condense sweep status)."]
        }
        lines += ["#SBATCH --job-name=\(Self.safe(name))",
                  "#SBATCH --array=\(arraySpec)",
                  "#SBATCH --ntasks=1",
                  "#SBATCH --cpus-per-task=\(cpus)",
                  "#SBATCH --output=\(directory.path)/slurm/%A_%a.out"]
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        lines.append("export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1")
        let command = "exec \(Self.quote(executable)) sweep run \(Self.quote(directory.path))"
        if batched {
            lines.append("runs=(" + tasks.map { Self.ranges($0) }.joined(separator: " ") + ")")
            lines.append(command + " --index \"${runs[$SLURM_ARRAY_TASK_ID]}\""
                         + (jobsPerTask > 1 ? " --jobs \(jobsPerTask)" : ""))
        } else {
            lines.append(command + " --index \"$SLURM_ARRAY_TASK_ID\"")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func safe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
