import Foundation

/// A list of seeds as `condense train --seeds` takes it: comma-separated seeds and inclusive ranges, `1-16`,
/// `1,3,7-9`. Each seed is a UInt64; a range's first seed is at most its last (`9-3` is refused, not reversed); a
/// seed listed twice is refused (its run file would be written twice). The count is known before the seeds are
/// expanded, so a list like `1-1000000000000` is refused without building it.
public struct SeedList: Equatable, Sendable, CustomStringConvertible {
    /// The ranges in the order given.
    public let ranges: [ClosedRange<UInt64>]
    /// The text it was parsed from.
    public let description: String

    /// At most this many seeds: each is a network held in memory while its group trains and a run file.
    public static let maximumCount: UInt64 = 100_000

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TrainingError.option("--seeds: the list is empty; give seeds like 1-16 or 1,3,7-9") }
        var ranges: [ClosedRange<UInt64>] = []
        var total: UInt64 = 0
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw TrainingError.option("--seeds \(text): an empty item; separate seeds by single commas") }
            let parts = item.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count <= 2, let lo = UInt64(parts[0]), let hi = UInt64(parts.last!) else {
                throw TrainingError.option("--seeds: '\(item)' is not a seed (0…\(UInt64.max)) or a range like 1-16")
            }
            guard lo <= hi else {
                throw TrainingError.option("--seeds: the range \(item) runs backwards; write \(hi)-\(lo)")
            }
            let count = hi - lo
            guard count < Self.maximumCount, total + count + 1 <= Self.maximumCount else {
                throw TrainingError.option("--seeds \(text) lists more than \(Self.maximumCount) seeds; split it into several runs")
            }
            total += count + 1
            ranges.append(lo...hi)
        }
        // Any overlap between two items lists a seed twice.
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.lowerBound <= a.upperBound {
            throw TrainingError.option("--seeds \(text) lists seed \(b.lowerBound) twice")
        }
        self.ranges = ranges
        self.description = trimmed
    }

    /// How many seeds the list holds.
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    /// The seeds in the order given.
    public var seeds: [UInt64] { ranges.flatMap { Array($0) } }

    /// The run file of `seed` for the output `-o output`: `DIR/run.h5` → `DIR/run-seed7.h5` (before the extension;
    /// no extension: appended); a directory (an existing one, or a path ending in `/`) → `DIR/run-seed7.h5`.
    public static func path(for seed: UInt64, output: String) -> String {
        var isDirectory: ObjCBool = false
        if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
                                     && isDirectory.boolValue) {
            return (output as NSString).appendingPathComponent("run-seed\(seed).h5")
        }
        let ns = output as NSString
        let ext = ns.pathExtension
        let stem = ext.isEmpty ? output : ns.deletingPathExtension
        return stem + "-seed\(seed)" + (ext.isEmpty ? "" : "." + ext)
    }
}
