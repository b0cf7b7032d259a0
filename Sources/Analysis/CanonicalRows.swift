import Dispatch
import LinearAlgebra

/// The valid rows of a matrix, normalized and sorted into an order defined by their content only.
///
/// Key of a row: a 64-bit hash of the IEEE-754 bit patterns of its normalized entries (−0 folded
/// into +0), ties broken by comparing the bit patterns lexicographically. Equal keys mean equal
/// normalized rows, which are interchangeable, so the order is a function of the multiset of rows.
/// Sorting by a hash (rather than by the values) makes any prefix of the order a pseudo-random
/// subsample of the directions.
struct CanonicalRows {
    let dimension: Int
    /// Number of valid rows.
    let n: Int
    /// n × dimension unit vectors in canonical order.
    var units: [Double]
    /// Canonical position → original row index.
    let original: [Int]
    /// Original indices of rows that are zero or have a non-finite entry, ascending.
    let excluded: [Int]

    init(rows: UnsafeBufferPointer<Double>, count: Int, dimension d: Int) {
        dimension = d
        let base = rows.baseAddress!
        // Pass 1 (rows split across BLAS's thread count; each row is independent): validity, norm, key.
        // Nothing is stored but a norm and a key per row, so the matrix is read once here and once below.
        var norms = [Double](repeating: .nan, count: count)
        var keys = [UInt64](repeating: 0, count: count)
        let chunks = Self.chunks(rows: count, dimension: d)
        norms.withUnsafeMutableBufferPointer { normOut in
            keys.withUnsafeMutableBufferPointer { keyOut in
                let no = normOut.baseAddress!, ko = keyOut.baseAddress!
                Self.forEachChunk(chunks, rows: count) { range in
                    for i in range {
                        let row = base + i * d
                        var finite = true
                        for j in 0..<d where !row[j].isFinite { finite = false; break }
                        let norm = finite ? BLAS.nrm2(n: d, x: row) : .nan
                        guard finite, norm > 0, norm.isFinite else { continue }
                        var h: UInt64 = 0x243F_6A88_85A3_08D3
                        for j in 0..<d {
                            let v = row[j] / norm + 0.0          // + 0.0 folds −0 into +0
                            h = CanonicalRows.mix(h ^ v.bitPattern) &+ 0x9E37_79B9_7F4A_7C15
                        }
                        no[i] = norm
                        ko[i] = h
                    }
                }
            }
        }
        var valid: [Int] = []
        var excluded: [Int] = []
        valid.reserveCapacity(count)
        for i in 0..<count { if norms[i].isNaN { excluded.append(i) } else { valid.append(i) } }
        norms.withUnsafeBufferPointer { nb in
            let nrm = nb.baseAddress!
            valid.sort { a, b in
                if keys[a] != keys[b] { return keys[a] < keys[b] }
                for j in 0..<d {
                    let x = (base[a * d + j] / nrm[a] + 0.0).bitPattern, y = (base[b * d + j] / nrm[b] + 0.0).bitPattern
                    if x != y { return x < y }
                }
                return false
            }
        }
        n = valid.count
        original = valid
        self.excluded = excluded
        // Pass 2: the unit vectors, written straight into canonical order.
        let total = valid.count * d
        units = norms.withUnsafeBufferPointer { nb in
            valid.withUnsafeBufferPointer { vb in
                [Double](unsafeUninitializedCapacity: total) { out, initialized in
                    let nrm = nb.baseAddress!, order = vb.baseAddress!, o = out.baseAddress!
                    Self.forEachChunk(Self.chunks(rows: vb.count, dimension: d), rows: vb.count) { range in
                        for p in range {
                            let i = order[p], row = base + i * d, norm = nrm[i], dst = o + p * d
                            for j in 0..<d { dst[j] = row[j] / norm + 0.0 }
                        }
                    }
                    initialized = total
                }
            }
        }
    }

    /// How many pieces a pass over `rows` × `dimension` values is split into: BLAS's thread count (1 when the
    /// caller parallelises itself and set it so), and 1 for matrices too small to be worth a thread.
    static func chunks(rows: Int, dimension: Int) -> Int {
        rows * dimension < 1 << 18 ? 1 : max(1, min(BLAS.threads, rows))
    }

    /// Calls `body` on `chunks` contiguous ranges covering 0..<rows, concurrently when chunks > 1.
    static func forEachChunk(_ chunks: Int, rows: Int, _ body: (Range<Int>) -> Void) {
        if chunks <= 1 { body(0..<rows); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((rows * c / chunks)..<(rows * (c + 1) / chunks))
        }
    }

    /// The SplitMix64 finalizer (a bijective 64-bit mixer).
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
