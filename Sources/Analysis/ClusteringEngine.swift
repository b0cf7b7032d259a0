import LinearAlgebra

/// The clustering proper, on rows already in canonical order (positions 0..<n). Every loop runs in
/// position order and every tie is broken by position, so the outcome is a function of the content.
struct ClusteringEngine {
    let rows: CanonicalRows
    let options: SphereClustering.Options
    let tau: Double
    let d: Int
    /// K × d current centres (unit vectors).
    var centres: [Double] = []
    /// Per position: index into the current centres, or −1.
    var labels: [Int]
    /// S: the subsample size, `sampleSize` capped so that S²·d ≤ `neighbourBudget` (at least 256).
    let sampleLimit: Int
    /// When the first pass saw every row: its neighbour graph (cos > τ) and conflict graph
    /// (cos > cos 2θ), indexed by position, reused for the m_eff bounds.
    var fullGraph: (near: NeighbourGraph, conflict: NeighbourGraph)? = nil
    /// When the first pass subsampled: the conflict graph of its sample (any subset of rows gives a
    /// valid packing bound).
    var sampleConflicts: NeighbourGraph? = nil
    /// The last neighbour graph a later pass built, and of which positions: when those are exactly the rows
    /// left uncovered at the end (the pass found no cluster), the m_eff cover reuses it instead of
    /// multiplying the same rows again.
    var lastGraph: (positions: [Int], near: NeighbourGraph)? = nil
    /// The centre sums and sizes of the last assignment, which are those of `labels` (refinement ends
    /// right after an assignment), so `finish` need not sum them again.
    var lastAccumulation: (sums: [Double], sizes: [Int])? = nil

    init(rows: CanonicalRows, options: SphereClustering.Options) {
        self.rows = rows
        self.options = options
        self.tau = options.cosineThreshold
        self.d = rows.dimension
        self.labels = [Int](repeating: -1, count: rows.n)
        let affordable = Int((options.neighbourBudget / Double(rows.dimension)).squareRoot())
        self.sampleLimit = max(1, min(options.sampleSize, max(256, affordable)))
    }

    /// cos 2θ for θ = arccos τ, less a rounding margin: rows at cosine ≤ this cannot share a
    /// covering direction. −∞ (no conflicts) when τ ≤ 0.
    var conflictThreshold: Double { tau <= 0 ? -.infinity : 2 * tau * tau - 1 - 1e-12 }

    var centreCount: Int { centres.count / d }

    // MARK: passes

    /// Leader passes and refinement (steps 3–5 of the algorithm).
    mutating func run() {
        let minimumSize = options.minimumSize
        for _ in 0..<options.maximumPasses {
            var unassigned: [Int] = []
            for p in 0..<rows.n where labels[p] < 0 { unassigned.append(p) }
            if unassigned.isEmpty || unassigned.count < minimumSize { break }
            let sample = Array(unassigned.prefix(sampleLimit))
            let subsampled = sample.count < unassigned.count
            // A cluster of c rows among U has about c·s/U of them in a sample of s: scale the support.
            let support = subsampled
                ? max(2, Int((Double(minimumSize) * Double(sample.count) / Double(unassigned.count)).rounded(.up)))
                : minimumSize
            let leaders: [Int]
            if unassigned.count == rows.n {
                // First pass: the conflict graph comes from the same products, for the m_eff bounds.
                let graphs = neighbourLists(sample, conflicts: true)
                if subsampled { sampleConflicts = graphs.conflict } else { fullGraph = (graphs.near, graphs.conflict) }
                leaders = greedyLeaders(candidates: sample, minimumSupport: support, adjacency: graphs.near)
            } else {
                let near = neighbourLists(sample, conflicts: false).near
                lastGraph = (sample, near)
                leaders = greedyLeaders(candidates: sample, minimumSupport: support, adjacency: near)
            }
            if leaders.isEmpty { break }
            for p in leaders { centres.append(contentsOf: rows.unit(p)) }
            refine()
            if !subsampled { break }
        }
    }

    // MARK: greedy leaders / greedy set cover

    /// Greedy leaders on the graph "cos > τ" over `candidates` (positions): repeatedly the candidate
    /// with most still-uncovered neighbours (itself included; ties: earlier candidate) becomes a
    /// leader and its neighbourhood is covered, until the best count is below `minimumSupport`.
    /// With `minimumSupport == 1` this is the greedy set cover of the candidates by candidates.
    /// Returns the leaders' positions, in the order chosen.
    /// `adjacency`, when given, is the neighbour graph of `candidates` (by candidate index).
    func greedyLeaders(candidates: [Int], minimumSupport: Int, adjacency given: NeighbourGraph? = nil) -> [Int] {
        let s = candidates.count
        if s == 0 { return [] }
        let adjacency = given ?? neighbourLists(candidates, conflicts: false).near
        var counts = (0..<s).map { adjacency.degree($0) }
        var alive = [Bool](repeating: true, count: s)
        var chosen: [Int] = []
        adjacency.withLists { offsets, targets in
            while true {
                var best = -1, bestCount = 0
                for i in 0..<s where alive[i] && counts[i] > bestCount { best = i; bestCount = counts[i] }
                if best < 0 || bestCount < minimumSupport { break }
                chosen.append(candidates[best])
                for e in offsets[best]..<offsets[best + 1] where alive[Int(targets[e])] {
                    let j = Int(targets[e])
                    alive[j] = false
                    for f in offsets[j]..<offsets[j + 1] { counts[Int(targets[f])] -= 1 }
                }
            }
        }
        return chosen
    }

