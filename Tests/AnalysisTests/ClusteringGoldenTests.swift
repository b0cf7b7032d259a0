@testable import Analysis
import XCTest

/// Seeded inputs whose clustering was recorded before the engine's neighbour graphs, canonical-order pass and
/// spreads were restructured for speed: the restructured code must give the same labels, clusters, lines and
/// m_eff bounds, bit for bit. The inputs use only +, −, ×, ÷ and square roots (no libm transcendental), so they
/// are the same on every IEEE-754 machine; the digests hash the labels (`labels`) and every other field's bits
/// (`full`).
final class ClusteringGoldenTests: XCTestCase {
    /// SplitMix64: uniform doubles in [0, 1) and Irwin–Hall "gaussians" (sum of 12 uniforms − 6).
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func gaussian() -> Double { (0..<12).reduce(0.0) { s, _ in s + uniform() } - 6 }
    }

    /// `clusters` planted groups (centre + spread·gaussian, then a random positive scale), `noise` uniform-ish rows,
    /// a few exact duplicates of earlier rows (ties in the canonical order) and one zero row, shuffled.
    private func input(count: Int, dimension d: Int, clusters: Int, spread: Double, noise: Double,
                       seed: UInt64) -> [Double] {
        var g = Generator(state: seed)
        let centres = (0..<clusters).map { _ in (0..<d).map { _ in g.gaussian() } }
        let noisy = Int(Double(count) * noise)
        var rows: [[Double]] = []
        for i in 0..<(count - noisy - 6) {
            let c = centres[i % clusters]
            let length = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows.append(c.map { $0 / length + spread * g.gaussian() })
        }
        for _ in 0..<noisy { rows.append((0..<d).map { _ in g.gaussian() }) }
        for k in 0..<5 { rows.append(rows[k * 7]) }
        rows.append([Double](repeating: 0, count: d))
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        return rows.flatMap { row in let s = 0.1 + 9.9 * g.uniform(); return row.map { $0 * s } }
    }

    private func fnv(_ h: inout UInt64, _ v: UInt64) {
        for b in 0..<8 { h = (h ^ ((v >> (8 * UInt64(b))) & 0xFF)) &* 0x0000_0100_0000_01B3 }
    }

    private func digests(_ r: SphereClustering) -> (labels: UInt64, full: UInt64) {
        var l: UInt64 = 0xCBF2_9CE4_8422_2325
        for x in r.labels { fnv(&l, UInt64(bitPattern: Int64(x))) }
        var f = l
        fnv(&f, UInt64(r.effectiveNumber.lower)); fnv(&f, UInt64(r.effectiveNumber.upper))
        for c in r.clusters {
            fnv(&f, UInt64(c.size))
            for x in c.direction { fnv(&f, x.bitPattern) }
            for x in [c.meanResultantLength, c.meanAngle, c.maxAngle] { fnv(&f, x.bitPattern) }
            for m in c.members { fnv(&f, UInt64(m)) }
        }
        for line in r.lines {
            fnv(&f, UInt64(line.size))
            for x in line.direction + line.signs + [line.meanAngle, line.maxAngle] { fnv(&f, x.bitPattern) }
            for o in line.orientations { fnv(&f, UInt64(o)) }
        }
        for x in r.lineOfCluster { fnv(&f, UInt64(x)) }
        return (l, f)
    }

    private struct Case {
        var count: Int, dimension: Int, clusters: Int, spread: Double, noise: Double, seed: UInt64
        var options: SphereClustering.Options
        var labels: UInt64, full: UInt64
    }

    private let cases: [Case] = [
        // subsampled (S = 2000 < N), later passes on the leftovers
        Case(count: 3000, dimension: 50, clusters: 8, spread: 0.012, noise: 0.05, seed: 1,
             options: .init(minimumSize: 15), labels: 0x165f6f7d14648e8d, full: 0x1cb254a27d0a260b),
        // every row in the first pass's graphs (N ≤ S), small minimum size: noise forms small clusters
        Case(count: 1200, dimension: 6, clusters: 5, spread: 0.08, noise: 0.10, seed: 2,
             options: .init(minimumSize: 2), labels: 0x493a05c74d0b172f, full: 0x3f8cf381ddcc5fd4),
        // small sample: three passes
        Case(count: 2500, dimension: 3, clusters: 6, spread: 0.1, noise: 0.05, seed: 3,
             options: .init(minimumSize: 12, sampleSize: 500), labels: 0x57f7dcbfae38e780, full: 0xccdd05959d5f0614),
        // S capped by the neighbour budget (706 at D = 1001)
        Case(count: 800, dimension: 1001, clusters: 4, spread: 0.001, noise: 0.03, seed: 4,
             options: .init(minimumSize: 4), labels: 0xe189d2c2af3198dc, full: 0xd1bd09cd53dad3a6),
        // the circle, dense noise, loose groups that merge
        Case(count: 1000, dimension: 2, clusters: 7, spread: 0.15, noise: 0.2, seed: 5,
             options: .init(minimumSize: 5), labels: 0x38b6421b3dec0602, full: 0x74393cfb81244ccb),
        // loose groups in D = 20 at another τ
        Case(count: 1500, dimension: 20, clusters: 6, spread: 0.07, noise: 0.04, seed: 6,
             options: .init(cosineThreshold: 0.9, minimumSize: 8, sampleSize: 700), labels: 0x40b1d33bbf3b0f94, full: 0xa845a5dd3d91706),
    ]

    func testClusteringMatchesTheRecordedResults() {
        for c in cases {
            let rows = input(count: c.count, dimension: c.dimension, clusters: c.clusters, spread: c.spread,
                             noise: c.noise, seed: c.seed)
            let r = SphereClustering(rows: rows, count: c.count, dimension: c.dimension, options: c.options)
            let (labels, full) = digests(r)
            XCTAssertEqual(labels, c.labels, "seed \(c.seed): labels")
            XCTAssertEqual(full, c.full, "seed \(c.seed): clusters, lines, m_eff")
        }
    }
}
