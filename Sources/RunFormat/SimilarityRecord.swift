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
