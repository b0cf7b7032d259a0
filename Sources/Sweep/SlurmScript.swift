import Foundation

/// The batch script that runs a sweep as one Slurm job array: task K runs `condense sweep run DIR --index K`.
public struct SlurmScript {
    public var executable: String
    public var directory: SweepDirectory
    public var name: String
    /// Manifest indices of the tasks (usually the runs that still need work).
    public var indices: [Int]
    public var maxParallel: Int?
    public var cpus: Int
    public var memory: String?
    public var time: String?
    public var partition: String?

    public init(executable: String, directory: SweepDirectory, name: String, indices: [Int], maxParallel: Int?,
                cpus: Int, memory: String?, time: String?, partition: String?) {
        self.executable = executable; self.directory = directory; self.name = name; self.indices = indices
        self.maxParallel = maxParallel; self.cpus = cpus; self.memory = memory; self.time = time
        self.partition = partition
    }

    /// `0-3,7,9-10` (sorted, runs of consecutive indices as ranges), plus `%N` for the concurrency limit.
    public var arraySpec: String {
        var parts: [String] = []
        var i = 0
        let s = indices.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return parts.joined(separator: ",") + (maxParallel.map { "%\($0)" } ?? "")
    }

    public var text: String {
        var lines = ["#!/bin/bash",
                     "# Written by condense sweep slurm: one array task per run of \(directory.path).",
                     "# Each task runs one run; its state is in runs/<id>/record.json (condense sweep status).",
                     "#SBATCH --job-name=\(Self.safe(name))",
                     "#SBATCH --array=\(arraySpec)",
                     "#SBATCH --ntasks=1",
                     "#SBATCH --cpus-per-task=\(cpus)",
                     "#SBATCH --output=\(directory.path)/slurm/%A_%a.out"]
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        lines += ["export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1",
                  "exec \(Self.quote(executable)) sweep run \(Self.quote(directory.path)) --index \"$SLURM_ARRAY_TASK_ID\"",
                  ""]
        return lines.joined(separator: "\n")
    }

    static func safe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
