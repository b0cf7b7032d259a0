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
