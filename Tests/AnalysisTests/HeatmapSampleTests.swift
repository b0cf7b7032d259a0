@testable import Analysis
import LinearAlgebra
import XCTest

/// Heat maps of wide layers: a bounded sample that keeps every group in proportion, and the block view.
final class HeatmapSampleTests: XCTestCase {
    func testStratifiedSampleKeepsEveryGroupInProportion() {
        // Groups (codes) of sizes 600, 300, 90, 9 and 1 unclustered (−1), in the similarity order.
        let sizes: [(Int64, Int)] = [(0, 600), (1, 300), (2, 90), (3, 9), (-1, 1)]
        var codes: [Int64] = [], ordered: [Int] = []
        for (code, n) in sizes { for _ in 0..<n { ordered.append(codes.count); codes.append(code) } }
        let sample = LayerSnapshotResult.stratifiedSample(ordered, codes: codes, limit: 100)
        XCTAssertEqual(sample.count, 100)
        XCTAssertEqual(Set(sample).count, 100)
        let counts = Dictionary(grouping: sample, by: { codes[$0] }).mapValues(\.count)
        XCTAssertEqual(counts[0], 60)
        XCTAssertEqual(counts[1], 30)
        XCTAssertEqual(counts[2], 9)
        // 0.9 and 0.1 places: the larger remainder gets the last place.
        XCTAssertEqual(counts[3], 1)
        XCTAssertNil(counts[-1])
        // The order stays grouped: codes never go back.
        XCTAssertEqual(sample.map { codes[$0] }, sample.map { codes[$0] }.sorted { a, b in
            (a < 0 ? Int64.max : a) < (b < 0 ? Int64.max : b)
        })
    }

    func testWideNoisyLayerFormsNoTinyClustersAndItsHeatmapIsBounded() throws {
        // 4000 neurons: two opposite groups of 1500 and 1000 uniform directions in D = 6. With 2 as the smallest
        // cluster, noise pairs at cos > 0.95 would each be a cluster; 0.5 % of 4000 = 20 neurons is the floor now.
        let data = Synthetic(sizes: [1500, 1500], dimension: 6, spread: 0.05, noise: 1000, antipodal: true, seed: 4)
        let w = Matrix(rows: data.count, cols: 6, elements: data.rows)
        let s = try CondensationSummary(weights: w, multiplicity: 1)
        XCTAssertEqual(s.orientations.count, 2)
        XCTAssertEqual(s.condensedOrientationCount, 2)
        XCTAssertTrue(s.orientations.allSatisfy { $0.size >= 20 })
        let row = LayerSnapshotResult(layerIndex: 0, position: 0, snapshot: 0, step: 0, summary: s, relativeDistance: 0,
                                      outgoing: nil, theta: nil, amplitude: nil, thresholdCounts: [])
        let heat = row.similarity(weights: w, limit: 500)
        XCTAssertEqual(heat.order.count, 500)
        XCTAssertEqual(heat.cosine.count, 500 * 500)
        // The block view: each orientation with itself near 1, the two opposite ones near −1.
        let k = 32
        XCTAssertGreaterThan(heat.clusterCosine[0], 0.99)
        XCTAssertLessThan(heat.clusterCosine[1], -0.99)
        XCTAssertTrue(heat.clusterCosine[2 * k + 2].isNaN)
        // Without a limit: every neuron.
        XCTAssertEqual(row.similarity(weights: w).order.count, data.count)
    }
}
