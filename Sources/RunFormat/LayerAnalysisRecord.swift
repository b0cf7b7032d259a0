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
