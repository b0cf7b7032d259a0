import Foundation
import LinearAlgebra

extension ClusteringEngine {
    struct Result {
        var labels: [Int]
        var clusters: [SphereClustering.Cluster]
        var lines: [SphereClustering.Line]
        var lineOfCluster: [Int]
        var effective: SphereClustering.EffectiveNumber
    }

    /// Final labels (undersized clusters dissolved), clusters in canonical order with their
    /// directions and spreads, lines, and the m_eff bounds (step 6).
    func finish() -> Result {
        let n = rows.n
        let k = centreCount
        var canonicalLabels = labels
        let (sums, sizes) = lastAccumulation.flatMap { $0.sizes.count == k ? $0 : nil }
            ?? accumulate(canonicalLabels, clusters: k)
        var firstMember = [Int](repeating: Int.max, count: k)
        for p in 0..<n where canonicalLabels[p] >= 0 {
            firstMember[canonicalLabels[p]] = min(firstMember[canonicalLabels[p]], p)
        }
        let survivors = (0..<k).filter { sizes[$0] >= options.minimumSize }
            .sorted { a, b in sizes[a] != sizes[b] ? sizes[a] > sizes[b] : firstMember[a] < firstMember[b] }
        var newIndex = [Int](repeating: -1, count: k)
        for (i, c) in survivors.enumerated() { newIndex[c] = i }
        for p in 0..<n where canonicalLabels[p] >= 0 { canonicalLabels[p] = newIndex[canonicalLabels[p]] }

        let kk = survivors.count
        var resultants: [[Double]] = survivors.map { Array(sums[($0 * d)..<(($0 + 1) * d)]) }
        var directions: [[Double]] = resultants.map { r in let m = norm(r); return r.map { $0 / m } }
        var angleSums = [Double](repeating: 0, count: kk)
        var maxAngles = [Double](repeating: 0, count: kk)
        var members = [[Int]](repeating: [], count: kk)
        var uncovered: [Int] = []
        var (lines, lineOfCluster, signOfCluster) = makeLines(resultants: resultants, directions: directions,
                                                               sizes: survivors.map { sizes[$0] })
        let (cosines, products) = rowDots(labels: canonicalLabels, directions: directions,
                                          lineOfCluster: lineOfCluster, lineDirections: lines.map(\.direction))
        for p in 0..<n {
            let l = canonicalLabels[p]
            if l < 0 { uncovered.append(p); continue }
            let c = cosines[p]
            let angle = acos(min(1, max(-1, c)))
            angleSums[l] += angle
            maxAngles[l] = max(maxAngles[l], angle)
            members[l].append(rows.original[p])
            if !(c > tau) { uncovered.append(p) }
        }
        var clusters: [SphereClustering.Cluster] = []
        for c in 0..<kk {
            let size = sizes[survivors[c]]
            clusters.append(SphereClustering.Cluster(
                size: size, direction: directions[c],
                meanResultantLength: norm(resultants[c]) / Double(size),
                meanAngle: angleSums[c] / Double(size), maxAngle: maxAngles[c],
                members: members[c].sorted()))
        }
        var originalLabels = [Int](repeating: -1, count: rows.original.count + rows.excluded.count)
        for p in 0..<n { originalLabels[rows.original[p]] = canonicalLabels[p] }

        // Line spreads: angle between each sign-aligned member and its line's direction, in position order.
        var lineAngleSums = [Double](repeating: 0, count: lines.count)
        for p in 0..<n where canonicalLabels[p] >= 0 {
            let c = canonicalLabels[p], l = lineOfCluster[c]
            let angle = acos(min(1, max(-1, signOfCluster[c] * products[p])))
            lineAngleSums[l] += angle
            lines[l].maxAngle = max(lines[l].maxAngle, angle)
        }
        for l in lines.indices { lines[l].meanAngle = lineAngleSums[l] / Double(lines[l].size) }
        uncovered.sort()
        let effective = effectiveNumber(clusterCount: kk, uncovered: uncovered)
        resultants.removeAll(); directions.removeAll()
        return Result(labels: originalLabels, clusters: clusters, lines: lines, lineOfCluster: lineOfCluster,
                      effective: effective)
    }

