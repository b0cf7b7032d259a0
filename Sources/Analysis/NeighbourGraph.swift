/// Symmetric adjacency lists of a graph on vertices 0..<count, stored as compressed rows: the neighbours of
/// vertex i are `targets[offsets[i]..<offsets[i + 1]]`, ascending. One array for all lists, so building and walking
/// them allocates nothing per vertex.
struct NeighbourGraph {
    /// count + 1 offsets into `targets`.
    private(set) var offsets: [Int]
    private(set) var targets: [Int32]

    var count: Int { offsets.count - 1 }

    func degree(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// The empty graph on `count` vertices.
    init(isolated count: Int) {
        offsets = [Int](repeating: 0, count: count + 1)
        targets = []
    }

    /// The graph of the undirected edges {first[e], second[e]} (first[e] ≤ second[e]; equal for a loop, listed
    /// once), given in ascending order of `first`, each vertex's edges to later vertices in ascending order of
    /// `second`. Then every list comes out ascending: a vertex's edges from earlier vertices are met before its own.
    init(count: Int, first: [Int32], second: [Int32]) {
        var offsets = [Int](repeating: 0, count: count + 1)
        var targets: [Int32] = []
        offsets.withUnsafeMutableBufferPointer { ob in
            first.withUnsafeBufferPointer { fb in
                second.withUnsafeBufferPointer { sb in
                    let o = ob.baseAddress!, f = fb.baseAddress!, t = sb.baseAddress!, edges = fb.count
                    for e in 0..<edges {
                        o[Int(f[e]) + 1] += 1
                        if t[e] != f[e] { o[Int(t[e]) + 1] += 1 }
                    }
                    for i in 0..<count { o[i + 1] += o[i] }
                    var cursor = Array(ob)
                    targets = [Int32](unsafeUninitializedCapacity: o[count]) { tb, initialized in
                        cursor.withUnsafeMutableBufferPointer { cb in
                            let c = cb.baseAddress!, out = tb.baseAddress!
                            for e in 0..<edges {
                                let a = Int(f[e]), b = Int(t[e])
                                out[c[a]] = Int32(b)
                                c[a] += 1
                                if a != b {
                                    out[c[b]] = Int32(a)
                                    c[b] += 1
                                }
                            }
                        }
                        initialized = o[count]
                    }
                }
            }
        }
        self.offsets = offsets
        self.targets = targets
    }

    /// The subgraph induced by `vertices` (ascending), renumbered 0..<vertices.count in their order.
    func induced(by vertices: [Int]) -> NeighbourGraph {
        var index = [Int32](repeating: -1, count: count)
        for (i, v) in vertices.enumerated() { index[v] = Int32(i) }
        var result = NeighbourGraph(isolated: 0)
        result.offsets = [0]
        result.offsets.reserveCapacity(vertices.count + 1)
        for v in vertices {
            for e in offsets[v]..<offsets[v + 1] where index[Int(targets[e])] >= 0 {
                result.targets.append(index[Int(targets[e])])
            }
            result.offsets.append(result.targets.count)
        }
        return result
    }

    /// `body` with the offsets and targets as raw buffers (for the hot loops of the greedy rules).
    func withLists<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { o in try targets.withUnsafeBufferPointer { t in try body(o, t) } }
    }
}
