/// Which runs may train in one `condense train --seeds a,b,…` child, and how many per child: the one rule that
/// `sweep run` (`SweepRunner+SeedBatches.swift`, as it takes runs from its queue) and `sweep slurm` (one array task
/// per group, `groups`) share.
///
/// Runs whose arguments differ only in one `--seed N` are one grid point. A point's runs go to one child, or are
/// split evenly over the free job slots when there are fewer points than free slots; at most `maximumBatch` per
/// child.
public enum SeedGrouping {
    /// At most this many runs per child.
    public static let maximumBatch = 64

    /// A run's `--seed` value and its other arguments; nil without exactly one `--seed N`.
    public static func seedAndRest(_ arguments: [String]) -> (seed: UInt64, rest: [String])? {
        var seed: UInt64?, rest: [String] = [], i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--seed" || a == "--seeds" || a.hasPrefix("--seed=") || a.hasPrefix("--seeds=") {
                guard seed == nil, a == "--seed", i + 1 < arguments.count, let s = UInt64(arguments[i + 1]) else { return nil }
                seed = s
                i += 2
                continue
            }
            rest.append(a)
            i += 1
        }
        return seed.map { ($0, rest) }
    }

    /// How many of a point's `runs` runs one child takes when `points` grid points share `freeSlots` job slots:
    /// the point's share of the slots, each taking an even part of its runs, at most `limit` (≤ `maximumBatch`).
    public static func batchSize(runs: Int, points: Int, freeSlots: Int, limit: Int = maximumBatch) -> Int {
        let slots = max(1, max(1, freeSlots) / max(1, points))
        return max(1, min(limit, maximumBatch, (runs + slots - 1) / slots))
    }

    /// `runs` (in their order) cut into groups for one child each: a grid point's runs split by `batchSize` into
    /// groups whose sizes differ by at most one; a run without exactly one `--seed` is a group alone. Groups are in
    /// the order of their first run. `freeSlots` nil: no splitting beyond `limit` (as with one free slot).
    public static func groups(_ runs: [PlannedRun], freeSlots: Int?, limit: Int = maximumBatch) -> [[PlannedRun]] {
        var points: [[String]: [PlannedRun]] = [:]
        var order: [(key: [String]?, run: PlannedRun)] = []
        for run in runs {
            let rest = seedAndRest(run.arguments)?.rest
            if let rest {
                if points[rest] == nil { order.append((rest, run)) }
                points[rest, default: []].append(run)
            } else {
                order.append((nil, run))
            }
        }
        var out: [[PlannedRun]] = []
        for (key, run) in order {
            guard let key, let members = points[key] else { out.append([run]); continue }
            let size = batchSize(runs: members.count, points: points.count, freeSlots: freeSlots ?? 1, limit: limit)
            let count = (members.count + size - 1) / size
            // Even parts: the first `members.count % count` groups take one run more.
            var lo = 0
            for k in 0..<count {
                let n = members.count / count + (k < members.count % count ? 1 : 0)
                out.append(Array(members[lo..<(lo + n)]))
                lo += n
            }
        }
        return out
    }
}
