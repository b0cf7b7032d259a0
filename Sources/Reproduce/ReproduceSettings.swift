/// How an experiment is reproduced: how many seeds (seeds 1…N), the quick variant or the full one, and how many
/// workers (training processes at a time; analysis and simulation threads).
public struct ReproduceSettings: Sendable, Equatable, Codable {
    public var seeds: Int
    public var quick: Bool
    public var jobs: Int

    /// 10 seeds, or 3 with --quick.
    public static func defaultSeeds(quick: Bool) -> Int { quick ? 3 : 10 }
    /// More seeds than this is a typing slip, not an experiment (each is a run directory on disk).
    public static let maximumSeeds = 1000

    public init(seeds: Int, quick: Bool, jobs: Int) {
        self.seeds = seeds; self.quick = quick; self.jobs = max(1, jobs)
    }

    /// Seeds 1…N: the first N, never chosen by outcome.
    public var seedList: [Int] { Array(1...max(1, seeds)) }
}
