import LinearAlgebra
import RunFormat

extension CondensationVerdict {
    /// The words the terminal table and the `/analysis/*/verdict` dataset use.
    public var text: String {
        switch self {
        case .notCondensed: return "not condensed"
        case .condensedWithinBound: return "condensed within bound"
        case .exceedsBound: return "exceeds bound"
        case .boundUndefined: return "bound undefined"
        }
    }
}

extension LayerSnapshotResult {
    /// Effective ratio m_eff/m from the clustering's upper bound on m_eff, over kept neurons.
    public var effectiveRatio: Double {
        summary.keptCount == 0 ? .nan : Double(summary.effectiveNumber.upper) / Double(summary.keptCount)
    }

    /// Per-neuron codes: cluster id, −1 unclustered, −2 non-finite, −3 negligible.
    public var labelCodes: [Int64] {
        zip(summary.neurons, summary.labels).map { kind, label in
            switch kind {
            case .nonFinite: return LayerAnalysisRecord.nonFinite
            case .negligible: return LayerAnalysisRecord.negligible
            case .kept: return Int64(label)
            }
        }
    }

    /// The values the `/analysis` group stores; `condensed` is the layer's state within the series.
    public func record(condensed: Bool) -> LayerAnalysisRecord {
        let s = summary, decision = self.decision
        let codes = labelCodes
        let lineCodes = codes.map { c in c >= 0 ? Int64(s.orientations[Int(c)].line) : c }
        let top = s.orientations.prefix(AnalysisLayout.maxClusters)
        var r = LayerAnalysisRecord(
            labels: codes, lineLabels: lineCodes, kept: s.keptCount, nonFiniteCount: s.nonFiniteCount,
            negligibleCount: s.negligibleCount, unclusteredCount: s.unclusteredCount,
            orientations: s.orientations.count, lines: s.lines.count,
            condensedOrientations: decision.orientations, condensedLines: decision.lines,
            verdict: CondensationVerdict(condensed: condensed, orientations: decision.orientations,
                                         multiplicity: s.multiplicity).text, effectiveRatio: effectiveRatio, relativeDistance: relativeDistance,
            topShare: s.topShare ?? .nan, predictedCosine: s.predictedAlignment ?? .nan,
            clusterSize: top.map { Int64($0.size) }, clusterShare: top.map(\.neuronShare),
            clusterAmplitudeShare: top.map(\.amplitudeShare), clusterMeanAngle: top.map(\.meanAngle),
            clusterDirection: top.flatMap(\.direction), theta: theta, amplitude: amplitude)
        r.clusterCondensed = top.map { $0.isCondensed ? 1 : 0 }
        r.clusterLine = top.map { Int64($0.line) }
        r.coveredShare = decision.coveredShare
        r.stragglerShare = decision.stragglerShare
        r.decidedThreshold = decision.tau
        r.stragglerAmplitudeShare = s.stragglerAmplitudeShare
        r.condensed = condensed
        r.thresholdOrientations = thresholdCounts.map { Int64($0.orientations) }
        r.thresholdLines = thresholdCounts.map { Int64($0.lines) }
        return r
    }

    /// The cosine-similarity matrix of the layer's input weights `w` for a heat map: neurons ordered by
    /// orientation (largest first, members by index), then unclustered, then left-out neurons (NaN rows). A layer
    /// wider than `limit` (> 0) is shown by `limit` neurons: each orientation, the unclustered and the left-out
    /// neurons keep a share of the places proportional to their size (largest remainders first, at least one
    /// each while places last), members taken evenly spaced in index order. Also the orientation-by-orientation
    /// mean cosine (the block view, exact whatever the sample).
    public func similarity(weights w: Matrix, limit: Int = 0) -> SimilarityRecord {
        let m = w.rows, d = w.cols
        let codes = labelCodes
        func rank(_ c: Int64) -> Int64 { c >= 0 ? c : Int64(Int32.max) - c }
        let ordered = (0..<m).sorted { (rank(codes[$0]), $0) < (rank(codes[$1]), $1) }
        let order = limit > 0 && limit < m ? Self.stratifiedSample(ordered, codes: codes, limit: limit) : ordered
        let n = order.count
        var units = Matrix(rows: n, cols: d)
        for (position, j) in order.enumerated() where codes[j] >= -1 {
            let row = (0..<d).map { w[j, $0] }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for c in 0..<d { units.elements[position * d + c] = row[c] / norm }
        }
        var cosine = units.multiplied(by: units, transposingOther: true).elements
        for (position, j) in order.enumerated() where codes[j] < -1 {
            for k in 0..<n { cosine[position * n + k] = .nan; cosine[k * n + position] = .nan }
        }
        // Mean cosine between orientations A and B = (mean unit vector of A) · (mean unit vector of B).
        let top = summary.orientations.prefix(AnalysisLayout.maxClusters)
        let means: [[Double]] = top.map { o in
            var s = [Double](repeating: 0, count: d)
            for j in o.members {
                let row = (0..<d).map { w[j, $0] }
                let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for c in 0..<d { s[c] += row[c] / norm }
            }
            return s.map { $0 / Double(max(1, o.size)) }
        }
        let k = AnalysisLayout.maxClusters
        var blocks = [Double](repeating: .nan, count: k * k)
        for a in means.indices {
            for b in means.indices { blocks[a * k + b] = zip(means[a], means[b]).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        return SimilarityRecord(snapshot: snapshot, order: order.map(Int64.init), cosine: cosine, clusterCosine: blocks)
    }

    /// `limit` of the neurons in `ordered` (grouped by code), each group keeping places in proportion to its size.
    static func stratifiedSample(_ ordered: [Int], codes: [Int64], limit: Int) -> [Int] {
        var groups: [[Int]] = []
        for j in ordered {
            if let last = groups.last?.last, codes[last] == codes[j] { groups[groups.count - 1].append(j) } else { groups.append([j]) }
        }
        let total = Double(ordered.count)
        var places = groups.map { Int((Double($0.count) * Double(limit) / total).rounded(.down)) }
        var left = limit - places.reduce(0, +)
        // Largest remainders first (ties: the earlier group), so that small groups are not dropped.
        let remainders = groups.indices.sorted {
            let ra = Double(groups[$0].count) * Double(limit) / total - Double(places[$0])
            let rb = Double(groups[$1].count) * Double(limit) / total - Double(places[$1])
            return (ra, -$0) > (rb, -$1)
        }
        for g in remainders where left > 0 && places[g] < groups[g].count { places[g] += 1; left -= 1 }
        return groups.indices.flatMap { g -> [Int] in
            let members = groups[g], take = places[g]
            guard take > 0 else { return [] }
            return (0..<take).map { members[$0 * members.count / take] }
        }
    }
}
