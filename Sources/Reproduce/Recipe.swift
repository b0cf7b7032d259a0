import Sweep

/// Building blocks of the experiments' sweeps: `condense train` options by name, zipped axes and the seed axis.
enum Recipe {
    /// A sweep of fixed options, the given dimensions, and seeds 1…N as the last dimension.
    static func sweep(_ name: String, _ fixed: [String: SweepValue], _ dimensions: [SweepDimension],
                      settings: ReproduceSettings) throws -> SweepFile {
        let seeds = SweepDimension(name: "seed", options: ["seed"],
                                   values: [settings.seedList.map { .integer(Int64($0)) }])
        return try SweepFile(name: name, fixed: fixed.keys.sorted().map { ($0, fixed[$0]!) },
                             dimensions: dimensions + [seeds])
    }

    /// One option over several values.
    static func axis(_ option: String, _ values: [SweepValue]) -> SweepDimension {
        SweepDimension(name: option, options: [option], values: [values])
    }

    /// Options stepped together, named after the first.
    static func zip(_ parts: [(String, [SweepValue])]) -> SweepDimension {
        SweepDimension(name: parts[0].0, options: parts.map(\.0), values: parts.map(\.1))
    }

    /// P1's common setting: Adam, full batch, the papers' loss 1/(2n)Σ(f − y)², every parameter N(0, std²).
    /// No test set: no claim reads the test loss, and evaluating it at every snapshot only costs time.
    static func p1(std: Double, lr: Double? = nil, steps: Int, snapshots: String) -> [String: SweepValue] {
        var o: [String: SweepValue] = [
            "optimizer": .string("adam"), "loss": .string("half-sum"), "init-std": .number(std),
            "steps": .integer(Int64(steps)), "snapshots": .string(snapshots), "n-test": .integer(0),
        ]
        if let lr { o["lr"] = .number(lr) }
        return o
    }
}