    /// Symmetric neighbour lists (cos > τ, self included) of `positions`, by blocked `gemm`, and
    /// when `conflicts` is true also the conflict lists (cos > cos 2θ, self excluded) from the same
    /// products. Each pair is decided once (from the earlier row's product), so the lists are
    /// symmetric even where rounding would make the two products differ. Each row's later partners are
    /// collected in one flat list per graph, in row order, and laid out as compressed rows at the end.
    func neighbourLists(_ positions: [Int], conflicts: Bool) -> (near: NeighbourGraph, conflict: NeighbourGraph) {
        let s = positions.count
        let x = gather(positions)
        var near = NeighbourGraph.UpperLists(rows: s), wideLists = NeighbourGraph.UpperLists(rows: conflicts ? s : 0)
        let wide = conflictThreshold, tau = self.tau
        x.withUnsafeBufferPointer { xp in
            Self.blockedProducts(rows: s, { b0, _ in xp.baseAddress! + b0 * d }, with: xp.baseAddress!, count: s,
                                 dimension: d, block: min(s, 256)) { b0, m, g, _ in
                for r in 0..<m {
                    let i = b0 + r
                    let row = g + r * s
                    if conflicts && wide <= tau {
                        // One scan for both graphs (every neighbour is also a conflict when cos 2θ ≤ τ).
                        for j in (i + 1)..<s where row[j] > wide {
                            wideLists.targets.append(Int32(j))
                            if row[j] > tau { near.targets.append(Int32(j)) }
                        }
                    } else {
                        for j in (i + 1)..<s where row[j] > tau { near.targets.append(Int32(j)) }
                        if conflicts {
                            for j in (i + 1)..<s where row[j] > wide { wideLists.targets.append(Int32(j)) }
                        }
                    }
                    near.ends.append(near.targets.count)
                    if conflicts { wideLists.ends.append(wideLists.targets.count) }
                }
            }
        }
        return (NeighbourGraph(near, loops: true),
                conflicts ? NeighbourGraph(wideLists, loops: false) : NeighbourGraph(isolated: 0))
    }

    /// The rows at `positions`, contiguous (positions.count × d).
    func gather(_ positions: [Int]) -> [Double] {
        var x = [Double](repeating: 0, count: positions.count * d)
        rows.withReader { reader in
            x.withUnsafeMutableBufferPointer { out in
                for (r, p) in positions.enumerated() { reader.copy(p, to: out.baseAddress! + r * d) }
            }
        }
        return x
    }

    // MARK: assignment and refinement

    /// Each row's centre of largest cosine (ties: lower index) if that cosine is > τ, else −1; and, from the
    /// same pass over the rows, each centre's sum of member unit vectors and member count (as `accumulate`,
    /// summed in position order, so bit for bit the same). Blocks of rows small enough to stay in cache are
    /// multiplied with the centres (`gemm`) and summed while hot: the matrix is read once per refinement step.
    func assignAndAccumulate() -> (labels: [Int], sums: [Double], sizes: [Int]) {
        let n = rows.n, k = centreCount
        var result = [Int](repeating: -1, count: n)
        var sums = [Double](repeating: 0, count: k * d)
        var sizes = [Int](repeating: 0, count: k)
        if k == 0 || n == 0 { return (result, sums, sizes) }
        let block = min(n, max(16, min(65_536 / k, 32_768 / d)))
        // Long rows are normalized into this block as they are read (`CanonicalRows.Reader`).
        let rowBlock = UnsafeMutablePointer<Double>.allocate(capacity: rows.materialized ? 1 : block * d)
        defer { rowBlock.deallocate() }
        rows.withReader { reader in
            centres.withUnsafeBufferPointer { c in
                sums.withUnsafeMutableBufferPointer { s in
                    Self.blockedProducts(rows: n, { b0, m in reader.rows(b0, m, scratch: rowBlock) },
                                         with: c.baseAddress!, count: k, dimension: d, block: block) { b0, m, g, a in
                        for r in 0..<m {
                            let row = g + r * k
                            var best = 0, bestCos = row[0]
                            for j in 1..<k where row[j] > bestCos { best = j; bestCos = row[j] }
                            guard bestCos > tau else { continue }
                            result[b0 + r] = best
                            sizes[best] += 1
                            let src = a + r * d, dst = s.baseAddress! + best * d
                            for j in 0..<d { dst[j] += src[j] }
                        }
                    }
                }
            }
        }
        return (result, sums, sizes)
    }

