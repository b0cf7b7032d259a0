import Foundation
import LinearAlgebra

/// The orientations and lines of one layer at one snapshot, judged against the bound 2p.
public struct CondensationSummary: Sendable {
    /// An orientation: a block of neurons around one direction (one cluster of the sphere clustering, or
    /// several that touch; see `OrientationBlocks`).
    public struct OrientationGroup: Sendable, Equatable {
        public var size: Int
        /// size / kept neurons.
        public var neuronShare: Double
        /// Amplitude of the members / amplitude of the kept neurons (NaN when that total is 0 or not finite).
        public var amplitudeShare: Double
        /// Unit mean direction in R^{fanIn+1} (weights, then bias).
        public var direction: [Double]
        /// Mean and largest angle (radians) of the members to `direction`.
        public var meanAngle: Double
        public var maxAngle: Double
        /// Neuron (row) indices, ascending.
        public var members: [Int]
        /// Clusters of the sphere clustering joined in this orientation (1 unless a loose group was cut).
        public var fragments: Int
        /// Index into `lines`.
        public var line: Int
        /// share ≥ `minimumCondensedShare`, size ≥ `minimumCondensedSize`, and unlike a chance cluster
        /// (`CondensationOptions.chanceFactor`) of its own radius.
        public var isCondensed: Bool
    }

    /// A line: one orientation, or two opposite ones.
    public struct LineGroup: Sendable, Equatable {
        public var size: Int
        public var neuronShare: Double
        public var amplitudeShare: Double
        /// Unit direction, sign canonical (largest-magnitude entry positive).
        public var direction: [Double]
        public var meanAngle: Double
        public var maxAngle: Double
        /// Indices into `orientations`, and +1/−1 for along/against `direction`.
        public var orientations: [Int]
        public var signs: [Double]
        /// Holds at least one condensed orientation.
        public var isCondensed: Bool
    }

    public let options: CondensationOptions
    /// Neurons (rows) and their input dimension fanIn + 1.
    public let width: Int
    public let inputDimension: Int
    public let keptCount: Int
    public let nonFiniteCount: Int
    public let negligibleCount: Int
    /// Per neuron: how `normalizeRows` classified it.
    public private(set) var neurons: [NeuronStatus]
    /// Per neuron: index into `orientations`, or −1 (unclustered, negligible or non-finite).
    public private(set) var labels: [Int]
    /// Orientations, largest first (ties broken by content, so independent of neuron order).
    public private(set) var orientations: [OrientationGroup]
    /// Lines, largest first.
    public let lines: [LineGroup]
    /// Kept neurons in no orientation.
    public let unclusteredCount: Int
    public let condensedOrientationCount: Int
    public let condensedLineCount: Int
    /// Share of the kept neurons, and of their amplitude (NaN when undefined), in condensed orientations.
    public let condensedNeuronShare: Double
    public let condensedAmplitudeShare: Double
    /// Stragglers: kept neurons outside every condensed orientation, as a share of the kept neurons
    /// (1 − `condensedNeuronShare`) and of their amplitude (NaN when undefined).
    public var stragglerShare: Double { keptCount == 0 ? 0 : 1 - condensedNeuronShare }
    public var stragglerAmplitudeShare: Double { condensedAmplitudeShare.isNaN ? .nan : 1 - condensedAmplitudeShare }
    /// The weighting the coverage rule actually used (amplitude falls back to neurons when the
    /// total amplitude is 0 or not finite) and the covered share it found.
    public let coverageWeighting: CondensationOptions.Weighting
    public let coveredShare: Double
    /// Whether the covered share reaches the entry level (`reachesEntry`) and the level a condensed layer
    /// must keep (`reachesHold`); both false when no neuron is kept. A snapshot judged alone is condensed
    /// when it reaches the entry level; in a series, `ConditionSeries` applies the hysteresis.
    public let reachesEntry: Bool
    public let reachesHold: Bool
    /// The snapshot judged alone: `reachesEntry`.
    public var isCondensed: Bool { reachesEntry }
    /// The activation's multiplicity p (nil when undefined) and the bound 2p.
    public let multiplicity: Int?
    public var bound: Int? { multiplicity.map { 2 * $0 } }
    /// The verdict of the snapshot judged alone; `verdict(condensed:)` for its state within a series.
    public var verdict: CondensationVerdict { verdict(condensed: isCondensed) }
    public func verdict(condensed: Bool) -> CondensationVerdict {
        CondensationVerdict(condensed: condensed, orientations: condensedOrientationCount, multiplicity: multiplicity)
    }
    /// Share of the kept neurons in the 2p largest orientations (nil without p or kept neurons).
    public let topShare: Double?
    /// Bounds on m_eff over the kept neurons (see `SphereClustering.EffectiveNumber`).
    public let effectiveNumber: SphereClustering.EffectiveNumber
    /// m_eff / kept: `effectiveRatio.upper` is the reported (conservative) value; nil when nothing is kept.
    public var effectiveRatio: (lower: Double, upper: Double)? {
        keptCount == 0 ? nil
            : (Double(effectiveNumber.lower) / Double(keptCount), Double(effectiveNumber.upper) / Double(keptCount))
    }
    /// |cos| between the given predicted direction and the largest line (nil without either).
    public let predictedAlignment: Double?

