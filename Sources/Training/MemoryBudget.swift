import Foundation

/// The memory a run may use: the machine's physical memory, or less where a control group limits this process (a
/// Slurm job under `task/cgroup`, a container, a systemd slice). A run or a seed batch larger than its job's limit is
/// then refused before it starts, in one line, instead of being killed by the kernel's out-of-memory killer halfway.
struct MemoryBudget: Equatable {
    /// Bytes available.
    let bytes: Double
    /// How messages name the bound: "this machine has" or "this process may use (its control group's limit)".
    let bound: String

    /// The machine's memory alone (what the checks used before, and what tests pass).
    init(machine bytes: Double) {
        self.bytes = bytes
        bound = "this machine has"
    }

    init(bytes: Double, bound: String) {
        self.bytes = bytes
        self.bound = bound
    }

    /// This process's budget, read once.
    static let current = MemoryBudget.reading()

    /// The smaller of `physical` and every memory limit on the path of this process's control group (cgroup v2
    /// `memory.max`, v1 `memory.limit_in_bytes`; a parent's limit binds its children too). Files that cannot be read
    /// are no limit.
    static func reading(physical: Double = Double(ProcessInfo.processInfo.physicalMemory),
                        membership: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> MemoryBudget {
        guard let text = try? String(contentsOfFile: membership, encoding: .utf8) else { return MemoryBudget(machine: physical) }
        var limit = Double.infinity
        for line in text.split(separator: "\n") {
            // "hierarchy-id:controllers:path"; v2's line is "0::path".
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[2].hasPrefix("/") else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                for base in [root, root + "/unified"] { limit = min(limit, smallestLimit(base, path, file: "memory.max")) }
            } else if fields[1].split(separator: ",").contains("memory") {
                limit = min(limit, smallestLimit(root + "/memory", path, file: "memory.limit_in_bytes"))
            }
        }
        guard limit < physical else { return MemoryBudget(machine: physical) }
        return MemoryBudget(bytes: limit, bound: "this process may use (its control group's memory limit)")
    }

    /// The smallest finite limit in `file` from `base + path` up to `base`; infinity when none is set.
    private static func smallestLimit(_ base: String, _ path: String, file: String) -> Double {
        var smallest = Double.infinity
        var components = path.split(separator: "/").map(String.init)
        while true {
            let directory = ([base] + components).joined(separator: "/")
            if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
               let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)),
               value > 0, value < 0x1p60 {          // "max" (v2) and v1's near-2⁶³ mean no limit
                smallest = min(smallest, value)
            }
            if components.isEmpty { break }
            components.removeLast()
        }
        return smallest
    }
}
