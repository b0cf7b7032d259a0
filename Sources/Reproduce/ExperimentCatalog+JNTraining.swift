import Foundation
import Theory
import RunFormat
import Sweep

extension ExperimentCatalog {
    /// The six architectures of Jakub & Nica's training notebook (width × depth of the hidden part), the same as
    /// the `degeneracy` theory check's.
    static let jnArchitectures: [(name: String, width: Int, depth: Int)] = [
        ("85x2", 85, 2), ("100x10", 100, 10), ("30x15", 30, 15), ("15x30", 15, 30), ("75x35", 75, 35), ("50x50", 50, 50),
    ]
    /// The paper's mini-batch and epochs: Keras, batch 100, one epoch.
    static let jnBatch = 100, jnEpochs = 1
    /// Training and test images: the whole split (the paper's), or for --quick the first 6000 training images (60
    /// updates of 100) and 2000 test images, so that 3 seeds × 6 networks fit two cores in about a minute.
    static func jnImages(_ s: ReproduceSettings) -> (train: Int, test: Int) { s.quick ? (6000, 2000) : (60_000, 10_000) }

    /// The `--hidden` text of an architecture, e.g. "85,85".
    static func jnHidden(_ a: (name: String, width: Int, depth: Int)) -> String {
        Array(repeating: String(a.width), count: a.depth).joined(separator: ",")
    }

    /// The paper's predicted degeneracy of a 784-(width × depth)-10 ReLU net at He initialization: Algorithm 1
    /// (the mean-only finite-width iteration from θ₀ = π/2 over the depth + 1 weight matrices, fan-in indexing as
    /// the authors' notebook), ln sin²θ after the last step; and the infinite-width arc-cosine map over the same
    /// steps, which depends on the depth only.
    static func jnPrediction(width: Int, depth: Int) throws -> (finite: Double, infinite: Double) {
        let widths = [784] + Array(repeating: width, count: depth) + [10]
        return (try DegeneracyPrediction.algorithm1(widths: widths),
                DegeneracyPrediction.infiniteWidthAlgorithm1(depth: depth + 1))
    }

    /// Jakub & Nica 2023, Fig. 1 on Fashion-MNIST (**standing in for MNIST**, which no package here ships; the
    /// paper also trains on Fashion-MNIST): 784-…-10 ReLU nets without biases, He normal on every layer, softmax
    /// cross-entropy on one-hot labels, Adam lr 1e-3 (Keras' default), mini-batch 100, one epoch; the test
    /// accuracy beside the predicted degeneracy. Keras' HeNormal is a truncated normal; ours is untruncated.
    static let jnTraining = Experiment(
        id: "jn-training", figure: "Jakub & Nica 2023 Fig. 1",
        summary: "784-…-10 ReLU nets of Algorithm 1's six architectures, cross-entropy on Fashion-MNIST, 1 epoch: predicted degeneracy vs test accuracy",
        sweep: { s in
            let images = jnImages(s)
            let steps = jnEpochs * ((images.train + jnBatch - 1) / jnBatch)
            let fixed: [String: SweepValue] = [
                "dataset": .string("fashion-mnist"), "n-train": .integer(Int64(images.train)),
                "n-test": .integer(Int64(images.test)), "labels": .string("one-hot"), "loss": .string("cross-entropy"),
                "activation": .string("relu"), "hidden-bias": .bool(false), "init": .string("he_normal"),
                "optimizer": .string("adam"), "lr": .number(1e-3), "batch-size": .integer(Int64(jnBatch)),
                "steps": .integer(Int64(steps)), "snapshots": .string("list:0"),
            ]
            return try Recipe.sweep("jn-training", fixed, [
                Recipe.axis("hidden", jnArchitectures.map { .string(jnHidden($0)) }),
            ], settings: s)
        },
        analyzes: false,
        measure: { reader in ["test_accuracy": try reader.snapshotVariable("test_accuracy")?.last ?? .nan] },
        notes: { s in
            let images = jnImages(s)
            return ["Fashion-MNIST stands in for MNIST, which no package here ships (the paper shows both)",
                    "\(jnEpochs) epoch of mini-batches of \(jnBatch) over the first \(images.train) training images; accuracy on the first \(images.test) test images"
                        + (s.quick ? " (--quick; the full run uses all 60000 and 10000)" : ""),
                    "predicted degeneracy ln sin²θ_L: the paper's Algorithm 1 (finite-width mean iteration from θ₀ = π/2, fan-in indexing) and the infinite-width arc-cosine map"]
        },
        evaluate: { runs, _ in try jnClaims(runs) })

    /// Per architecture its accuracy (reported beside the prediction, not judged), then the two claims across
    /// architectures, per seed: more degenerate means lower accuracy (Spearman ρ between the finite-width
    /// prediction and the accuracy > 0), and the finite-width prediction orders the accuracies better than the
    /// infinite-width one (its ρ larger).
    static func jnClaims(_ runs: ExperimentRuns) throws -> [ClaimOutcome] {
        let source = "Jakub & Nica 2023 Fig. 1 (on Fashion-MNIST)"
        var out: [ClaimOutcome] = []
        var finite: [Double] = [], infinite: [Double] = [], accuracy: [[Double]] = []
        for a in jnArchitectures {
            let p = try jnPrediction(width: a.width, depth: a.depth)
            finite.append(p.finite); infinite.append(p.infinite)
            let values = runs.perSeed(["hidden": jnHidden(a)]) { $0.measures["test_accuracy"] }
            accuracy.append(values)
            let problems = runs.problems(["hidden": jnHidden(a)])
            out.append(ClaimOutcome(
                key: "\(a.name).test_accuracy", claim: "\(a.name): test accuracy after \(jnEpochs) epoch",
                source: source, expected: String(format: "ln sin²θ_L = %.2f (finite width), %.2f (infinite)", p.finite, p.infinite),
                seeds: runs.seeds, perSeed: values, matches: values.map { _ in false }, agreement: .notApplicable,
                reason: "reported beside the predicted degeneracy; judged in the rows below" + (problems.isEmpty ? "" : "; " + problems)))
        }
        // Per seed: the accuracies of the architectures, and their rank correlation with each prediction.
        let perSeedAccuracy = runs.seeds.indices.map { k in accuracy.map { $0[k] } }
        let rhoFinite = perSeedAccuracy.map { RankCorrelation.spearman(finite, $0) }
        let rhoInfinite = perSeedAccuracy.map { RankCorrelation.spearman(infinite, $0) }
        let pooled = { (pred: [Double]) -> Double in
            let medians = accuracy.map { ClaimOutcome.median($0.filter(\.isFinite)) }
            return RankCorrelation.spearman(pred, medians)
        }
        out.append(.counted(
            key: "degeneracy_orders_accuracy", claim: "more degenerate → lower accuracy: Spearman ρ(predicted ln sin²θ_L, accuracy)",
            source: source, expected: "ρ > 0", seeds: runs.seeds, perSeed: rhoFinite, matches: { $0 > 0 },
            reason: String(format: "ρ of the median accuracies %+.2f", pooled(finite))))
        let differences = zip(rhoFinite, rhoInfinite).map { $0 - $1 }
        out.append(.counted(
            key: "finite_beats_infinite", claim: "finite width orders accuracy better than infinite: ρ_finite − ρ_infinite",
            source: source, expected: "> 0", seeds: runs.seeds, perSeed: differences, matches: { $0 > 0 },
            reason: String(format: "ρ of the median accuracies: finite %+.2f, infinite %+.2f", pooled(finite), pooled(infinite))))
        return out
    }
}
