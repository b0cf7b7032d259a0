@testable import Reproduce

/// Runs with planted facts: one hidden layer whose counts and stage the test chooses.
enum PlantedRuns {
    /// A layer analyzed at `steps` with these condensed orientation / line counts (condensed everywhere) and,
    /// when `stageOrientations` is given, an initial stage with that count and verdict.
    static func layer(_ name: String = "layer_1", p: Int? = 1, steps: [Int] = [0, 50, 100], orientations: [Int],
                      lines: [Int], stageOrientations: Int? = nil, verdict: LayerFacts.Verdict = .withinBound,
                      rd: Double = 1) -> LayerFacts {
        LayerFacts(name: name, multiplicity: p, steps: steps, orientations: orientations, lines: lines,
                   condensed: steps.map { _ in true }, relativeDistance: steps.map { _ in rd },
                   stage: stageOrientations.map {
                       LayerFacts.Stage(startStep: steps[0], endStep: steps.last!, orientations: $0, lines: ($0 + 1) / 2,
                                        verdict: verdict)
                   })
    }

    /// One run per seed, each with a single layer whose final line count is `finalLines[seed − 1]`.
    static func finalLines(_ finalLines: [Int], labels: [String: String] = [:]) -> ExperimentRuns {
        let runs = finalLines.enumerated().map { i, n in
            AnalyzedRun(seed: i + 1, labels: labels.merging(["seed": "\(i + 1)"]) { a, _ in a },
                        layers: [layer(orientations: [0, 2 * n, 2 * n], lines: [0, n, n])])
        }
        return ExperimentRuns(seeds: Array(1...finalLines.count), runs: runs)
    }
}
