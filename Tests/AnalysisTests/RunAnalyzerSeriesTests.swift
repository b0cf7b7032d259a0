@testable import Analysis
import Foundation
import Model
import RunFormat
import XCTest

/// `RunAnalyzer` in process, on a run file with planted snapshots: the initial stage waits for the count to settle,
/// and the hysteresis keeps a layer whose covered share wanders between 0.6 and 0.7 condensed.
final class RunAnalyzerSeriesTests: XCTestCase {
    /// 50 unit rows in R^6: `groups` planted (tight, 0.02 rad), then random stragglers up to 50.
    func rows(_ groups: [Int], antipodal: Bool, seed: UInt64) -> [Double] {
        let planted = Synthetic(sizes: groups, dimension: 6, spread: 0.02, noise: 50 - groups.reduce(0, +),
                                antipodal: antipodal, seed: seed)
        var r = planted.rows
        for i in 0..<50 {   // unit norms, so that the amplitude of neuron j is its readout |a_j|
            let n = (0..<6).map { r[i * 6 + $0] }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for c in 0..<6 { r[i * 6 + c] /= n }
        }
        return r
    }

    /// Step 0: random. Step 10: three separate groups (20/15/15). Steps 20-60: one line of 40 neurons (20/20)
    /// and 10 stragglers whose readout makes the covered share 0.70, 0.60, 0.70, 0.60, 0.70.
    func writePlantedSeries(in dir: URL) throws -> String {
        let layers = [
            LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 5, width: 50, hasBias: true,
                             activation: "tanh", multiplicity: 1),
            LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 50, width: 1, hasBias: false),
        ]
        let path = dir.appendingPathComponent("run.h5").path
        let writer = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: nil, seed: nil,
                                          lossKind: "half_sum", train: nil, test: nil)
        func readout(covered: Double) -> [Double] {
            let r = 40 * (1 - covered) / (10 * covered)
            return (0..<50).map { $0 < 40 ? 1 : r } + [0]   // the readout's (unused) bias column last
        }
        let snapshots: [([Double], [Double])] = [
            (rows([], antipodal: false, seed: 1), [Double](repeating: 1, count: 50) + [0]),
            (rows([20, 15, 15], antipodal: false, seed: 2), [Double](repeating: 1, count: 50) + [0]),
        ] + [0.70, 0.60, 0.70, 0.60, 0.70].enumerated().map { i, c in (rows([20, 20], antipodal: true, seed: 3), readout(covered: c)) }
        try writer.writePlanted(snapshots.map { (hidden: $0.0, readout: $0.1) }, learningRate: 1e-3)
        return path
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("series-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testStageWaitsForTheCountToSettleAndHysteresisHoldsIt() throws {
        let path = try writePlantedSeries(in: try temporaryDirectory())
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        let layer = try XCTUnwrap(try RunAnalyzer(reader: reader, options: RunAnalysisOptions(jobs: 1)).run().first)
        XCTAssertEqual(layer.rows.map(\.decision.orientations), [0, 3, 2, 2, 2, 2, 2])
        for (i, share) in [0.70, 0.60, 0.70, 0.60, 0.70].enumerated() {
            XCTAssertEqual(layer.rows[i + 2].summary.coveredShare, share, accuracy: 1e-9)
        }
        // 0.60 is below the entry level but above the hold level: the layer stays condensed throughout.
        XCTAssertEqual(layer.condensed, [false, true, true, true, true, true, true])
        XCTAssertFalse(layer.rows[3].summary.reachesEntry)
        // The stage starts where the count has settled (step 20), not at the first condensed snapshot (step 10).
        let stage = try XCTUnwrap(layer.stage)
        XCTAssertEqual(layer.rows[stage.start].step, 20)
        XCTAssertEqual(stage.end, 6)
        XCTAssertEqual(stage.count, 2)
        XCTAssertEqual(stage.lines, 1)
        XCTAssertTrue(stage.settled)
        XCTAssertEqual(stage.endedBy, .endOfSeries)
        XCTAssertEqual(layer.stageVerdict, .condensedWithinBound)
        XCTAssertTrue(layer.thresholdStable)
        XCTAssertEqual(layer.verdict(at: 1), .exceedsBound, "the mid-collapse snapshot, before the stage")
        XCTAssertEqual((2...6).map { layer.verdict(at: $0) }, Array(repeating: .condensedWithinBound, count: 5))
    }

    func testRowsKeepPerNeuronDataOnlyWhereAHeatMapMayBeDrawnAndTheRestIsRecomputedAlike() throws {
        let path = try writePlantedSeries(in: try temporaryDirectory())
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        // Two heat maps: positions 0 and 6 keep their neurons; the stage starts at 2, a compact row.
        let analyzer = try RunAnalyzer(reader: reader, options: RunAnalysisOptions(heatmaps: 2, jobs: 1))
        let layer = try XCTUnwrap(try analyzer.run().first)
        XCTAssertEqual(layer.rows.map(\.isCompact), [false, true, true, true, true, true, false])
        XCTAssertTrue(layer.rows[3].summary.labels.isEmpty)
        XCTAssertTrue(layer.rows[3].summary.orientations.allSatisfy { $0.members.isEmpty })
        XCTAssertEqual(analyzer.heatmapPositions(stage: layer.stage), [0, 2, 6])
        // Every heat map position keeps all its neurons' data (7 heat maps: every row), and the compact rows'
        // counts, shares and directions are those of the full rows.
        let full = try XCTUnwrap(try RunAnalyzer(reader: reader, options: RunAnalysisOptions(heatmaps: 7, jobs: 1)).run().first)
        XCTAssertFalse(full.rows.contains(where: \.isCompact))
        for (a, b) in zip(layer.rows, full.rows) {
            XCTAssertEqual(a.decision, b.decision)
            XCTAssertEqual(a.summary.orientations.map(\.direction), b.summary.orientations.map(\.direction))
            XCTAssertEqual(a.summary.orientations.map(\.size), b.summary.orientations.map(\.size))
            XCTAssertEqual(a.effectiveRatio, b.effectiveRatio)
        }
        XCTAssertEqual(layer.condensed, full.condensed)
        XCTAssertEqual(layer.stage, full.stage)
        // The stage's first snapshot, compact in the run, gives the same heat map as the full row.
        let recomputed = try analyzer.similarity(layer, position: 2, limit: 0)
        let direct = full.rows[2].similarity(weights: try analyzer.weights(layer: 0, position: 2))
        XCTAssertEqual(recomputed.order, direct.order)
        XCTAssertEqual(recomputed.cosine.count, direct.cosine.count)
        XCTAssertTrue(zip(recomputed.cosine, direct.cosine).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        XCTAssertEqual(recomputed.order.count, 50)
    }
}
