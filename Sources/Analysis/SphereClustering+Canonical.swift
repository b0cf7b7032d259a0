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
        var normalized = [Double](repeating: 0, count: count * d)
        var keys = [UInt64](repeating: 0, count: count)
        var valid: [Int] = []
        var excluded: [Int] = []
        valid.reserveCapacity(count)
        let base = rows.baseAddress!
        normalized.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                let row = base + i * d
                var finite = true
                for j in 0..<d where !row[j].isFinite { finite = false; break }
                let norm = finite ? BLAS.nrm2(n: d, x: row) : .nan
                guard finite, norm > 0, norm.isFinite else { excluded.append(i); continue }
                var h: UInt64 = 0x243F_6A88_85A3_08D3
                for j in 0..<d {
                    let v = row[j] / norm + 0.0          // + 0.0 folds −0 into +0
                    out[i * d + j] = v
                    h = CanonicalRows.mix(h ^ v.bitPattern) &+ 0x9E37_79B9_7F4A_7C15
                }
                keys[i] = h
                valid.append(i)
            }
        }
        normalized.withUnsafeBufferPointer { u in
            valid.sort { a, b in
                if keys[a] != keys[b] { return keys[a] < keys[b] }
                for j in 0..<d {
                    let x = u[a * d + j].bitPattern, y = u[b * d + j].bitPattern
                    if x != y { return x < y }
                }
                return false
            }
        }
        n = valid.count
        original = valid
        self.excluded = excluded
        var units = [Double](repeating: 0, count: valid.count * d)
        normalized.withUnsafeBufferPointer { u in
            units.withUnsafeMutableBufferPointer { out in
                for (p, i) in valid.enumerated() {
                    (out.baseAddress! + p * d).update(from: u.baseAddress! + i * d, count: d)
                }
            }
        }
        self.units = units
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
