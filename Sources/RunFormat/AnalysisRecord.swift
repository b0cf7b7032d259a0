/// What `condense analyze` found in one layer at one snapshot, as plain values (the layout is in FORMAT.md,
/// section `/analysis`). Label codes: ≥ 0 a cluster, −1 unclustered, −2 non-finite, −3 negligible norm.
public struct LayerAnalysisRecord: Sendable, Equatable {
    public static let unclustered: Int64 = -1
    public static let nonFinite: Int64 = -2
    public static let negligible: Int64 = -3

    public var labels: [Int64]
    public var lineLabels: [Int64]
    public var kept: Int
    public var nonFiniteCount: Int
    public var negligibleCount: Int
    public var unclusteredCount: Int
    public var orientations: Int
    public var lines: Int
    public var condensedOrientations: Int
    public var condensedLines: Int
    public var verdict: String
    public var effectiveRatio: Double
    public var relativeDistance: Double
    public var topShare: Double
    public var predictedCosine: Double
    /// Per cluster (largest first), at most `AnalysisLayout.maxClusters`.
    public var clusterSize: [Int64]
    public var clusterShare: [Double]
    public var clusterAmplitudeShare: [Double]
    public var clusterMeanAngle: [Double]
    /// Row-major (clusters × components).
    public var clusterDirection: [Double]
    /// Per cluster: 1 when the orientation is condensed at τ (minimum share and size, unlike chance), else 0; and
    /// the line (index into the layer's lines, as `lineLabels`) it belongs to.
    public var clusterCondensed: [Int64] = []
    public var clusterLine: [Int64] = []
    /// Layers with one-dimensional input: θ = sign(b)·arccos(w/√(w²+b²)) and A = |a|·√(w²+b²) per neuron.
    public var theta: [Double]?
    public var amplitude: [Double]?
    /// Share of the kept neurons' weight (amplitude, or neurons when amplitude is undefined) in condensed
    /// orientations; share of kept neurons, and of amplitude, outside them (stragglers).
    public var coveredShare: Double = .nan
    public var stragglerShare: Double = .nan
    public var stragglerAmplitudeShare: Double = .nan
    /// The cosine threshold the counts and shares were decided at (τ, or the loosest checked for a loose group).
    public var decidedThreshold: Double = .nan
    /// Condensed within the series (after the entry/hold hysteresis).
    public var condensed: Bool = false
    /// Condensed orientations and lines at each threshold of `/analysis/threshold` (ascending).
    public var thresholdOrientations: [Int64] = []
    public var thresholdLines: [Int64] = []

    public init(labels: [Int64], lineLabels: [Int64], kept: Int, nonFiniteCount: Int, negligibleCount: Int,
                unclusteredCount: Int, orientations: Int, lines: Int, condensedOrientations: Int,
                condensedLines: Int, verdict: String, effectiveRatio: Double, relativeDistance: Double,
                topShare: Double, predictedCosine: Double, clusterSize: [Int64], clusterShare: [Double],
                clusterAmplitudeShare: [Double], clusterMeanAngle: [Double], clusterDirection: [Double],
                theta: [Double]? = nil, amplitude: [Double]? = nil) {
        self.labels = labels; self.lineLabels = lineLabels; self.kept = kept; self.nonFiniteCount = nonFiniteCount
        self.negligibleCount = negligibleCount; self.unclusteredCount = unclusteredCount
        self.orientations = orientations; self.lines = lines; self.condensedOrientations = condensedOrientations
        self.condensedLines = condensedLines; self.verdict = verdict; self.effectiveRatio = effectiveRatio
        self.relativeDistance = relativeDistance; self.topShare = topShare; self.predictedCosine = predictedCosine
        self.clusterSize = clusterSize; self.clusterShare = clusterShare
        self.clusterAmplitudeShare = clusterAmplitudeShare; self.clusterMeanAngle = clusterMeanAngle
        self.clusterDirection = clusterDirection; self.theta = theta; self.amplitude = amplitude
    }
}

/// The reordered cosine-similarity matrix of one layer at one snapshot, for heatmaps.
public struct SimilarityRecord: Sendable, Equatable {
    public var snapshot: Int
    /// Neuron index at each position (kept neurons ordered by cluster, then the rest).
    public var order: [Int64]
    /// Row-major (n × n, n = `order.count`) cosine similarities in `order`; NaN for neurons left out.
    public var cosine: [Double]
    /// Row-major (maxClusters × maxClusters) mean cosine between the members of two orientations (NaN past the last).
    public var clusterCosine: [Double]
    public init(snapshot: Int, order: [Int64], cosine: [Double], clusterCosine: [Double] = []) {
        self.snapshot = snapshot; self.order = order; self.cosine = cosine; self.clusterCosine = clusterCosine
    }
}

/// A layer's summary over time, written as attributes of its analysis group.
public struct LayerStageRecord: Sendable {
    /// p, or nil when undefined.
    public var multiplicity: Int?
    /// Snapshot positions (in the analysis' snapshot axis) of the initial stage, or nil when never condensed.
    public var initialStage: ClosedRange<Int>?
    public var initialOrientations: Int
    public var initialLines: Int
    public var initialVerdict: String
    /// Whether the stage's count held still for the settle length; why the stage ended ("" without a stage).
    public var settled: Bool
    public var endedBy: String
    /// The stage's most frequent count at each threshold, and whether they are all equal.
    public var thresholdStable: Bool
    public var countsByThreshold: [(tau: Double, orientations: Int)]
    public init(multiplicity: Int?, initialStage: ClosedRange<Int>?, initialOrientations: Int, initialLines: Int,
                initialVerdict: String, settled: Bool = false, endedBy: String = "", thresholdStable: Bool = true,
                countsByThreshold: [(tau: Double, orientations: Int)] = []) {
        self.multiplicity = multiplicity; self.initialStage = initialStage
        self.initialOrientations = initialOrientations; self.initialLines = initialLines
        self.initialVerdict = initialVerdict; self.settled = settled; self.endedBy = endedBy
        self.thresholdStable = thresholdStable; self.countsByThreshold = countsByThreshold
    }
}
