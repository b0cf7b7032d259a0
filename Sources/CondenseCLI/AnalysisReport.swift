import Analysis
import Foundation
import RunFormat

/// `condense analyze --json`.
struct AnalysisReport: Encodable {
    struct Cluster: Encodable {
        var size: Int
        var share: Double
        var amplitudeShare: Double?
        var meanAngle: Double
        var fragments: Int
        var line: Int
        var condensed: Bool
        var direction: [Double]
    }
    struct Row: Encodable {
        var snapshot: Int
        var step: Int
        var kept: Int
        var nonFinite: Int
        var negligible: Int
        var unclustered: Int
        var orientations: Int
        var lines: Int
        var condensedOrientations: Int
        var condensedLines: Int
        var coveredShare: Double?
        var coverageWeighting: String
        var stragglerShare: Double
        var stragglerAmplitudeShare: Double?
        var condensed: Bool
        var verdict: String
        var decidedAtTau: Double
        var decidedOrientations: Int
        var decidedLines: Int
        var thresholdCounts: [ThresholdRow]
        var effectiveRatio: Double?
        var effectiveNumberBounds: [Int]
        var relativeDistance: Double?
        var topShare: Double?
        var predictedCosine: Double?
        var clusters: [Cluster]
    }
    struct ThresholdRow: Encodable {
        var tau: Double
        var condensedOrientations: Int
        var condensedLines: Int
        var coveredShare: Double?
    }
    struct ThresholdMode: Encodable {
        var tau: Double
        var condensedOrientations: Int
    }
    struct Stage: Encodable {
        var startStep: Int
        var endStep: Int
        var condensedOrientations: Int
        var condensedLines: Int
        var settled: Bool
        var endedBy: String
        var verdict: String
        var thresholdStable: Bool
        var orientationsByThreshold: [ThresholdMode]
    }
    struct Settings: Encodable {
        var cosineThreshold: Double
        var checkThresholds: [Double]
        var relativeNormThreshold: Double
        var minimumCondensedShare: Double
        var minimumCondensedSize: Int
        var minimumClusterSize: Int
        var minimumClusterShare: Double
        var heatmapNeurons: Int
        var chanceFactor: Double
        var enterCoverage: Double
        var holdCoverage: Double
        var coverageWeighting: String
        var settle: Int
    }
    struct Layer: Encodable {
        var name: String
        var activation: String?
        var multiplicity: Int?
        var bound: Int?
        var initialStage: Stage?
        var predictionNote: String?
        var snapshots: [Row]
    }
    var schema = AnalysisLayout.schema
    var run: String
    var settings: Settings
    var layers: [Layer]

    init(path: String, layers: [LayerAnalysis], options: RunAnalysisOptions, note: String?) {
        run = path
        let c = options.condensation
        settings = Settings(cosineThreshold: c.cosineThreshold, checkThresholds: options.robustnessThresholds,
                            relativeNormThreshold: c.relativeNormThreshold,
                            minimumCondensedShare: c.minimumCondensedShare, minimumCondensedSize: c.minimumCondensedSize,
                            minimumClusterSize: c.minimumClusterSize, minimumClusterShare: c.minimumClusterShare,
                            heatmapNeurons: options.heatmapNeurons, chanceFactor: c.chanceFactor,
                            enterCoverage: c.enterCoverage, holdCoverage: c.leaveCoverage,
                            coverageWeighting: c.coverageWeighting.rawValue, settle: options.settle)
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        self.layers = layers.map { l in
            Layer(name: l.layer.name, activation: l.layer.activation, multiplicity: l.layer.multiplicity,
                  bound: l.layer.multiplicity.map { 2 * $0 },
                  initialStage: l.stage.map { st in
                      Stage(startStep: l.rows[st.start].step, endStep: l.rows[st.end].step,
                            condensedOrientations: st.count, condensedLines: st.lines, settled: st.settled,
                            endedBy: st.endedBy.rawValue, verdict: (l.stageVerdict ?? .notCondensed).text,
                            thresholdStable: l.thresholdStable,
                            orientationsByThreshold: l.stageCountsByThreshold.map {
                                ThresholdMode(tau: $0.tau, condensedOrientations: $0.orientations)
                            })
                  },
                  predictionNote: l.predictionNote,
                  snapshots: l.rows.indices.map { i in
                      let r = l.rows[i], s = r.summary
                      return Row(snapshot: r.snapshot, step: r.step, kept: s.keptCount, nonFinite: s.nonFiniteCount,
                                 negligible: s.negligibleCount, unclustered: s.unclusteredCount,
                                 orientations: s.orientations.count, lines: s.lines.count,
                                 condensedOrientations: s.condensedOrientationCount,
                                 condensedLines: s.condensedLineCount, coveredShare: finite(s.coveredShare),
                                 coverageWeighting: s.coverageWeighting.rawValue, stragglerShare: r.decision.stragglerShare,
                                 stragglerAmplitudeShare: finite(s.stragglerAmplitudeShare), condensed: l.condensed[i],
                                 verdict: l.verdict(at: i).text, decidedAtTau: r.decision.tau,
                                 decidedOrientations: r.decision.orientations, decidedLines: r.decision.lines,
                                 thresholdCounts: r.thresholdCounts.map {
                                     ThresholdRow(tau: $0.tau, condensedOrientations: $0.orientations,
                                                  condensedLines: $0.lines, coveredShare: finite($0.coveredShare))
                                 },
                                 effectiveRatio: finite(r.effectiveRatio),
                                 effectiveNumberBounds: [s.effectiveNumber.lower, s.effectiveNumber.upper],
                                 relativeDistance: finite(r.relativeDistance), topShare: s.topShare,
                                 predictedCosine: s.predictedAlignment,
                                 clusters: s.orientations.map {
                                     Cluster(size: $0.size, share: $0.neuronShare, amplitudeShare: finite($0.amplitudeShare),
                                             meanAngle: $0.meanAngle, fragments: $0.fragments, line: $0.line, condensed: $0.isCondensed,
                                             direction: $0.direction)
                                 })
                  })
        }
    }

    func jsonString() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