    /// Whether the per-neuron data (`neurons`, `labels`, each orientation's `members`) was dropped.
    public private(set) var isCompact = false

    /// The same summary without its per-neuron data: every count, share, direction and angle stays. A series of
    /// thousands of snapshots of a wide layer keeps these, so that an analysis' memory does not grow with the
    /// number of snapshots times the width.
    public func compacted() -> CondensationSummary {
        var c = self
        c.neurons = []
        c.labels = []
        for i in c.orientations.indices { c.orientations[i].members = [] }
        c.isCompact = true
        return c
    }

    /// Summarizes a layer.
    ///
    /// - Parameters:
    ///   - weights: width × (fanIn + 1): row j is neuron j's input weights followed by its bias.
    ///   - readout: per neuron, its outgoing weight a_j (for several outputs or a deeper layer, the
    ///     norm of its outgoing weights); amplitude = |a_j|·‖w_j‖. Without it amplitude = ‖w_j‖.
    ///   - multiplicity: p of the activation, nil when undefined (e.g. ReLU).
    ///   - predictedDirection: a direction in R^{fanIn+1} (e.g. `predictedDirection(residuals:layerInput:)`)
    ///     to compare with the largest line.
    /// - Throws: `AnalysisError` when the readout or predicted direction do not fit, p < 1, or an
    ///   option is out of range.
    public init(weights: Matrix, readout: [Double]? = nil, multiplicity: Int?,
                predictedDirection: [Double]? = nil, options: CondensationOptions = CondensationOptions()) throws {
        try options.validate()
        let m = weights.rows, dim = weights.cols
        if let readout, readout.count != m {
            throw AnalysisError.shape("readout has \(readout.count) entries for a layer of width \(m)")
        }
        if let predictedDirection, predictedDirection.count != dim {
            throw AnalysisError.shape("predicted direction has \(predictedDirection.count) entries, the layer's inputs \(dim)")
        }
        if let p = multiplicity, p < 1 { throw AnalysisError.option("multiplicity \(p) must be ≥ 1 (or nil when undefined)") }
        if dim < 1 { throw AnalysisError.shape("layer has no input weights (\(m)×0)") }
        self.options = options
        self.width = m
        self.inputDimension = dim
        self.multiplicity = multiplicity

        var units = weights.elements
        let kinds = units.withUnsafeMutableBufferPointer {
            normalizeRows($0, count: m, dimension: dim, relativeThreshold: options.relativeNormThreshold)
        }
        neurons = kinds
        var kept = 0, nonFinite = 0, negligible = 0
        var amplitude = [Double](repeating: 0, count: m)
        for (j, kind) in kinds.enumerated() {
            switch kind {
            case .kept(let norm):
                kept += 1
                amplitude[j] = readout.map { abs($0[j]) * norm } ?? norm
            case .nonFinite: nonFinite += 1
            case .negligible: negligible += 1
            }
        }
        keptCount = kept; nonFiniteCount = nonFinite; negligibleCount = negligible

        let clustering = SphereClustering(rows: units, count: m, dimension: dim,
                                          options: .init(cosineThreshold: options.cosineThreshold,
                                                         minimumSize: options.clusterSize(kept: kept),
                                                         sampleSize: options.sampleSize))
        effectiveNumber = clustering.effectiveNumber
        let blocks = OrientationBlocks(units: units, dimension: dim, clusters: clustering.clusters,
                                       cosine: options.cosineThreshold)

        // Sums of amplitudes and angles run in ascending order of value, so they do not depend on neuron order.
        func orderedSum(_ values: [Double]) -> Double { values.sorted().reduce(0, +) }
        let totalAmplitude = orderedSum(amplitude)
        let amplitudeDefined = totalAmplitude > 0 && totalAmplitude.isFinite
        func shares(_ members: [Int]) -> (Double, Double) {
            let neuronShare = kept == 0 ? 0 : Double(members.count) / Double(kept)
            let a = amplitudeDefined ? orderedSum(members.map { amplitude[$0] }) / totalAmplitude : .nan
            return (neuronShare, a)
        }
        func angles(_ members: [Int], to direction: [Double], signs: [Double]? = nil) -> (mean: Double, max: Double) {
            let a = members.enumerated().map { i, j in
                var c = 0.0
                for k in 0..<dim { c += units[j * dim + k] * direction[k] }
                return acos(max(-1, min(1, (signs?[i] ?? 1) * c)))
            }
            return a.isEmpty ? (0, 0) : (orderedSum(a) / Double(a.count), a.max()!)
        }
        let capRadius = acos(options.cosineThreshold)
        var groups: [OrientationGroup] = []
        var labels = [Int](repeating: -1, count: m)
        for (b, parts) in blocks.blocks.enumerated() {
            let clusters = parts.map { clustering.clusters[$0] }
            let members = clusters.flatMap(\.members).sorted()
            for j in members { labels[j] = b }
            let direction = clusters.count == 1 ? clusters[0].direction : OrientationBlocks.meanDirection(clusters)
            let (meanAngle, maxAngle) = clusters.count == 1 ? (clusters[0].meanAngle, clusters[0].maxAngle)
                : angles(members, to: direction)
            let (ns, a) = shares(members)
            // Unlike chance: against what uniform directions put into a cap of the block's own radius (the
            // threshold cap for one cluster, wider for joined fragments).
            let radius = max(capRadius, maxAngle)
            var unlikeChance = true
            if options.chanceFactor > 0 && dim >= 2 {
                let cosine = max(-1 + 1e-12, cos(radius))
                let chanceShare = options.chanceFactor * ChanceLevel.capFraction(dimension: dim, cosine: cosine)
                let chanceAngle = ChanceLevel.meanAngleInCap(dimension: dim, cosine: cosine) / options.chanceFactor
                unlikeChance = ns >= chanceShare || meanAngle <= chanceAngle
            }
            groups.append(OrientationGroup(
                size: members.count, neuronShare: ns, amplitudeShare: a, direction: direction,
                meanAngle: meanAngle, maxAngle: maxAngle, members: members, fragments: clusters.count,
                line: blocks.lineOfBlock[b],
                isCondensed: ns >= options.minimumCondensedShare && members.count >= options.minimumCondensedSize
                    && unlikeChance))
        }
        self.labels = labels
        unclusteredCount = kept - groups.reduce(0) { $0 + $1.size }
        orientations = groups
        lines = blocks.lines.map { line in
            let members = line.blocks.flatMap { groups[$0].members }
            let memberSigns = line.blocks.enumerated().flatMap { i, b in
                Array(repeating: line.signs[i], count: groups[b].size)
            }
            var direction = OrientationBlocks.meanDirection(
                line.blocks.flatMap { b in blocks.blocks[b].map { clustering.clusters[$0] } },
                signs: line.blocks.enumerated().flatMap { i, b in
                    Array(repeating: line.signs[i], count: blocks.blocks[b].count)
                })
            // Sign canonical: the largest-magnitude entry positive.
            var signs = line.signs
            if let big = direction.indices.max(by: { abs(direction[$0]) < abs(direction[$1]) }), direction[big] < 0 {
                direction = direction.map { -$0 }
                signs = signs.map { -$0 }
            }
            let flip = signs[0] == line.signs[0] ? 1.0 : -1.0
            let (meanAngle, maxAngle) = angles(members, to: direction, signs: memberSigns.map { $0 * flip })
            let (ns, a) = shares(members)
            return LineGroup(size: members.count, neuronShare: ns, amplitudeShare: a, direction: direction,
                             meanAngle: meanAngle, maxAngle: maxAngle, orientations: line.blocks,
                             signs: signs, isCondensed: line.blocks.contains { groups[$0].isCondensed })
        }
        let condensed = groups.filter(\.isCondensed)
        condensedOrientationCount = condensed.count
        condensedLineCount = lines.filter(\.isCondensed).count
        (condensedNeuronShare, condensedAmplitudeShare) = shares(condensed.flatMap(\.members))
        let weighting: CondensationOptions.Weighting =
            options.coverageWeighting == .amplitude && amplitudeDefined ? .amplitude : .neurons
        coverageWeighting = weighting
        coveredShare = weighting == .amplitude ? condensedAmplitudeShare : condensedNeuronShare
        // A tiny tolerance so that a level reached exactly by a sum of shares is not lost to rounding.
        reachesEntry = kept > 0 && coveredShare >= options.enterCoverage - 1e-12
        reachesHold = kept > 0 && coveredShare >= options.leaveCoverage - 1e-12

        if let p = multiplicity, kept > 0 {
            topShare = Double(groups.prefix(2 * p).reduce(0) { $0 + $1.size }) / Double(kept)
        } else {
            topShare = nil
        }
        if let v = predictedDirection, let line = lines.first {
            let nv = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            predictedAlignment = nv > 0 && nv.isFinite ? abs(zip(v, line.direction).reduce(0) { $0 + $1.0 * $1.1 }) / nv : nil
        } else {
            predictedAlignment = nil
        }
    }
}
