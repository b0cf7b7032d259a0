import Foundation
import Model

/// Synthetic orientation data with known labels, for the clustering tests.
struct Synthetic {
    var rows: [Double]
    var truth: [Int]          // cluster index, −1 for noise
    var centres: [[Double]]
    let dimension: Int
    var count: Int { truth.count }

    /// `sizes.count` clusters around unit centres that are pairwise at |cos| < 0.5 (on the circle
    /// for D = 2: evenly spaced), except that when `antipodal` is true the centres come in opposite
    /// pairs (centre 2i+1 = −centre 2i). Members lie within `spread` radians of their centre; rows
    /// are multiplied by random positive factors in [0.1, 10]. `noise` uniform directions are
    /// appended with label −1.
    init(sizes: [Int], dimension d: Int, spread: Double = 0.1, noise: Int = 0, antipodal: Bool = false,
         seed: UInt64) {
        dimension = d
        var rng = Xoshiro256(seed: seed)
        func unit() -> [Double] {
            var v = (0..<d).map { _ in rng.nextNormal() }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / n }
            return v
        }
        let k = sizes.count
        var centres: [[Double]] = []
        let distinct = antipodal ? (k + 1) / 2 : k
        if d == 2 {
            let step = (antipodal ? Double.pi : 2 * Double.pi) / Double(distinct)
            let phase = rng.nextUniform() * step
            for i in 0..<distinct {
                let a = phase + Double(i) * step
                centres.append([cos(a), sin(a)])
            }
        } else {
            while centres.count < distinct {
                let c = unit()
                if centres.allSatisfy({ abs(zip($0, c).reduce(0) { $0 + $1.0 * $1.1 }) < 0.5 }) { centres.append(c) }
            }
        }
        if antipodal { centres = centres.flatMap { [$0, $0.map { -$0 }] }.prefix(k).map { $0 } }
        self.centres = centres
        rows = []
        truth = []
        for (c, size) in sizes.enumerated() {
            for _ in 0..<size {
                // A tangent direction at the centre, rotated by an angle in [0, spread].
                var g = unit()
                let proj = zip(g, centres[c]).reduce(0) { $0 + $1.0 * $1.1 }
                g = zip(g, centres[c]).map { $0 - proj * $1 }
                let gn = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let angle = spread * rng.nextUniform()
                let scale = exp(log(0.1) + rng.nextUniform() * log(100.0))
                rows += zip(centres[c], g).map { scale * (cos(angle) * $0 + sin(angle) * $1 / gn) }
                truth.append(c)
            }
        }
        for _ in 0..<noise {
            rows += unit()
            truth.append(-1)
        }
    }

    /// The same data with rows reordered by a seeded random permutation; `perm[new] = old`.
    func permuted(seed: UInt64) -> (rows: [Double], perm: [Int]) {
        var rng = Xoshiro256(seed: seed)
        var perm = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            perm.swapAt(i, j)
        }
        var out = [Double](repeating: 0, count: rows.count)
        for (new, old) in perm.enumerated() {
            for j in 0..<dimension { out[new * dimension + j] = rows[old * dimension + j] }
        }
        return (out, perm)
    }
}

/// Adjusted Rand index of two labelings, treating each −1 as its own singleton cluster.
func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count)
    let n = a.count
    func relabel(_ x: [Int]) -> [Int] {
        var next = (x.max() ?? 0) + 1
        return x.map { if $0 >= 0 { return $0 }; next += 1; return next }
    }
    let ra = relabel(a), rb = relabel(b)
    var table: [Int: [Int: Int]] = [:]
    var rowSums: [Int: Int] = [:], colSums: [Int: Int] = [:]
    for i in 0..<n {
        table[ra[i], default: [:]][rb[i], default: 0] += 1
        rowSums[ra[i], default: 0] += 1
        colSums[rb[i], default: 0] += 1
    }
    func c2(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
    let index = table.values.flatMap(\.values).reduce(0.0) { $0 + c2($1) }
    let sa = rowSums.values.reduce(0.0) { $0 + c2($1) }, sb = colSums.values.reduce(0.0) { $0 + c2($1) }
    let expected = sa * sb / c2(n)
    let maximum = (sa + sb) / 2
    return maximum == expected ? 1 : (index - expected) / (maximum - expected)
}
