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
        r.coveredShare = decision.coveredShare
        r.stragglerShare = decision.stragglerShare
        r.decidedThreshold = decision.tau
        r.stragglerAmplitudeShare = s.stragglerAmplitudeShare
        r.condensed = condensed
        r.thresholdOrientations = thresholdCounts.map { Int64($0.orientations) }
        r.thresholdLines = thresholdCounts.map { Int64($0.lines) }
        return r
    }

    /// The cosine-similarity matrix of the layer's input weights `w`, neurons ordered by cluster (largest
    /// first, members by index), then unclustered, then left-out neurons (NaN rows).
    public func similarity(weights w: Matrix) -> SimilarityRecord {
        let m = w.rows, d = w.cols
        let codes = labelCodes
        func rank(_ c: Int64) -> Int64 { c >= 0 ? c : Int64(Int32.max) - c }
        let order = (0..<m).sorted { (rank(codes[$0]), $0) < (rank(codes[$1]), $1) }
        var units = Matrix(rows: m, cols: d)
        for (position, j) in order.enumerated() where codes[j] >= -1 {
            let row = (0..<d).map { w[j, $0] }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for c in 0..<d { units.elements[position * d + c] = row[c] / norm }
        }
        var cosine = units.multiplied(by: units, transposingOther: true).elements
        for (position, j) in order.enumerated() where codes[j] < -1 {
            for k in 0..<m { cosine[position * m + k] = .nan; cosine[k * m + position] = .nan }
        }
        return SimilarityRecord(snapshot: snapshot, order: order.map(Int64.init), cosine: cosine)
    }
}
