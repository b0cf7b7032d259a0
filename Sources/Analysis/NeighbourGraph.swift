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

    /// Each vertex's partners among the later vertices, ascending, in vertex order: vertex i's are
    /// `targets[ends[i - 1]..<ends[i]]` (from 0 for i = 0).
    struct UpperLists {
        var targets: [Int32] = []
        var ends: [Int] = []

        init(rows: Int) {
            ends.reserveCapacity(rows)
            targets.reserveCapacity(4 * rows)
        }
    }

    /// The undirected graph of `upper` (each edge given once, by its earlier vertex), with a loop at every vertex
    /// when `loops`. A vertex's list: its earlier partners, itself (with loops), its later partners — ascending.
    init(_ upper: UpperLists, loops: Bool) {
        let count = upper.ends.count, loop = loops ? 1 : 0
        var offsets = [Int](repeating: 0, count: count + 1)
        var targets: [Int32] = []
        offsets.withUnsafeMutableBufferPointer { ob in
            upper.targets.withUnsafeBufferPointer { ub in
                upper.ends.withUnsafeBufferPointer { eb in
                    let o = ob.baseAddress!, later = ub.baseAddress!, ends = eb.baseAddress!
                    // Degrees: earlier partners (counted from their lists), the loop, later partners.
                    for e in 0..<ub.count { o[Int(later[e]) + 1] += 1 }
                    var start = 0
                    for i in 0..<count {
                        o[i + 1] += loop + ends[i] - start
                        start = ends[i]
                    }
                    for i in 0..<count { o[i + 1] += o[i] }
                    var filled = [Int](repeating: 0, count: count)     // earlier partners placed so far
                    targets = [Int32](unsafeUninitializedCapacity: o[count]) { tb, initialized in
                        filled.withUnsafeMutableBufferPointer { fb in
                            let out = tb.baseAddress!, f = fb.baseAddress!
                            var start = 0
                            for i in 0..<count {
                                // Vertex i's earlier partners are all placed (they came from lists before i's).
                                var w = o[i] + f[i]
                                if loops { out[w] = Int32(i); w += 1 }
                                for e in start..<ends[i] {
                                    let j = Int(later[e])
                                    out[w] = later[e]
                                    w += 1
                                    out[o[j] + f[j]] = Int32(i)
                                    f[j] += 1
                                }
                                start = ends[i]
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
