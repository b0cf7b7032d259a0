import LinearAlgebra

/// Clusters N directions in R^D into **orientations**: groups whose members point the same way
/// (signed cosine above a threshold τ), leaving outliers unclustered.
///
/// The result depends only on the *multiset of directions*, never on the order of the rows: the rows
/// are first sorted into a canonical order defined by their content (a hash of the bit patterns of
/// the normalized row, ties broken lexicographically on the bits), and every later step runs in that
/// order. Permuting the input rows therefore permutes `labels` and `clusters[k].members` accordingly
/// and leaves everything else bit-for-bit identical. Rows are normalized internally, so scaling a row
/// by a positive factor changes at most the last bits of the result (exactly nothing for powers of 2).
/// `u` and `−u` are different orientations; pairs of opposite orientations are reported as `lines`.
///
/// **Algorithm** (see `Sources/Analysis/README.md` for the reasons behind each step):
/// 1. normalize; rows that are zero or have a non-finite entry are *excluded* (label −1);
/// 2. canonical order (content hash); the first `sampleSize` rows in that order are a pseudo-random
///    subsample, independent of the input order;
/// 3. on the subsample, the neighbour graph `cos > τ` (blocked `gemm`), then *greedy leaders*: take
///    the candidate with the most remaining neighbours (ties: canonical order) as a centre, remove its
///    neighbourhood, update the counts; stop when the best count is below the minimum support;
/// 4. over all rows: assign each to the centre of largest cosine if that cosine is > τ, else −1
///    (`gemm` N×K); recompute centres as normalized means; drop clusters below `minimumSize`; merge
///    centres with cosine > τ; repeat until the labels stop changing (at most `maximumIterations`);
/// 5. if step 3 saw only a subsample, repeat 3–4 on the still unassigned rows (at most
///    `maximumPasses` passes) so that clusters missed by the subsample are found;
/// 6. clusters sorted by size (descending), ties by their first member in canonical order.
///
/// Cost: O(N·D + N log N) for normalizing and ordering, O(S²·D) for the subsample's neighbour graph
/// (S ≤ `sampleSize`), O(N·K·D) per refinement iteration. Memory: O(N·D + S²) in the worst case.
public struct SphereClustering: Sendable {
    /// Tuning knobs; the defaults are those of the condensation analysis.
    public struct Options: Sendable, Equatable {
        /// τ: two directions are "the same orientation" when their cosine is **strictly** greater than
        /// τ. 0.95 (≈ 18.2°) is the threshold of the effective-neuron-number definition (Zhang & Xu),
        /// which that paper reports as insensitive.
        public var cosineThreshold: Double
        /// Clusters with fewer members are dissolved (members labelled −1). 2: a single neuron is not a
        /// cluster.
        public var minimumSize: Int
        /// S: the neighbour graph is built on at most this many rows (cost S²·D, memory ≤ S² indices).
        /// Layers up to this width are clustered exactly (no subsampling).
        public var sampleSize: Int
        /// Caps S further so that the neighbour graph costs at most about this many multiply-adds
        /// (S²·D ≤ budget, S ≥ 256): 5·10⁸ keeps S = 2000 up to D = 125 and gives S = 706 at D = 1001.
        public var neighbourBudget: Double
        /// Cap on assign/recompute iterations per pass (each costs one N×K `gemm`).
        public var maximumIterations: Int
        /// Cap on leader passes; passes after the first only run when the previous one subsampled.
        public var maximumPasses: Int

        public init(cosineThreshold: Double = 0.95, minimumSize: Int = 2, sampleSize: Int = 2000,
                    neighbourBudget: Double = 5e8, maximumIterations: Int = 20, maximumPasses: Int = 3) {
            self.neighbourBudget = neighbourBudget
            self.cosineThreshold = cosineThreshold
            self.minimumSize = minimumSize
            self.sampleSize = sampleSize
            self.maximumIterations = maximumIterations
            self.maximumPasses = maximumPasses
        }
    }

    /// One orientation cluster.
    public struct Cluster: Sendable, Equatable {
        /// Number of members.
        public var size: Int
        /// Unit mean direction of the members.
        public var direction: [Double]
        /// Length of the mean of the member unit vectors, in (0, 1]: 1 means all members coincide.
        public var meanResultantLength: Double
        /// Mean angle (radians) between the members and `direction`.
        public var meanAngle: Double
        /// Largest angle (radians) between a member and `direction`.
        public var maxAngle: Double
        /// Row indices of the members, ascending.
        public var members: [Int]
    }

