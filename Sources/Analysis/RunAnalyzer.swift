import Dispatch
import Foundation
import LinearAlgebra
import Model
import RunFormat

/// Reads a run file one chunk of snapshots at a time, summarizes every hidden layer of each snapshot in
/// parallel, and (optionally) writes the `/analysis` group. Memory: `jobs` snapshots at a time.
public final class RunAnalyzer {
    public let reader: RunReader
    /// The run's layers, with p worked out from the activation where the file does not state it.
    public let layers: [LayerDescription]
    public let options: RunAnalysisOptions
    public let positions: [Int]
    public let steps: [Int]
    private let hidden: [Int]
    private let initial: [Matrix]
    private let predictor: ResidualPredictor?
    public let predictionNote: String?

    public init(reader: RunReader, options: RunAnalysisOptions) throws {
        try options.validate()
        self.reader = reader
        self.options = options
        let layers = reader.layers.map { d in
            var d = d
            if d.kind == .hidden, d.multiplicity == nil, let spec = d.activation,
               let a = try? Activation(parsing: spec) {
                d.multiplicity = a.multiplicity.p
            }
            return d
        }
        self.layers = layers
        let count = reader.snapshotCount
        guard count > 0 else { throw AnalysisError.run("\(reader.path) holds no snapshots") }
        let all = try reader.steps()
        positions = try options.snapshots.map { list in
            for p in list where p < 0 || p >= count {
                throw AnalysisError.run("snapshot \(p) does not exist (the file holds 0…\(count - 1))")
            }
            return Array(Set(list)).sorted()
        } ?? Array(0..<count)
        steps = positions.map { all[$0] }
        let hidden = layers.indices.filter { layers[$0].kind == .hidden }
        self.hidden = hidden
        guard !hidden.isEmpty else { throw AnalysisError.run("\(reader.path) has no hidden layer to analyze") }
        initial = try hidden.map { l in
            let d = layers[l]
            return Matrix(rows: d.width, cols: d.components, elements: try reader.weights(layer: l, snapshot: 0))
        }
        do {
            predictor = try ResidualPredictor(reader: reader)
            predictionNote = nil
        } catch AnalysisError.predictionUnavailable(let reason) {
            predictor = nil
            predictionNote = reason
        }
    }

    /// Analyzes every chosen snapshot; `write` receives each snapshot's results in snapshot order, with each
    /// layer's condensed state within the series (`condensedStates`: it depends on earlier snapshots only).
    public func run(write: ((Int, [LayerSnapshotResult], [Bool]) throws -> Void)? = nil) throws -> [LayerAnalysis] {
        var analyses = hidden.map { l in
            LayerAnalysis(layer: layers[l], layerIndex: l, rows: [], condensed: [], stage: nil,
                          predictionNote: layers[l].multiplicity == 1 ? predictionNote : nil)
        }
        let saved = BLAS.threads
        if options.jobs > 1 { BLAS.threads = 1 }
        defer { BLAS.threads = saved }
        var state = [Bool](repeating: false, count: hidden.count)
        // Rows keep their per-neuron data only where a heat map may be drawn (the evenly spaced positions; the
        // initial stage's first snapshot is recomputed by `similarity(layer:position:limit:)` when needed):
        // memory stays O(width · dimension) per layer however many snapshots the series has.
        let detailed = Set(heatmapPositions(stage: nil))
        var start = 0
        while start < positions.count {
            let chunk = Array(positions[start..<min(start + options.jobs, positions.count)])
            // Reading is serial (HDF5 holds one lock); the work is parallel.
            let weights: [[Matrix]] = try chunk.map { s in
                try layers.indices.map { l in
                    let d = layers[l]
                    return Matrix(rows: d.width, cols: d.components, elements: try reader.weights(layer: l, snapshot: s))
                }
            }
            let results = try ParallelJobs.map(count: chunk.count, workers: chunk.count) { i in
                try self.analyze(position: start + i, snapshot: chunk[i], weights: weights[i])
            }
            for (i, rows) in results.enumerated() {
                for (h, row) in rows.enumerated() {
                    analyses[h].rows.append(detailed.contains(start + i) ? row : row.compacted())
                    state[h] = state[h] ? row.decision.reachesHold : row.decision.reachesEntry
                }
                try write?(start + i, rows, state)
            }
            start += chunk.count
        }
        for h in analyses.indices {
            let rows = analyses[h].rows
            let condensed = condensedStates(reachesEntry: rows.map(\.decision.reachesEntry),
                                            reachesHold: rows.map(\.decision.reachesHold))
            analyses[h].condensed = condensed
            analyses[h].stage = InitialStage(counts: rows.map(\.decision.orientations),
                                             lines: rows.map(\.decision.lines),
                                             condensed: condensed, settle: options.settle)
        }
        return analyses
    }

