import Dispatch
import LinearAlgebra

/// The valid rows of a matrix, normalized and sorted into an order defined by their content only. Short rows are
/// copied into canonical order once; long rows stay in the caller's matrix and are normalized as they are read
/// (`Reader`: the same division, so the same values), which spares a copy of the matrix and its page faults.
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
    /// n × dimension unit vectors in canonical order when rows are short (`materialized`), else empty: long rows
    /// are normalized from the caller's matrix as they are read (`withReader`), so no copy of the matrix is made.
    private let units: [Double]
    /// Whether `units` holds the unit vectors: rows of fewer than 32 entries (a few cache lines), which read in
    /// canonical (scattered) order from the caller's matrix would each cost a cache miss.
    let materialized: Bool
    /// The caller's rows (valid while the clustering runs) and their norms, by original index.
    private let source: UnsafePointer<Double>
    private let norms: [Double]
    /// Canonical position → original row index.
    let original: [Int]
    /// Original indices of rows that are zero or have a non-finite entry, ascending.
    let excluded: [Int]

    init(rows: UnsafeBufferPointer<Double>, count: Int, dimension d: Int) {
        dimension = d
        let base = rows.baseAddress!
        // Pass 1 (rows split across BLAS's thread count; each row is independent): validity, norm, key.
        // Nothing is stored but a norm and a key per row.
        var norms = [Double](repeating: .nan, count: count)
        var keys = [UInt64](repeating: 0, count: count)
        let chunks = Self.chunks(rows: count, dimension: d)
        norms.withUnsafeMutableBufferPointer { normOut in
            keys.withUnsafeMutableBufferPointer { keyOut in
                let no = normOut.baseAddress!, ko = keyOut.baseAddress!
                Self.forEachChunk(chunks, rows: count) { range in
                    // Four rows at a time: a row's hash is one serial chain of multiplies, so four
                    // independent chains keep the multiplier busy (each chain is the same as alone). The
                    // four normalized rows are first written to a small scratch block (vector division).
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * d)
                    defer { scratch.deallocate() }
                    let s0 = scratch, s1 = s0 + d, s2 = s1 + d, s3 = s2 + d
                    var i = range.lowerBound
                    while i + 4 <= range.upperBound {
                        let r0 = base + i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d
                        let n0 = Self.validNorm(r0, d), n1 = Self.validNorm(r1, d)
                        let n2 = Self.validNorm(r2, d), n3 = Self.validNorm(r3, d)
                        // An excluded row's chain runs on (divided by 1) and is dropped.
                        let m0 = n0.isNaN ? 1 : n0, m1 = n1.isNaN ? 1 : n1
                        let m2 = n2.isNaN ? 1 : n2, m3 = n3.isNaN ? 1 : n3
                        for j in 0..<d { s0[j] = r0[j] / m0 + 0.0 }      // + 0.0 folds −0 into +0
                        for j in 0..<d { s1[j] = r1[j] / m1 + 0.0 }
                        for j in 0..<d { s2[j] = r2[j] / m2 + 0.0 }
                        for j in 0..<d { s3[j] = r3[j] / m3 + 0.0 }
                        var h0 = Self.seed, h1 = Self.seed, h2 = Self.seed, h3 = Self.seed
                        for j in 0..<d {
                            h0 = Self.step(h0, s0[j])
                            h1 = Self.step(h1, s1[j])
                            h2 = Self.step(h2, s2[j])
                            h3 = Self.step(h3, s3[j])
                        }
                        no[i] = n0; no[i + 1] = n1; no[i + 2] = n2; no[i + 3] = n3
                        if !n0.isNaN { ko[i] = h0 }
                        if !n1.isNaN { ko[i + 1] = h1 }
                        if !n2.isNaN { ko[i + 2] = h2 }
                        if !n3.isNaN { ko[i + 3] = h3 }
                        i += 4
                    }
                    while i < range.upperBound {
                        let row = base + i * d
                        let norm = Self.validNorm(row, d)
                        if !norm.isNaN {
                            var h = Self.seed
                            for j in 0..<d { h = Self.step(h, row[j] / norm + 0.0) }   // + 0.0 folds −0 into +0
                            no[i] = norm
                            ko[i] = h
                        }
                        i += 1
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
        source = base
        self.norms = norms
        // Pass 2 (short rows only): the unit vectors, written straight into canonical order.
        materialized = d < 32
        let total = materialized ? valid.count * d : 0
        units = norms.withUnsafeBufferPointer { nb in
            valid.withUnsafeBufferPointer { vb in
                [Double](unsafeUninitializedCapacity: total) { out, initialized in
                    if total > 0 {
                        let nrm = nb.baseAddress!, order = vb.baseAddress!, o = out.baseAddress!
                        Self.forEachChunk(Self.chunks(rows: vb.count, dimension: d), rows: vb.count) { range in
                            for p in range {
                                let i = order[p], row = base + i * d, norm = nrm[i], dst = o + p * d
                                for j in 0..<d { dst[j] = row[j] / norm + 0.0 }
                            }
                        }
                    }
                    initialized = total
                }
            }
        }
    }

    /// Reads unit rows by canonical position: from `units`, or normalized from the caller's matrix into a scratch
    /// row (the same division, so the same values).
    struct Reader {
        let d: Int
        let units: UnsafePointer<Double>?
        let source: UnsafePointer<Double>
        let norms: UnsafePointer<Double>?
        let original: UnsafePointer<Int>?

        /// Unit row `p`: a pointer into `units`, or `scratch` (d values) filled with it.
        @inline(__always)
        func row(_ p: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
            if let u = units { return u + p * d }
            let i = original![p], src = source + i * d, norm = norms![i]
            for j in 0..<d { scratch[j] = src[j] / norm + 0.0 }
            return UnsafePointer(scratch)
        }

        /// Unit rows p0..<p0 + m, contiguous: a pointer into `units`, or `scratch` (m·d values) filled with them.
        func rows(_ p0: Int, _ m: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
            if let u = units { return u + p0 * d }
            for r in 0..<m { _ = row(p0 + r, scratch: scratch + r * d) }
            return UnsafePointer(scratch)
        }

        /// Copies unit row `p` to `dst`.
        func copy(_ p: Int, to dst: UnsafeMutablePointer<Double>) {
            if let u = units { dst.update(from: u + p * d, count: d) } else { _ = row(p, scratch: dst) }
        }
    }

    /// `body` with a `Reader` over the unit rows, valid for the call.
    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try units.withUnsafeBufferPointer { u in
            try norms.withUnsafeBufferPointer { nb in
                try original.withUnsafeBufferPointer { ob in
                    try body(Reader(d: dimension, units: materialized ? u.baseAddress : nil, source: source,
                                    norms: nb.baseAddress, original: ob.baseAddress))
                }
            }
        }
    }

    /// The unit vector at canonical position `p`.
    func unit(_ p: Int) -> [Double] {
        withReader { reader in
            [Double](unsafeUninitializedCapacity: dimension) { out, initialized in
                reader.copy(p, to: out.baseAddress!)
                initialized = dimension
            }
        }
    }

    /// The row's norm when it is finite, non-zero and has only finite entries, else NaN.
    @inline(__always)
    static func validNorm(_ row: UnsafePointer<Double>, _ d: Int) -> Double {
        // An entry is not finite when its exponent bits are all ones; or-ing the tests over the row (rather
        // than leaving at the first) lets the loop run on vectors.
        var nonFinite: UInt64 = 0
        for j in 0..<d { nonFinite |= row[j].bitPattern & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 ? 1 : 0 }
        if nonFinite != 0 { return .nan }
        let norm = BLAS.nrm2(n: d, x: row)
        return norm > 0 && norm.isFinite ? norm : .nan
    }

    static let seed: UInt64 = 0x243F_6A88_85A3_08D3

    /// One entry into a row's key: mix in the bits of the normalized value.
    @inline(__always)
    static func step(_ h: UInt64, _ v: Double) -> UInt64 { mix(h ^ v.bitPattern) &+ 0x9E37_79B9_7F4A_7C15 }

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
