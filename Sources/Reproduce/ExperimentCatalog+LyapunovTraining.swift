import Foundation
import RunFormat
import Sweep

extension ExperimentCatalog {
    /// The deep narrow networks of `lyapunov-training`: leaky ReLU of slope 0.1 and no biases as the `lyapunov`
    /// theory check propagates, widths 8 and 16 of its 4, 8, 16 (a 4-wide first layer leaves too little of a
    /// 784-pixel image to compare schemes on), 50 hidden layers rather than its 100: at depth 100 neither scheme
    /// left chance accuracy within the quick variant's updates, which would compare nothing.
    static let lyapunovSlope = 0.1, lyapunovDepth = 50
    static let lyapunovWidths = [8, 16]
    /// He normal for leaky ReLU (PyTorch's kaiming_normal_ with a = slope) against Lyapunov's Gaussian (λ = 0).
    static var lyapunovSchemes: [(name: String, spec: String)] {
        [("he", "he_normal(slope=\(lyapunovSlope))"), ("lyapunov", "lyapunov_gaussian(slope=\(lyapunovSlope))")]
    }
    static let lyapunovBatch = 128, lyapunovEpochs = 4
    /// Training and test images: the whole split, or for --quick the first 6000 and 2000.
    static func lyapunovImages(_ s: ReproduceSettings) -> (train: Int, test: Int) { s.quick ? (6000, 2000) : (60_000, 10_000) }

    /// Kogler et al. 2026 on real data: Lyapunov initialization (λ = 0 at the network's width) against He in deep
    /// narrow leaky-ReLU classifiers on Fashion-MNIST (their own experiments are regression and score learning),
    /// softmax cross-entropy, Adam lr 1e-3, mini-batch 128, the test accuracy after K epochs. Each scheme
    /// initializes every layer, the readout too (as `compare-init` does); σ_crit is taken at each layer's width
    /// (its fan-out), so the first layer 784 → d has the entry scale of a d × d layer.
    static let lyapunovTraining = Experiment(
        id: "lyapunov-training", figure: "Kogler et al. 2026",
        summary: "784-(d×\(lyapunovDepth))-10 leaky ReLU(\(lyapunovSlope)) on Fashion-MNIST, d = 8, 16: Lyapunov vs He initialization, test accuracy after \(lyapunovEpochs) epochs",
        sweep: { s in
            let images = lyapunovImages(s)
            let steps = lyapunovEpochs * ((images.train + lyapunovBatch - 1) / lyapunovBatch)
            let fixed: [String: SweepValue] = [
                "dataset": .string("fashion-mnist"), "n-train": .integer(Int64(images.train)),
                "n-test": .integer(Int64(images.test)), "labels": .string("one-hot"), "loss": .string("cross-entropy"),
                "activation": .string("leaky_relu(\(lyapunovSlope))"), "hidden-bias": .bool(false),
                "optimizer": .string("adam"), "lr": .number(1e-3), "batch-size": .integer(Int64(lyapunovBatch)),
                "steps": .integer(Int64(steps)), "snapshots": .string("list:0"),
            ]
            return try Recipe.sweep("lyapunov-training", fixed, [
                Recipe.axis("hidden", lyapunovWidths.map { .string(lyapunovHidden($0)) }),
                Recipe.axis("init", lyapunovSchemes.map { .string($0.spec) }),
            ], settings: s)
        },
        analyzes: false,
        measure: { reader in ["test_accuracy": try reader.snapshotVariable("test_accuracy")?.last ?? .nan] },
        notes: { s in
            let images = lyapunovImages(s)
            return ["\(lyapunovEpochs) epochs of mini-batches of \(lyapunovBatch) over the first \(images.train) Fashion-MNIST training images; accuracy on the first \(images.test) test images"
                        + (s.quick ? " (--quick; the full run uses all 60000 and 10000)" : ""),
                    "the paper trains deep narrow nets on polynomial regression and score learning; this is the same comparison on image classification"]
        },
        evaluate: { runs, s in lyapunovTrainingClaims(runs, testImages: lyapunovImages(s).test) })

    static func lyapunovHidden(_ width: Int) -> String {
        Array(repeating: String(width), count: lyapunovDepth).joined(separator: ",")
    }

    /// Per width: each scheme's accuracy (reported), and per seed the Lyapunov run's accuracy minus the He run's
    /// (same seed: same data order). A seed matches when the difference exceeds twice its test-set sampling error,
    /// 2·√(p₁(1−p₁)/n + p₂(1−p₂)/n) over n test images: a gain within it is noise of the test sample, not a
    /// better initialization. Runs within that error of chance (1/10) are counted in the reason.
    static func lyapunovTrainingClaims(_ runs: ExperimentRuns, testImages n: Int) -> [ClaimOutcome] {
        let source = "Kogler et al. 2026 (on Fashion-MNIST)"
        let chance = 0.1
        func error(_ p: Double) -> Double { p * (1 - p) / Double(max(n, 1)) }
        var out: [ClaimOutcome] = []
        for d in lyapunovWidths {
            var accuracy: [String: [Double]] = [:]
            for scheme in lyapunovSchemes {
                let filter = ["hidden": lyapunovHidden(d), "init": scheme.spec]
                let values = runs.perSeed(filter) { $0.measures["test_accuracy"] }
                accuracy[scheme.name] = values
                let problems = runs.problems(filter)
                let atChance = values.filter { $0.isFinite && abs($0 - chance) <= 2 * error(chance).squareRoot() }.count
                out.append(ClaimOutcome(
                    key: "d\(d).\(scheme.name).test_accuracy", claim: "d = \(d), \(scheme.spec): test accuracy after \(lyapunovEpochs) epochs",
                    source: source, expected: "values", seeds: runs.seeds, perSeed: values,
                    matches: values.map { _ in false }, agreement: .notApplicable,
                    reason: "reported; \(atChance) of \(runs.seeds.count) at chance (0.1 ± 2 SE)" + (problems.isEmpty ? "" : "; " + problems)))
            }
            let pairs = Array(zip(accuracy["lyapunov"]!, accuracy["he"]!))
            let gain = pairs.map { $0 - $1 }
            let threshold = pairs.map { 2 * (error($0) + error($1)).squareRoot() }
            let matches = zip(gain, threshold).map { $0.isFinite && $1.isFinite && $0 > $1 }
            let k = matches.filter { $0 }.count
            let worse = zip(gain, threshold).filter { $0 < -$1 }.count
            let missing = gain.filter { !$0.isFinite }.count
            var reason = "\(k) of \(runs.seeds.count) seeds higher by more than 2 SE (\(n) test images), \(worse) lower by more"
            if missing > 0 { reason += "; \(missing) without a value" }
            out.append(ClaimOutcome(
                key: "d\(d).lyapunov_minus_he", claim: "d = \(d): Lyapunov init reaches a higher test accuracy than He (difference)",
                source: source, expected: "> 2 SE", seeds: runs.seeds, perSeed: gain, matches: matches,
                agreement: Agreement.fromShare(matching: k, of: runs.seeds.count), reason: reason))
        }
        return out
    }
}
