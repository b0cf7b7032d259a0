/// The analyzed runs of one experiment and its seeds.
public struct ExperimentRuns: Sendable {
    public var seeds: [Int]
    public var runs: [AnalyzedRun]

    public init(seeds: [Int], runs: [AnalyzedRun]) { self.seeds = seeds; self.runs = runs }

    /// Per seed (in `seeds` order): `value` of the one run at that seed whose labels include `filter`; NaN when
    /// that run is missing, has no value, or `value` gives nil.
    public func perSeed(_ filter: [String: String] = [:], _ value: (AnalyzedRun) -> Double?) -> [Double] {
        seeds.map { s in
            guard let run = runs.first(where: { $0.seed == s && $0.matches(filter) }),
                  run.layers != nil else { return .nan }
            return value(run) ?? .nan
        }
    }

    /// The runs matching `filter`, all seeds.
    public func runs(_ filter: [String: String]) -> [AnalyzedRun] {
        runs.filter { $0.matches(filter) }
    }

    /// Why runs matching `filter` have no value, as one short phrase ("" when all have one).
    public func problems(_ filter: [String: String] = [:]) -> String {
        let p = runs(filter).compactMap(\.problem)
        guard let first = p.first else { return "" }
        return p.count == 1 ? "1 run without a value: \(first)" : "\(p.count) runs without a value, e.g. \(first)"
    }
}
