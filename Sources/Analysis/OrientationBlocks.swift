import Foundation
import LinearAlgebra

/// Orientation *blocks*: the clusters of `SphereClustering` joined where no gap separates them.
///
/// A clustering at threshold τ cuts a loose group of neurons (pairwise cosines 0.8–0.95 around one direction,
/// as a layer shows while it is still collapsing) into several fragments, each within τ of its own centre. A
/// reader of the similarity heat map sees one block, because the fragments touch: some member of one is within
/// τ of some member of the other. Two clusters whose members never come that close are separated by a gap of at
/// least the threshold angle and stay apart. So: clusters A and B are one block when some a ∈ A, b ∈ B have
/// cos(a, b) > τ, closed transitively (single linkage over the clusters, never over unclustered neurons, so
/// stragglers cannot chain blocks together). Opposite blocks form one line by the mirrored rule: cos(a, b) < −τ.
///
/// Random directions also touch each other (on the circle of a one-dimensional input, chance clusters chain all
/// the way round); `CondensationSummary` keeps such blocks out of the condensed count by comparing each block
/// with what uniformly scattered directions put into a cap of the block's own radius.
struct OrientationBlocks {
    /// Per block: its clusters (indices into the clustering's clusters, ascending). Blocks are ordered by size
    /// (descending), ties by their first cluster, which `SphereClustering` orders by content, so the order does
    /// not depend on the order of the neurons.
    let blocks: [[Int]]
    /// Per block: index into `lines`.
    let lineOfBlock: [Int]
    /// Per line: its blocks (one, or two opposite ones) and the sign (+1 or −1) of each against the line.
    let lines: [(blocks: [Int], signs: [Double])]

    /// - Parameters:
    ///   - units: row-major unit vectors (count × dimension); rows of neurons in no cluster are not read.
    ///   - clusters: the clusters of those rows (members index rows of `units`).
    ///   - cosine: τ.
    init(units: [Double], dimension: Int, clusters: [SphereClustering.Cluster], cosine tau: Double) {
        let k = clusters.count
        var parent = Array(0..<k)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for a in 0..<k {
            for b in (a + 1)..<max(a + 1, k) where root(a) != root(b) {
                if Self.touch(clusters[a], clusters[b], sign: 1, units: units, dimension: dimension, tau: tau) {
                    parent[root(b)] = root(a)
                }
            }
        }
        var byRoot: [Int: [Int]] = [:]
        for c in 0..<k { byRoot[root(c), default: []].append(c) }
        let sizes = byRoot.mapValues { $0.reduce(0) { $0 + clusters[$1].size } }
        let blocks = byRoot.keys.sorted { a, b in
            let (sa, sb) = (sizes[a]!, sizes[b]!)
            return sa != sb ? sa > sb : byRoot[a]!.min()! < byRoot[b]!.min()!
        }.map { byRoot[$0]! }
        self.blocks = blocks

        // Opposite blocks: every touching pair, most opposite directions first, each block in one line at most.
        let directions = blocks.map { Self.meanDirection($0.map { clusters[$0] }) }
        var candidates: [(Double, Int, Int)] = []
        for a in blocks.indices {
            for b in (a + 1)..<max(a + 1, blocks.count) {
                let touching = blocks[a].contains { ca in
                    blocks[b].contains { cb in
                        Self.touch(clusters[ca], clusters[cb], sign: -1, units: units, dimension: dimension, tau: tau)
                    }
                }
                if touching { candidates.append((Self.dot(directions[a], directions[b]), a, b)) }
            }
        }
        candidates.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var lineOf = [Int](repeating: -1, count: blocks.count)
        var found: [(blocks: [Int], signs: [Double])] = []
        for (_, a, b) in candidates where lineOf[a] < 0 && lineOf[b] < 0 {
            lineOf[a] = found.count; lineOf[b] = found.count
            found.append(([a, b], [1, -1]))
        }
        for a in blocks.indices where lineOf[a] < 0 {
            lineOf[a] = found.count
            found.append(([a], [1]))
        }
        // Lines in the order of their largest block (blocks are ordered by size).
        let order = found.indices.sorted { found[$0].blocks.min()! < found[$1].blocks.min()! }
        var renumber = [Int](repeating: 0, count: found.count)
        for (new, old) in order.enumerated() { renumber[old] = new }
        lines = order.map { found[$0] }
        lineOfBlock = lineOf.map { renumber[$0] }
    }

    /// Whether some member a of `x` and b of `y` have sign·cos(a, b) > τ. Clusters whose caps cannot reach each
    /// other (angle between centres minus both largest member angles above arccos τ) are skipped unread.
    static func touch(_ x: SphereClustering.Cluster, _ y: SphereClustering.Cluster, sign: Double,
                      units: [Double], dimension d: Int, tau: Double) -> Bool {
        let centres = acos(max(-1, min(1, sign * dot(x.direction, y.direction))))
        if centres - x.maxAngle - y.maxAngle > acos(tau) + 1e-9 { return false }
        // Blocks of members against blocks of members through BLAS, stopping at the first touching pair.
        let chunk = 512
        func gather(_ members: ArraySlice<Int>) -> Matrix {
            var m = Matrix(rows: members.count, cols: d)
            for (r, j) in members.enumerated() {
                for c in 0..<d { m.elements[r * d + c] = units[j * d + c] }
            }
            return m
        }
        var i = 0
        while i < x.members.count {
            let a = gather(x.members[i..<min(i + chunk, x.members.count)])
            var j = 0
            while j < y.members.count {
                let b = gather(y.members[j..<min(j + chunk, y.members.count)])
                let c = a.multiplied(by: b, transposingOther: true)
                if c.elements.contains(where: { sign * $0 > tau }) { return true }
                j += chunk
            }
            i += chunk
        }
        return false
    }

    /// The normalized sum of the clusters' members: Σ of each cluster's resultant (its direction times size times
    /// mean resultant length, summed in the clustering's canonical order), so it does not depend on neuron order.
    static func meanDirection(_ clusters: [SphereClustering.Cluster], signs: [Double]? = nil) -> [Double] {
        guard let d = clusters.first?.direction.count else { return [] }
        var s = [Double](repeating: 0, count: d)
        for (i, c) in clusters.enumerated() {
            let w = (signs?[i] ?? 1) * Double(c.size) * c.meanResultantLength
            for k in 0..<d { s[k] += w * c.direction[k] }
        }
        let n = s.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? s.map { $0 / n } : s
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