    /// All hidden layers of one snapshot.
    func analyze(position: Int, snapshot: Int, weights: [Matrix]) throws -> [LayerSnapshotResult] {
        let inputs = try predictor?.layerInputs(weights: weights)
        return try hidden.enumerated().map { h, l in
            let d = layers[l]
            // The next layer's columns are this layer's outgoing weights, when the layers chain.
            let chained = l + 1 < weights.count && layers[l + 1].fanIn == d.width
            let outgoing = chained ? Self.columnNorms(weights[l + 1], columns: d.width) : nil
            var direction: [Double]? = nil
            if d.multiplicity == 1, let inputs {
                direction = try predictedDirection(residuals: inputs.residuals, layerInput: inputs.layers[h])
            }
            let summary = try CondensationSummary(weights: weights[l], readout: outgoing,
                                                  multiplicity: d.multiplicity, predictedDirection: direction,
                                                  options: options.condensation)
            var counts: [ThresholdCount] = []
            for tau in options.thresholds {
                var o = options.condensation
                o.cosineThreshold = tau
                let s = tau == options.condensation.cosineThreshold ? summary
                    : try CondensationSummary(weights: weights[l], readout: outgoing, multiplicity: d.multiplicity,
                                              options: o)
                counts.append(ThresholdCount(s))
            }
            var theta: [Double]? = nil, amplitude: [Double]? = nil
            if d.fanIn == 1 {
                (theta, amplitude) = Self.polar(weights[l], outgoing: outgoing)
            }
            return LayerSnapshotResult(layerIndex: l, position: position, snapshot: snapshot, step: steps[position],
                                       summary: summary,
                                       relativeDistance: try relativeDistance(current: weights[l], initial: initial[h]),
                                       outgoing: outgoing, theta: theta, amplitude: amplitude,
                                       thresholdCounts: counts)
        }
    }

    /// The phase-diagram paper's polar features of neurons with input (w, b).
    static func polar(_ w: Matrix, outgoing: [Double]?) -> ([Double], [Double]) {
        var theta = [Double](repeating: .nan, count: w.rows), amplitude = theta
        for j in 0..<w.rows {
            let a = w[j, 0], b = w[j, 1]
            let r = (a * a + b * b).squareRoot()
            guard r.isFinite else { continue }
            theta[j] = r > 0 ? (b < 0 ? -1.0 : 1.0) * acos(max(-1, min(1, a / r))) : 0
            amplitude[j] = (outgoing.map { $0[j] } ?? 1) * r
        }
        return (theta, amplitude)
    }

    /// ‖column j‖ over the rows of the next layer, for the first `columns` columns (the bias column is not a neuron).
    static func columnNorms(_ next: Matrix, columns: Int) -> [Double] {
        (0..<columns).map { j in
            var s = 0.0
            for r in 0..<next.rows { let v = next[r, j]; s += v * v }
            return s.squareRoot()
        }
    }

    /// The snapshot positions that get a heatmap: `count` evenly spaced, plus the start of the initial stage.
    public func heatmapPositions(stage: InitialStage?) -> [Int] {
        let n = positions.count
        var chosen = Set<Int>()
        let k = min(options.heatmaps, n)
        if k == 1 { chosen.insert(n - 1) }
        if k >= 2 { for i in 0..<k { chosen.insert(Int((Double(i) * Double(n - 1) / Double(k - 1)).rounded())) } }
        if let stage, options.heatmaps > 0 { chosen.insert(stage.start) }
        return chosen.sorted()
    }

    /// The cosine-similarity record of `layer` at `position` (`LayerSnapshotResult.similarity`), recomputing the
    /// row when `run()` kept it without per-neuron data.
    public func similarity(_ layer: LayerAnalysis, position: Int, limit: Int) throws -> SimilarityRecord {
        let row = layer.rows[position]
        guard row.isCompact else {
            return row.similarity(weights: try weights(layer: layer.layerIndex, position: position), limit: limit)
        }
        let all = try layers.indices.map { try weights(layer: $0, position: position) }
        guard let full = try analyze(position: position, snapshot: positions[position], weights: all)
            .first(where: { $0.layerIndex == layer.layerIndex }) else {
            throw AnalysisError.run("layer \(layer.layer.name) is not a hidden layer")
        }
        return full.similarity(weights: all[layer.layerIndex], limit: limit)
    }

    /// Layer `l` (index into the run's layers) at snapshot position `position`.
    public func weights(layer l: Int, position: Int) throws -> Matrix {
        let d = layers[l]
        return Matrix(rows: d.width, cols: d.components, elements: try reader.weights(layer: l, snapshot: positions[position]))
    }
}
