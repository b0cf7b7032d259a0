@testable import Analysis
import LinearAlgebra
import Model
import XCTest

final class SphereClusteringTests: XCTestCase {
    private func cosine(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            / (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
    }

    /// The cluster whose direction is closest to each true centre must be unique and aligned.
    private func assertRecovers(_ data: Synthetic, _ result: SphereClustering, file: StaticString = #filePath,
                                line: UInt = #line) {
        XCTAssertEqual(result.clusters.count, data.centres.count, "D = \(data.dimension)", file: file, line: line)
        XCTAssertEqual(adjustedRandIndex(result.labels, data.truth), 1, accuracy: 1e-12,
                       "D = \(data.dimension)", file: file, line: line)
        for centre in data.centres {
            let best = result.clusters.map { cosine($0.direction, centre) }.max() ?? -1
            XCTAssertGreaterThan(best, 0.99, file: file, line: line)
        }
        for cluster in result.clusters {
            XCTAssertEqual(cosine(cluster.direction, cluster.direction), 1, accuracy: 1e-12, file: file, line: line)
            XCTAssertLessThanOrEqual(cluster.maxAngle, 0.2, file: file, line: line)
            XCTAssertLessThanOrEqual(cluster.meanAngle, cluster.maxAngle, file: file, line: line)
            XCTAssertEqual(cluster.members.count, cluster.size, file: file, line: line)
        }
    }

    func testRecoversWellSeparatedClustersFromD2ToD1001() {
        for (i, d) in [2, 3, 6, 50, 1001].enumerated() {
            let sizes = d == 2 ? [40, 35, 30, 25, 20] : [60, 50, 40, 30, 20]
            let data = Synthetic(sizes: sizes, dimension: d, spread: 0.1, seed: UInt64(10 + i))
            let result = SphereClustering(rows: data.rows, count: data.count, dimension: d)
            assertRecovers(data, result)
            XCTAssertEqual(result.clusters.map(\.size), sizes)
            XCTAssertEqual(result.lines.count, 5)
            XCTAssertEqual(result.unclusteredCount, 0)
            XCTAssertEqual(result.effectiveNumber, .init(lower: 5, upper: 5), "D = \(d)")
        }
    }

    func testAntipodalPairsGiveTwoOrientationsPerLine() {
        for (i, d) in [2, 5, 40].enumerated() {
            let sizes = [50, 45, 40, 35, 30, 25]
            let data = Synthetic(sizes: sizes, dimension: d, spread: 0.08, antipodal: true, seed: UInt64(20 + i))
            let result = SphereClustering(rows: data.rows, count: data.count, dimension: d)
            assertRecovers(data, result)
            XCTAssertEqual(result.lines.count, 3, "D = \(d)")
            XCTAssertEqual(result.lines.map(\.size), [95, 75, 55])
            for line in result.lines {
                XCTAssertEqual(line.orientations.count, 2)
                XCTAssertEqual(line.signs[0], -line.signs[1])
                XCTAssertLessThan(line.orientations[0], line.orientations[1])
                // Canonical sign: the largest-magnitude entry is positive.
                let big = line.direction.map(abs).max()!
                XCTAssertTrue(line.direction.contains(big))
                for (c, s) in zip(line.orientations, line.signs) {
                    XCTAssertGreaterThan(s * cosine(result.clusters[c].direction, line.direction), 0.99)
                    XCTAssertEqual(result.lineOfCluster[c], result.lines.firstIndex(of: line))
                }
                XCTAssertLessThanOrEqual(line.maxAngle, 0.2)
            }
        }
    }

    func testUniformNoiseIsMostlyLeftUnclustered() {
        let data = Synthetic(sizes: [100, 80, 60], dimension: 10, spread: 0.1, noise: 200, seed: 3)
        let result = SphereClustering(rows: data.rows, count: data.count, dimension: 10)
        XCTAssertEqual(result.clusters.count, 3)
        let noiseClustered = zip(result.labels, data.truth).filter { $0.1 < 0 && $0.0 >= 0 }.count
        XCTAssertLessThan(noiseClustered, 10)
        XCTAssertEqual(result.unclusteredCount, 200 - noiseClustered)
        for (label, truth) in zip(result.labels, data.truth) where truth >= 0 { XCTAssertGreaterThanOrEqual(label, 0) }
        // Pure noise: nothing (or almost nothing) is a cluster; m_eff is about the number of rows.
        let noise = Synthetic(sizes: [], dimension: 10, noise: 300, seed: 4)
        let r2 = SphereClustering(rows: noise.rows, count: 300, dimension: 10)
        XCTAssertLessThanOrEqual(r2.clusters.reduce(0) { $0 + $1.size }, 6)
        // In D = 10, 300 uniform directions are almost never within 18° of each other (upper ≈ 300),
        // but a few dozen pairs are within 36° (which is all the packing bound can use).
        XCTAssertGreaterThanOrEqual(r2.effectiveNumber.upper, 290)
        XCTAssertLessThanOrEqual(r2.effectiveNumber.upper, 300)
        XCTAssertGreaterThanOrEqual(r2.effectiveNumber.lower, 200)
        XCTAssertLessThanOrEqual(r2.effectiveNumber.lower, r2.effectiveNumber.upper)
    }

    private func assertPermutationInvariant(_ data: Synthetic, options: SphereClustering.Options,
                                            file: StaticString = #filePath, line: UInt = #line) {
        let base = SphereClustering(rows: data.rows, count: data.count, dimension: data.dimension, options: options)
        for seed in [1, 2, 3] as [UInt64] {
            let (rows, perm) = data.permuted(seed: seed)
            let other = SphereClustering(rows: rows, count: data.count, dimension: data.dimension, options: options)
            for new in 0..<data.count {
                XCTAssertEqual(other.labels[new], base.labels[perm[new]], file: file, line: line)
            }
            var inverse = [Int](repeating: 0, count: data.count)
            for (new, old) in perm.enumerated() { inverse[old] = new }
            XCTAssertEqual(other.clusters.count, base.clusters.count, file: file, line: line)
            for (a, b) in zip(base.clusters, other.clusters) {
                XCTAssertEqual(a.size, b.size, file: file, line: line)
                XCTAssertEqual(a.direction, b.direction, file: file, line: line)      // bit for bit
                XCTAssertEqual(a.meanAngle, b.meanAngle, file: file, line: line)
                XCTAssertEqual(a.maxAngle, b.maxAngle, file: file, line: line)
                XCTAssertEqual(a.meanResultantLength, b.meanResultantLength, file: file, line: line)
                XCTAssertEqual(a.members.map { inverse[$0] }.sorted(), b.members, file: file, line: line)
            }
            XCTAssertEqual(base.lines, other.lines, file: file, line: line)
            XCTAssertEqual(base.effectiveNumber, other.effectiveNumber, file: file, line: line)
        }
    }

    func testPermutingRowsPermutesLabelsAndChangesNothingElse() {
        let data = Synthetic(sizes: [80, 60, 60, 40, 20, 3], dimension: 6, spread: 0.25, noise: 40,
                             antipodal: true, seed: 5)
        assertPermutationInvariant(data, options: .init())
        // Subsampled (S < N): several passes, still order-independent.
        assertPermutationInvariant(data, options: .init(sampleSize: 64))
    }

    func testRescalingRowsDoesNotChangeTheResult() {
        let data = Synthetic(sizes: [70, 50, 30], dimension: 7, spread: 0.1, noise: 10, seed: 6)
        let base = SphereClustering(rows: data.rows, count: data.count, dimension: 7)
        var rng = Xoshiro256(seed: 9)
        var powers = data.rows, random = data.rows
        for i in 0..<data.count {
            let e = Double(Int(rng.next() % 40) - 20)
            let f = exp(6 * rng.nextUniform() - 3)
            for j in 0..<7 { powers[i * 7 + j] *= pow(2, e); random[i * 7 + j] *= f }
        }
        let exact = SphereClustering(rows: powers, count: data.count, dimension: 7)
        XCTAssertEqual(exact.labels, base.labels)
        XCTAssertEqual(exact.clusters, base.clusters)
        let close = SphereClustering(rows: random, count: data.count, dimension: 7)
        XCTAssertEqual(close.labels, base.labels)
        for (a, b) in zip(base.clusters, close.clusters) {
            XCTAssertEqual(a.members, b.members)
            for (x, y) in zip(a.direction, b.direction) { XCTAssertEqual(x, y, accuracy: 1e-12) }
            XCTAssertEqual(a.meanAngle, b.meanAngle, accuracy: 1e-9)
        }
    }

    func testDegenerateInputs() {
        // A single row: no cluster of size ≥ 2, but one direction covers it.
        let one = SphereClustering(rows: [0.3, -0.4, 1.2], count: 1, dimension: 3)
        XCTAssertEqual(one.labels, [-1])
        XCTAssertTrue(one.clusters.isEmpty)
        XCTAssertEqual(one.unclusteredCount, 1)
        XCTAssertEqual(one.effectiveNumber, .init(lower: 1, upper: 1))
        let single = SphereClustering(rows: [0.3, -0.4, 1.2], count: 1, dimension: 3,
                                      options: .init(minimumSize: 1))
        XCTAssertEqual(single.labels, [0])
        XCTAssertEqual(single.clusters.first?.size, 1)
        XCTAssertEqual(single.lines.count, 1)
        // No rows at all, and an all-zero layer.
        let empty = SphereClustering(rows: [], count: 0, dimension: 4)
        XCTAssertTrue(empty.clusters.isEmpty && empty.labels.isEmpty)
        let zero = SphereClustering(rows: [Double](repeating: 0, count: 20), count: 5, dimension: 4)
        XCTAssertEqual(zero.labels, [-1, -1, -1, -1, -1])
        XCTAssertEqual(zero.excluded, [0, 1, 2, 3, 4])
        XCTAssertEqual(zero.validCount, 0)
        XCTAssertEqual(zero.unclusteredCount, 0)
        XCTAssertEqual(zero.effectiveNumber, .init(lower: 0, upper: 0))
        // NaN / infinite rows are excluded; the rest is clustered as usual.
        var rows: [Double] = []
        for i in 0..<10 { rows += [1, 0.01 * Double(i), 0] }
        rows += [.nan, 1, 0, .infinity, 0, 0, 0, 0, 0]
        for i in 0..<10 { rows += [0, -1, 0.01 * Double(i)] }
        let mixed = SphereClustering(rows: rows, count: 23, dimension: 3)
        XCTAssertEqual(mixed.excluded, [10, 11, 12])
        XCTAssertEqual(mixed.clusters.map(\.size), [10, 10])
        XCTAssertEqual(Array(mixed.labels[10...12]), [-1, -1, -1])
        XCTAssertEqual(Set(mixed.clusters.map(\.members)), [Array(0..<10), Array(13..<23)])
        XCTAssertEqual(mixed.lines.count, 2)                           // at 90°, not opposite
        // Identical rows: one cluster with no spread.
        let same = SphereClustering(rows: Array(repeating: [2.0, -1, 0.5], count: 30).flatMap { $0 },
                                    count: 30, dimension: 3)
        XCTAssertEqual(same.clusters.map(\.size), [30])
        XCTAssertLessThan(same.clusters[0].maxAngle, 1e-7)
        XCTAssertEqual(same.clusters[0].meanResultantLength, 1, accuracy: 1e-12)
    }

    func testOppositeSignsAreDifferentOrientationsOfOneLine() {
        let rows: [Double] = [1, 1, 1.01, 0.99, -2, -2, -1.98, -2.02, 3, -3]
        let result = SphereClustering(rows: rows, count: 5, dimension: 2)
        XCTAssertEqual(result.clusters.map(\.size), [2, 2])
        XCTAssertEqual(result.labels[4], -1)
        XCTAssertEqual(result.lines.count, 1)
        XCTAssertEqual(result.lines[0].size, 4)
        XCTAssertEqual(result.lines[0].direction[0], 0.5.squareRoot(), accuracy: 1e-4)
        XCTAssertEqual(result.effectiveNumber, .init(lower: 3, upper: 3))
    }

    func testSubsampledClusteringFindsSmallClustersInLaterPasses() {
        let data = Synthetic(sizes: [900, 700, 500, 300, 25], dimension: 6, spread: 0.1, noise: 30, seed: 7)
        let result = SphereClustering(rows: data.rows, count: data.count, dimension: 6,
                                      options: .init(sampleSize: 150))
        XCTAssertEqual(result.clusters.map(\.size).prefix(5), [900, 700, 500, 300, 25])
        XCTAssertGreaterThan(adjustedRandIndex(result.labels, data.truth), 0.99)
    }

    func testEffectiveNumberOnEvenlySpacedCircle() {
        // 36 directions 10° apart: one direction covers an open arc of 2·arccos(0.95) ≈ 36.4°, i.e. at
        // most 4 of them, so m_eff = 9; a packing at ≥ 36.4° holds 9 of them.
        var rows: [Double] = []
        for i in 0..<36 { let a = Double(i) * Double.pi / 18; rows += [cos(a), sin(a)] }
        let result = SphereClustering(rows: rows, count: 36, dimension: 2)
        XCTAssertEqual(result.effectiveNumber.lower, 9)
        // A cover by the rows themselves needs 12 (each covers itself and its two neighbours); the
        // greedy cover takes ties in content order, so it may leave gaps, but never isolates more
        // than every other row.
        XCTAssertGreaterThanOrEqual(result.effectiveNumber.upper, 12)
        XCTAssertLessThanOrEqual(result.effectiveNumber.upper, 18)
    }

    func testMatrixInitializerMatchesBufferInitializer() {
        let data = Synthetic(sizes: [10, 10], dimension: 4, seed: 8)
        let m = Matrix(rows: data.count, cols: 4, elements: data.rows)
        XCTAssertEqual(SphereClustering(m).labels, SphereClustering(rows: data.rows, count: data.count, dimension: 4).labels)
    }
}