    /// Per position p with a label l ≥ 0: the dot products of unit row p with `directions[l]` and with
    /// `lineDirections[lineOfCluster[l]]` (0 for unlabelled rows), each summed over j = 0..<d from the left exactly
    /// as a loop over that row alone would. Each row is read once for both; four rows advance together so that
    /// their additions overlap instead of waiting on one another.
    func rowDots(labels: [Int], directions: [[Double]], lineOfCluster: [Int], lineDirections: [[Double]])
        -> (cosines: [Double], products: [Double]) {
        let n = rows.n
        var cosines = [Double](repeating: 0, count: n), products = [Double](repeating: 0, count: n)
        let flat = directions.flatMap { $0 }, lineFlat = lineDirections.flatMap { $0 }
        if flat.isEmpty { return (cosines, products) }
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * d)
        defer { scratch.deallocate() }
        rows.withReader { reader in
            flat.withUnsafeBufferPointer { vb in
                lineFlat.withUnsafeBufferPointer { wb in
                    cosines.withUnsafeMutableBufferPointer { cb in
                        products.withUnsafeMutableBufferPointer { pb in
                            let v = vb.baseAddress!, w = wb.baseAddress!, co = cb.baseAddress!, po = pb.baseAddress!
                            var group = (0, 0, 0, 0), filled = 0
                            for p in 0..<n where labels[p] >= 0 {
                                switch filled {
                                case 0: group.0 = p
                                case 1: group.1 = p
                                case 2: group.2 = p
                                default: group.3 = p
                                }
                                filled += 1
                                if filled < 4 { continue }
                                filled = 0
                                let a0 = reader.row(group.0, scratch: scratch)
                                let a1 = reader.row(group.1, scratch: scratch + d)
                                let a2 = reader.row(group.2, scratch: scratch + 2 * d)
                                let a3 = reader.row(group.3, scratch: scratch + 3 * d)
                                let l0 = labels[group.0], l1 = labels[group.1], l2 = labels[group.2], l3 = labels[group.3]
                                let v0 = v + l0 * d, v1 = v + l1 * d, v2 = v + l2 * d, v3 = v + l3 * d
                                let w0 = w + lineOfCluster[l0] * d, w1 = w + lineOfCluster[l1] * d
                                let w2 = w + lineOfCluster[l2] * d, w3 = w + lineOfCluster[l3] * d
                                var c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0
                                var x0 = 0.0, x1 = 0.0, x2 = 0.0, x3 = 0.0
                                for j in 0..<d {
                                    c0 += a0[j] * v0[j]
                                    c1 += a1[j] * v1[j]
                                    c2 += a2[j] * v2[j]
                                    c3 += a3[j] * v3[j]
                                    x0 += a0[j] * w0[j]
                                    x1 += a1[j] * w1[j]
                                    x2 += a2[j] * w2[j]
                                    x3 += a3[j] * w3[j]
                                }
                                co[group.0] = c0; co[group.1] = c1; co[group.2] = c2; co[group.3] = c3
                                po[group.0] = x0; po[group.1] = x1; po[group.2] = x2; po[group.3] = x3
                            }
                            for p in [group.0, group.1, group.2].prefix(filled) {
                                let a = reader.row(p, scratch: scratch), l = labels[p]
                                let vl = v + l * d, wl = w + lineOfCluster[l] * d
                                var c = 0.0, x = 0.0
                                for j in 0..<d { c += a[j] * vl[j] }
                                for j in 0..<d { x += a[j] * wl[j] }
                                co[p] = c
                                po[p] = x
                            }
                        }
                    }
                }
            }
        }
        return (cosines, products)
    }

    /// Pairs clusters whose directions have cosine < −τ (most opposite pair first; ties: index order)
    /// into lines; unpaired clusters are lines of their own. Returns the lines (spreads still 0), each cluster's
    /// line and its sign along the line's direction.
    func makeLines(resultants: [[Double]], directions: [[Double]], sizes: [Int])
        -> ([SphereClustering.Line], [Int], [Double]) {
        let k = directions.count
        var pairs: [(a: Int, b: Int, cos: Double)] = []
        for a in 0..<k {
            for b in (a + 1)..<k {
                let c = dot(directions[a], directions[b])
                if c < -tau { pairs.append((a, b, c)) }
            }
        }
        pairs.sort { x, y in x.cos != y.cos ? x.cos < y.cos : (x.a != y.a ? x.a < y.a : x.b < y.b) }
        var partner = [Int](repeating: -1, count: k)
        for pair in pairs where partner[pair.a] < 0 && partner[pair.b] < 0 {
            partner[pair.a] = pair.b
            partner[pair.b] = pair.a
        }
        var groups: [[Int]] = []
        for a in 0..<k where partner[a] < 0 || partner[a] > a { groups.append(partner[a] < 0 ? [a] : [a, partner[a]]) }
        groups.sort { x, y in
            let sx = x.reduce(0) { $0 + sizes[$1] }, sy = y.reduce(0) { $0 + sizes[$1] }
            return sx != sy ? sx > sy : x[0] < y[0]
        }
        var lineOfCluster = [Int](repeating: -1, count: k)
        var signOfCluster = [Double](repeating: 0, count: k)
        var lines: [SphereClustering.Line] = []
        for (index, group) in groups.enumerated() {
            var v = resultants[group[0]]
            if group.count == 2 { for j in 0..<d { v[j] -= resultants[group[1]][j] } }
            let m = norm(v)
            v = v.map { $0 / m }
            let flip = canonicalSignFlip(v)
            if flip { v = v.map { -$0 } }
            var signs: [Double] = [flip ? -1 : 1]
            if group.count == 2 { signs.append(flip ? 1 : -1) }
            for (c, s) in zip(group, signs) { lineOfCluster[c] = index; signOfCluster[c] = s }
            lines.append(SphereClustering.Line(size: group.reduce(0) { $0 + sizes[$1] }, direction: v,
                                               orientations: group, signs: signs, meanAngle: 0, maxAngle: 0))
        }
        return (lines, lineOfCluster, signOfCluster)
    }

    /// Bounds on m_eff. Upper: the K cluster directions cover their members (those with cosine > τ;
    /// the others join `uncovered`), and a greedy set cover by rows covers up to `sampleSize` of the
    /// uncovered rows; any uncovered rows beyond that count one direction each. When all valid rows
    /// fit in `sampleSize`, the greedy set cover of all rows by rows is also tried and the smaller
    /// count kept. Lower: an independent set in the conflict graph "cosine > cos 2θ" (θ = arccos τ)
    /// of the first pass's rows (all rows, or the subsample), found by
    /// the min-degree greedy rule: its rows are pairwise at angle ≥ 2θ, so no direction is within θ
    /// of two of them.
    func effectiveNumber(clusterCount: Int, uncovered: [Int])
        -> SphereClustering.EffectiveNumber {
        let n = rows.n
        if n == 0 { return .init(lower: 0, upper: 0) }
        var full = fullGraph, conflicts = sampleConflicts
        if full == nil && conflicts == nil {
            // No leader pass ran (fewer rows than `minimumSize`): build the graphs here.
            let graphs = neighbourLists(Array(0..<min(n, sampleLimit)), conflicts: true)
            if n <= sampleLimit { full = (graphs.near, graphs.conflict) } else { conflicts = graphs.conflict }
        }
        if let graph = full {
            // Every row was in the first pass's graphs: cover and pack on them directly.
            let upper = min(clusterCount + greedyLeaders(candidates: uncovered, minimumSupport: 1,
                                                         adjacency: graph.near.induced(by: uncovered)).count,
                            greedyLeaders(candidates: Array(0..<n), minimumSupport: 1, adjacency: graph.near).count)
            let lower = tau <= 0 ? 1 : minimumDegreeIndependentSet(graph.conflict)
            return .init(lower: lower, upper: max(upper, lower))
        }
        let limit = sampleLimit
        let coverable = Array(uncovered.prefix(limit))
        let reused = lastGraph.flatMap { $0.positions == coverable ? $0.near : nil }
        let upper = clusterCount + greedyLeaders(candidates: coverable, minimumSupport: 1, adjacency: reused).count
            + (uncovered.count - coverable.count)
        let lower = tau <= 0 ? 1 : minimumDegreeIndependentSet(conflicts ?? NeighbourGraph(isolated: 0))
        return .init(lower: lower, upper: max(upper, lower))
    }

    /// Size of the independent set that the min-degree greedy rule finds in a graph given by
    /// symmetric adjacency lists without self loops (repeatedly take the remaining vertex with fewest remaining neighbours, ties: lower
    /// index, and delete its neighbours).
    func minimumDegreeIndependentSet(_ adjacency: NeighbourGraph) -> Int {
        let c = adjacency.count
        var degree = (0..<c).map { adjacency.degree($0) }
        var alive = [Bool](repeating: true, count: c)
        var size = 0
        adjacency.withLists { offsets, targets in
            while true {
                var best = -1
                for i in 0..<c where alive[i] && (best < 0 || degree[i] < degree[best]) { best = i }
                if best < 0 { break }
                size += 1
                alive[best] = false
                for e in offsets[best]..<offsets[best + 1] where alive[Int(targets[e])] {
                    let j = Int(targets[e])
                    alive[j] = false
                    for f in offsets[j]..<offsets[j + 1] { degree[Int(targets[f])] -= 1 }
                }
            }
        }
        return size
    }
}

/// True when the entry of largest magnitude (first such) of `v` is negative, i.e. when `v` must be
/// negated to put it in canonical sign.
func canonicalSignFlip(_ v: [Double]) -> Bool {
    var best = 0
    for j in v.indices where abs(v[j]) > abs(v[best]) { best = j }
    return v.isEmpty ? false : v[best] < 0
}
