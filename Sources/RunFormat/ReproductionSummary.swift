import Foundation
import HDF5

/// What `condense reproduce` writes to DIR/summary.h5: per experiment, its claims (strings and counts over the
/// `claim` dimension) and the value each seed obtained (over `claim` × `seed`). Layout: FORMAT.md, "The
/// reproduction summary file".
public struct ReproductionSummary: Sendable {
    public struct Experiment: Sendable {
        public var id: String
        public var figure: String
        public var summary: String
        public var quick: Bool
        public var notes: [String]
        /// How this experiment's claims were judged.
        public var rule: String
        /// Seed numbers (the `seed` coordinate).
        public var seeds: [Int64]
        /// Per claim (the `claim` coordinate is `key`).
        public var key: [String]
        public var claim: [String]
        public var source: [String]
        public var expected: [String]
        public var agreement: [String]
        public var reason: [String]
        public var matching: [Int64]
        public var median: [Double]
        public var minimum: [Double]
        public var maximum: [Double]
        /// claim-major: obtained[c * seeds.count + s]; NaN = no value.
        public var obtained: [Double]
        /// 1 the seed matches the claim, 0 not.
        public var matches: [Int64]

        public init(id: String, figure: String, summary: String, quick: Bool, notes: [String], rule: String, seeds: [Int64],
                    key: [String], claim: [String], source: [String], expected: [String], agreement: [String],
                    reason: [String], matching: [Int64], median: [Double], minimum: [Double], maximum: [Double],
                    obtained: [Double], matches: [Int64]) {
            self.id = id; self.figure = figure; self.summary = summary; self.quick = quick; self.notes = notes
            self.rule = rule
            self.seeds = seeds; self.key = key; self.claim = claim; self.source = source; self.expected = expected
            self.agreement = agreement; self.reason = reason; self.matching = matching; self.median = median
            self.minimum = minimum; self.maximum = maximum; self.obtained = obtained; self.matches = matches
        }
    }

    public var rule: String
    public var experiments: [Experiment]

    public init(rule: String, experiments: [Experiment]) { self.rule = rule; self.experiments = experiments }
}

/// Names and version of the reproduction summary layout.
public enum ReproductionSummaryFormat {
    public static let name = "condense.reproduce_summary"
    public static let version = "1.0"
    public static let claimDim = "claim"
    public static let seedDim = "seed"
}

/// Writes a `ReproductionSummary`: one group per experiment, each a self-contained netCDF-style group that
/// `xarray.open_dataset(path, engine="h5netcdf", group=id)` reads with named dimensions.
public enum ReproductionSummaryWriter {
    /// Written under a hidden name beside `path` and renamed to it once complete, so a kill leaves the previous
    /// summary or the new one; a hidden file an error left is removed by the next write in the directory.
    public static func write(_ s: ReproductionSummary, to path: String) throws {
        let file = try H5File.create(path, mode: .truncate, publishingLater: true)
        let root = file.root
        try root.setAttribute("format", ReproductionSummaryFormat.name)
        try root.setAttribute("format_version", ReproductionSummaryFormat.version)
        try root.setAttribute("creator", "condense \(RunFileFormat.toolVersion)")
        try root.setAttribute("created_utc", ISO8601DateFormatter().string(from: Date()))
        try root.setAttribute("agreement_rule", s.rule)
        try root.setAttribute("experiments", s.experiments.map(\.id))
        for e in s.experiments {
            let n = e.key.count, k = e.seeds.count
            for (name, count) in [("claim", e.claim.count), ("source", e.source.count), ("expected", e.expected.count),
                                  ("agreement", e.agreement.count), ("reason", e.reason.count), ("matching", e.matching.count),
                                  ("median", e.median.count), ("min", e.minimum.count), ("max", e.maximum.count)]
            where count != n {
                throw HDF5Error("reproduction summary \(e.id): \(count) values of \(name) for \(n) claims")
            }
            guard e.obtained.count == n * k, e.matches.count == n * k else {
                throw HDF5Error("reproduction summary \(e.id): obtained/matches need \(n) × \(k) values")
            }
            let g = try root.createGroup(e.id)
            try g.setAttribute("figure", e.figure)
            try g.setAttribute("summary", e.summary)
            try g.setAttribute("quick", e.quick)
            try g.setAttribute("notes", e.notes.joined(separator: "\n"))
            try g.setAttribute("agreement_rule", e.rule)
            let claimScale = try g.write(ReproductionSummaryFormat.claimDim, e.key)
            try claimScale.makeDimensionScale(ReproductionSummaryFormat.claimDim)
            let seedScale = try g.write(ReproductionSummaryFormat.seedDim, e.seeds)
            try seedScale.makeDimensionScale(ReproductionSummaryFormat.seedDim)
            func perClaim(_ d: H5Dataset, _ meaning: String) throws {
                try d.attach(scale: claimScale, toDimension: 0)
                try d.setAttribute("long_name", meaning)
            }
            func perSeed(_ d: H5Dataset, _ meaning: String) throws {
                try d.attach(scale: claimScale, toDimension: 0)
                try d.attach(scale: seedScale, toDimension: 1)
                try d.setAttribute("long_name", meaning)
            }
            try perClaim(try g.write("claim_text", e.claim), "the claim in words")
            try perClaim(try g.write("source", e.source), "paper and figure")
            try perClaim(try g.write("expected", e.expected), "the paper's value")
            try perClaim(try g.write("agreement", e.agreement), "agrees, partly, disagrees, n/a, not yet computed")
            try perClaim(try g.write("reason", e.reason), "why (matching seeds, missing runs, fits)")
            try perClaim(try g.write("matching", e.matching), "seeds whose value matches the claim")
            try perClaim(try g.write("median", e.median), "median of the per-seed values (NaN: none)")
            try perClaim(try g.write("min", e.minimum), "smallest per-seed value")
            try perClaim(try g.write("max", e.maximum), "largest per-seed value")
            try perSeed(try g.write("obtained", e.obtained, shape: [n, k]), "the value each seed obtained (NaN: no value)")
            try perSeed(try g.write("matches", e.matches, shape: [n, k]), "1: the seed's value matches the claim, 0: not")
        }
        try file.flush()
        try file.publish()
        try file.close()
    }
}