    /// A line: one orientation cluster, or two whose directions are nearly opposite (cos < −τ).
    public struct Line: Sendable, Equatable {
        /// Total members of its orientation clusters.
        public var size: Int
        /// Unit direction, sign chosen canonically: its entry of largest magnitude (first such) is positive.
        public var direction: [Double]
        /// Indices into `clusters` of its one or two orientations, the larger first.
        public var orientations: [Int]
        /// For each of `orientations`: +1 if the orientation points along `direction`, −1 if against it.
        public var signs: [Double]
        /// Mean and largest angle (radians) between the sign-aligned members and `direction`.
        public var meanAngle: Double
        public var maxAngle: Double
    }

    /// Bounds on the effective neuron number m_eff: the least number of directions such that every
    /// clustered-or-not valid row has cosine > τ with one of them (Zhang & Xu, Def. 2).
    public struct EffectiveNumber: Sendable, Equatable {
        /// A valid lower bound: a greedy packing of rows pairwise at angle ≥ 2·arccos τ (no single
        /// direction can cover two of them).
        public var lower: Int
        /// A valid upper bound: the cluster directions plus a greedy set cover (by rows) of the rows
        /// they do not cover.
        public var upper: Int
    }

    public let options: Options
    public let count: Int
    public let dimension: Int
    /// Per row: index into `clusters`, or −1 (unclustered or excluded).
    public let labels: [Int]
    /// Orientation clusters, largest first.
    public let clusters: [Cluster]
    /// Lines built from `clusters`, largest first (ties: their first orientation).
    public let lines: [Line]
    /// Per cluster: index into `lines`.
    public let lineOfCluster: [Int]
    /// Rows that are zero or have a non-finite entry (label −1), ascending.
    public let excluded: [Int]
    /// Valid rows in no cluster.
    public let unclusteredCount: Int
    /// Bounds on m_eff over the valid rows (0...0 when there are none).
    public let effectiveNumber: EffectiveNumber

    /// Number of valid (non-zero, finite) rows.
    public var validCount: Int { count - excluded.count }

    /// Clusters `count` rows of length `dimension` stored row-major in `rows`.
    public init(rows: UnsafeBufferPointer<Double>, count: Int, dimension: Int, options: Options = Options()) {
        precondition(count >= 0 && dimension >= 1, "SphereClustering: need count ≥ 0 and dimension ≥ 1")
        precondition(rows.count >= count * dimension, "SphereClustering: buffer holds \(rows.count) values, need \(count * dimension)")
        precondition(options.minimumSize >= 1 && options.sampleSize >= 1 && options.maximumIterations >= 1
                     && options.maximumPasses >= 1 && options.cosineThreshold.isFinite && options.neighbourBudget > 0
                     && options.cosineThreshold < 1,
                     "SphereClustering: invalid options \(options)")
        self.options = options
        self.count = count
        self.dimension = dimension
        let canonical = CanonicalRows(rows: rows, count: count, dimension: dimension)
        var engine = ClusteringEngine(rows: canonical, options: options)
        engine.run()
        let result = engine.finish()
        labels = result.labels
        clusters = result.clusters
        lines = result.lines
        lineOfCluster = result.lineOfCluster
        excluded = canonical.excluded
        unclusteredCount = canonical.n - result.clusters.reduce(0) { $0 + $1.size }
        effectiveNumber = result.effective
    }

    /// Clusters the rows of `matrix`.
    public init(_ matrix: Matrix, options: Options = Options()) {
        self = matrix.elements.withUnsafeBufferPointer {
            SphereClustering(rows: $0, count: matrix.rows, dimension: max(1, matrix.cols), options: options)
        }
    }

    /// Clusters `count` rows of length `dimension` stored row-major in `rows`.
    public init(rows: [Double], count: Int, dimension: Int, options: Options = Options()) {
        self = rows.withUnsafeBufferPointer {
            SphereClustering(rows: $0, count: count, dimension: dimension, options: options)
        }
    }
}
