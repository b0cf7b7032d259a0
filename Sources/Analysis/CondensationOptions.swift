import Foundation

/// How a layer's condensation is judged; every default is explained in `Sources/Analysis/README.md`.
public struct CondensationOptions: Sendable, Equatable {
    /// What the coverage rule weighs neurons by.
    public enum Weighting: String, Sendable, Equatable, CaseIterable {
        /// A neuron counts with its amplitude |a_j|·‖w_j‖ (‖w_j‖ without readout weights).
        case amplitude
        /// Every kept neuron counts 1.
        case neurons
    }

    /// Neurons whose input-weight norm is ≤ this fraction of the layer's largest norm are
    /// *negligible* and left out (default 1e-3: their direction is still the random initial one
    /// and they carry < 0.1 % of the largest neuron's weight; P1 also discards small norms).
    public var relativeNormThreshold: Double
    /// τ: same orientation ⇔ cosine > τ; opposite ⇔ cosine < −τ (default 0.95, as m_eff).
    public var cosineThreshold: Double
    /// An orientation is *condensed* when it holds at least this share of the kept neurons (default
    /// 0.05) and at least `minimumCondensedSize` neurons (default 2), and is unlike a chance cluster.
    public var minimumCondensedShare: Double
    public var minimumCondensedSize: Int
    /// Unlike a chance cluster: it holds at least `chanceFactor` times the share that uniformly scattered
    /// directions put in a cap of its size (`ChanceLevel.capFraction`), or its mean angle is at most
    /// 1/`chanceFactor` of theirs (`ChanceLevel.meanAngleInCap`). Default 2. This only bites in low dimension:
    /// for one-dimensional inputs (D = 2) a cap holds 10.1 % of random directions; from D = 3 on the share
    /// condition is at most 5 % and so implied by the default minimum share. 0 switches the test off.
    public var chanceFactor: Double
    /// The layer *becomes* condensed when its condensed orientations hold at least `enterCoverage` (default
    /// 2/3: clearly most of the layer) of the kept neurons' weight, as weighed by `coverageWeighting` (default
    /// amplitude), and *stays* condensed, over a series of snapshots, while they hold at least `leaveCoverage`
    /// (default 1/2: still the majority). The gap between the two levels is hysteresis: one snapshot that
    /// dips just below the entry level neither ends a condensed period nor starts one. The rest of the kept
    /// neurons are *stragglers*, reported with their share; they do not veto the verdict.
    public var enterCoverage: Double
    public var leaveCoverage: Double
    public var coverageWeighting: Weighting
    /// Passed to `SphereClustering.Options`: the smallest cluster is max(`minimumClusterSize`,
    /// ⌈`minimumClusterShare` · kept neurons⌉) — 2 neurons up to 400 kept, 0.5 % of them beyond, so that the
    /// uniform noise of a wide layer does not form hundreds of tiny clusters (each far below the 5 % a condensed
    /// orientation needs, and costly to find) — and the subsample size (2000).
    public var minimumClusterSize: Int
    public var minimumClusterShare: Double
    public var sampleSize: Int

    /// The smallest cluster for a layer with `kept` kept neurons.
    public func clusterSize(kept: Int) -> Int {
        max(minimumClusterSize, Int((minimumClusterShare * Double(kept)).rounded(.up)))
    }

    public init(relativeNormThreshold: Double = 1e-3, cosineThreshold: Double = 0.95,
                minimumCondensedShare: Double = 0.05, minimumCondensedSize: Int = 2, chanceFactor: Double = 2,
                enterCoverage: Double = 2.0 / 3.0, leaveCoverage: Double = 0.5, coverageWeighting: Weighting = .amplitude,
                minimumClusterSize: Int = 2, minimumClusterShare: Double = 0.005, sampleSize: Int = 2000) {
        self.relativeNormThreshold = relativeNormThreshold
        self.cosineThreshold = cosineThreshold
        self.minimumCondensedShare = minimumCondensedShare
        self.minimumCondensedSize = minimumCondensedSize
        self.chanceFactor = chanceFactor
        self.enterCoverage = enterCoverage
        self.leaveCoverage = leaveCoverage
        self.coverageWeighting = coverageWeighting
        self.minimumClusterSize = minimumClusterSize
        self.minimumClusterShare = minimumClusterShare
        self.sampleSize = sampleSize
    }

    /// Throws `AnalysisError.option` naming the first option out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ text: String) throws { if !ok { throw AnalysisError.option(text) } }
        try check(relativeNormThreshold >= 0 && relativeNormThreshold < 1,
                  "relative norm threshold \(relativeNormThreshold) must be in [0, 1)")
        try check(cosineThreshold > 0 && cosineThreshold < 1, "cosine threshold \(cosineThreshold) must be in (0, 1)")
        try check(minimumCondensedShare >= 0 && minimumCondensedShare <= 1,
                  "minimum condensed share \(minimumCondensedShare) must be in [0, 1]")
        try check(minimumCondensedSize >= 1, "minimum condensed size \(minimumCondensedSize) must be ≥ 1")
        try check(chanceFactor >= 0 && chanceFactor.isFinite, "chance factor \(chanceFactor) must be ≥ 0")
        try check(enterCoverage > 0 && enterCoverage <= 1, "entry coverage \(enterCoverage) must be in (0, 1]")
        try check(leaveCoverage > 0 && leaveCoverage <= enterCoverage,
                  "leaving coverage \(leaveCoverage) must be in (0, entry coverage \(enterCoverage)]")
        try check(minimumClusterSize >= 1, "minimum cluster size \(minimumClusterSize) must be ≥ 1")
        try check(minimumClusterShare >= 0 && minimumClusterShare <= 1,
                  "minimum cluster share \(minimumClusterShare) must be in [0, 1]")
        try check(sampleSize >= 1, "sample size \(sampleSize) must be ≥ 1")
    }
}