    /// The products of `rows` unit vectors (row-major, `dimension` wide; `a(firstRow, rowsInBlock)` gives a block
    /// of them, contiguous) with `count` others, `block` rows at a time (`gemm` into one scratch block):
    /// `visit(firstRow, rowsInBlock, product, rowsOfBlock)` with the product row-major, `count` columns. Blocks
    /// small enough to stay in cache let `visit` reuse the rows while they are hot.
    static func blockedProducts(rows: Int, _ a: (Int, Int) -> UnsafePointer<Double>, with b: UnsafePointer<Double>,
                                count: Int, dimension d: Int, block: Int,
                                visit: (Int, Int, UnsafePointer<Double>, UnsafePointer<Double>) -> Void) {
        // Uninitialised: with β = 0 `gemm` writes every entry of C without reading it (the BLAS contract).
        var scratch = [Double](unsafeUninitializedCapacity: block * count) { _, initialized in initialized = block * count }
        scratch.withUnsafeMutableBufferPointer { g in
            var b0 = 0
            while b0 < rows {
                let m = min(block, rows - b0)
                let rowsOfBlock = a(b0, m)
                BLAS.gemm(.none, .transpose, m: m, n: count, k: d, a: rowsOfBlock, lda: d, b: b, ldb: d,
                          c: g.baseAddress!, ldc: count)
                visit(b0, m, UnsafePointer(g.baseAddress!), rowsOfBlock)
                b0 += m
            }
        }
    }

    /// Per centre: the sum of its members' unit vectors (K × d) and the member count, summed in
    /// position order.
    func accumulate(_ labels: [Int], clusters k: Int) -> (sums: [Double], sizes: [Int]) {
        var sums = [Double](repeating: 0, count: k * d)
        var sizes = [Int](repeating: 0, count: k)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: d)
        defer { scratch.deallocate() }
        rows.withReader { reader in
            sums.withUnsafeMutableBufferPointer { s in
                for p in 0..<rows.n {
                    let l = labels[p]
                    if l < 0 { continue }
                    sizes[l] += 1
                    let src = reader.row(p, scratch: scratch), dst = s.baseAddress! + l * d
                    for j in 0..<d { dst[j] += src[j] }
                }
            }
        }
        return (sums, sizes)
    }

    /// Assign / recompute / drop / merge until the labels are stable (step 4).
    mutating func refine() {
        var previous: [Int]? = nil
        for iteration in 0..<options.maximumIterations {
            let k = centreCount
            let (assigned, sums, sizes) = assignAndAccumulate()
            labels = assigned
            lastAccumulation = (sums, sizes)
            let undersized = sizes.contains { $0 < options.minimumSize }
            if (previous == labels && !undersized) || iteration == options.maximumIterations - 1 { return }
            previous = labels
            var kept: [[Double]] = []
            for c in 0..<k where sizes[c] >= options.minimumSize {
                let sum = Array(sums[(c * d)..<((c + 1) * d)])
                if norm(sum) > 0 { kept.append(sum) }
            }
            centres = ClusteringEngine.mergedCentres(kept, dimension: d, tau: tau)
        }
    }

    /// Normalized `sums`, after merging (sum of sums) the closest pair of centres while their cosine
    /// is > τ (ties: first pair in index order; the merged centre keeps the lower index).
    /// One K×K `gemm`, then O(K² + K·d) per merge.
    static func mergedCentres(_ sums: [[Double]], dimension d: Int, tau: Double) -> [Double] {
        let k = sums.count
        if k == 0 { return [] }
        var totals = sums
        var units = [Double](repeating: 0, count: k * d)
        for c in 0..<k {
            let n = norm(totals[c])
            for j in 0..<d { units[c * d + j] = totals[c][j] / n }
        }
        var g = [Double](repeating: 0, count: k * k)
        units.withUnsafeBufferPointer { u in
            g.withUnsafeMutableBufferPointer { gp in
                BLAS.gemm(.none, .transpose, m: k, n: k, k: d, a: u.baseAddress!, lda: d,
                          b: u.baseAddress!, ldb: d, c: gp.baseAddress!, ldc: k)
            }
        }
        var alive = [Bool](repeating: true, count: k)
        while true {
            var bestA = -1, bestB = -1, bestCos = tau
            for a in 0..<k where alive[a] {
                for b in (a + 1)..<k where alive[b] && g[a * k + b] > bestCos {
                    bestA = a; bestB = b; bestCos = g[a * k + b]
                }
            }
            if bestA < 0 { break }
            alive[bestB] = false
            for j in 0..<d { totals[bestA][j] += totals[bestB][j] }
            let n = norm(totals[bestA])
            for j in 0..<d { units[bestA * d + j] = totals[bestA][j] / n }
            for c in 0..<k where alive[c] && c != bestA {
                var s = 0.0
                for j in 0..<d { s += units[bestA * d + j] * units[c * d + j] }
                g[bestA * k + c] = s
                g[c * k + bestA] = s
            }
        }
        var result: [Double] = []
        result.reserveCapacity(k * d)
        for c in 0..<k where alive[c] { result.append(contentsOf: units[(c * d)..<((c + 1) * d)]) }
        return result
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for j in 0..<a.count { s += a[j] * b[j] }
    return s
}

@inline(__always)
func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
