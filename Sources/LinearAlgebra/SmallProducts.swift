/// Register-blocked products for a layer with a short inner dimension (a narrow network's hidden layer on few
/// rows), where a BLAS call costs more in packing, clearing C and call overhead than in arithmetic.
///
/// Every entry is summed in a fixed order, the plain loop's: s = 0, then s = s + x·y term by term in the order of
/// the inner index, each product and each sum rounded (no fused multiply–add). So an entry's bits depend only on
/// its own row and column of the operands, never on the tile, the block of columns a caller asks for, the thread
/// that runs it or the CPU's vector width, and they equal the naive triple loop's. Unfused because
/// `addingProduct` is a call into libm per lane on a CPU build without FMA (the portable build), and on CPUs with
/// separate multiply and add pipes the pair costs no more throughput than an FMA.
///
/// Tiles: 8 columns of the result in one `SIMD8<Double>` (two AVX2 registers), times up to 4 rows (forward: 8
/// accumulator registers) or up to 6 inner columns (weight gradient: 12), the sizes that measured fastest. Nothing is
/// allocated; the caller passes the scratch for the packed panels.
public enum SmallProducts {
    typealias V = SIMD8<Double>
    /// Result columns per tile (the lanes of `V`).
    public static let lanes = 8

    /// Doubles of scratch that `multiplyTransposed` needs for m columns and an inner dimension k: W's rows packed
    /// in panels of 8, k×8 each (the last padded with zeros).
    public static func panelCount(m: Int, k: Int) -> Int { (m + lanes - 1) / lanes * lanes * k }

    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Double>, count: Int) {
        if count == lanes {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        } else {
            for t in 0..<count { p[t] = v[t] }
        }
    }

    /// C = A·Wᵀ: C[i, j] = Σ_c A[i, c]·W[j, c] for i < n, j < m, c < k, with A n×k (row stride `lda`), W m×k as
    /// stored (a layer's weights, row j = neuron j, row stride `ldw`) and C n×m (row stride `ldc`); each entry
    /// summed over c in order from 0 (see the type). `panel` is scratch of at least `panelCount(m:k:)` doubles;
    /// callers that run column blocks at once give each its own. C's entries outside the n×m block are not touched.
    public static func multiplyTransposed(n: Int, m: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                          w: UnsafePointer<Double>, ldw: Int,
                                          c: UnsafeMutablePointer<Double>, ldc: Int,
                                          panel: UnsafeMutablePointer<Double>) {
        precondition(n >= 0 && m >= 0 && k >= 0, "multiplyTransposed: negative dimension")
        precondition(lda >= k && ldw >= k && ldc >= m, "multiplyTransposed: leading dimension too small")
        // All of W first, rows j..<j+8 as the k×8 panel at j·k: row c holds W[j + t, c] in lane t (0 beyond m).
        // Written whole before any is read, so the tiles' vector loads never wait on these scalar stores.
        var j = 0
        while j < m {
            let count = min(lanes, m - j), wj = w + j * ldw
            var row = panel + j * k
            if count == lanes {
                for cc in 0..<k {
                    for t in 0..<lanes { row[t] = wj[t &* ldw &+ cc] }   // a constant trip count: unrolled
                    row += lanes
                }
            } else {
                for cc in 0..<k {
                    for t in 0..<count { row[t] = wj[t &* ldw &+ cc] }
                    for t in count..<lanes { row[t] = 0 }
                    row += lanes
                }
            }
            j += lanes
        }
        j = 0
        while j < m {
            let count = min(lanes, m - j), panel = UnsafePointer(panel + j * k)
            var i = 0
            while i + 4 <= n { forwardTile(4, k, a + i * lda, lda, panel, c + i * ldc + j, ldc, count); i += 4 }
            switch n - i {
            case 3: forwardTile(3, k, a + i * lda, lda, panel, c + i * ldc + j, ldc, count)
            case 2: forwardTile(2, k, a + i * lda, lda, panel, c + i * ldc + j, ldc, count)
            case 1: forwardTile(1, k, a + i * lda, lda, panel, c + i * ldc + j, ldc, count)
            default: break
            }
            j += lanes
        }
    }

    /// `rows` (1…4, a constant after inlining) rows of A times one packed panel into `count` columns of C. Four rows
    /// (8 accumulator registers) ran faster than six (12), which left the compiler too few registers.
    @inline(__always)
    static func forwardTile(_ rows: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                            _ panel: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>, _ ldc: Int,
                            _ count: Int) {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        // Row pointers and a moving panel pointer: no overflow-checked index arithmetic in the loop.
        let a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda
        var p = panel
        for cc in 0..<k {
            let wv = load(p)
            p += lanes
            s0 += V(repeating: a[cc]) * wv
            if rows > 1 { s1 += V(repeating: a1[cc]) * wv }
            if rows > 2 { s2 += V(repeating: a2[cc]) * wv }
            if rows > 3 { s3 += V(repeating: a3[cc]) * wv }
        }
        let c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc
        store(s0, c, count: count)
        if rows > 1 { store(s1, c1, count: count) }
        if rows > 2 { store(s2, c2, count: count) }
        if rows > 3 { store(s3, c3, count: count) }
    }

    /// G = Dᵀ·A: G[j, c] = Σ_i D[i, j]·A[i, c] for j < m, c < k, i < n, with D n×m (row stride `ldd`), A n×k
    /// (row stride `lda`) and G m×k (row stride `ldg`, overwritten); each entry summed over i in order from 0 (see
    /// the type). A layer's weight gradient ∂W = δᵀ·A written straight in the weights' layout. Entries of G outside
    /// the m×k block are not touched. When m is not a multiple of 8, the last m mod 8 columns of D are copied,
    /// padded with zeros, into `panel` (at least `deltaPanelCount(n:)` doubles) and multiplied from there; with m a
    /// multiple of 8 `panel` is not used.
    public static func multiplyTransposingFirst(n: Int, m: Int, k: Int, d: UnsafePointer<Double>, ldd: Int,
                                                a: UnsafePointer<Double>, lda: Int,
                                                g: UnsafeMutablePointer<Double>, ldg: Int,
                                                panel: UnsafeMutablePointer<Double>) {
        precondition(n >= 0 && m >= 0 && k >= 0, "multiplyTransposingFirst: negative dimension")
        precondition(ldd >= m && lda >= k && ldg >= k, "multiplyTransposingFirst: leading dimension too small")
        var j = 0
        while j < m {
            let count = min(lanes, m - j)
            if count == lanes {
                gradientTiles(n, k, a, lda, g + j * ldg, ldg, count, d + j, ldd)
            } else {
                // Copied whole before it is read (a vector load right after scalar stores to it would stall).
                var from = d + j, to = panel
                for _ in 0..<n {
                    for t in 0..<count { to[t] = from[t] }
                    for t in count..<lanes { to[t] = 0 }
                    from += ldd; to += lanes
                }
                gradientTiles(n, k, a, lda, g + j * ldg, ldg, count, panel, lanes)
            }
            j += lanes
        }
    }

    /// G = Dᵀ·A as `multiplyTransposingFirst(…d:…)` for D[i, j] = ((s·r[i])·q[j])·e[i, j]·mask[i, j] (no mask when
    /// nil), formed 8 columns at a time into `panel` (at least `deltaPanelCount(n:)` doubles; column blocks run at
    /// once need their own) and multiplied from there while it is in L1. Each D[i, j] is rounded as that expression
    /// evaluated left to right, so G has the bits of forming D first. A single-output readout's δ = ((1/α)·dY)·w̄ ⊙
    /// σ'(Z) ⊙ M for the first hidden layer, where δ is needed for nothing but this product: one pass over σ' with
    /// full vectors instead of a pass per row of δ.
    public static func multiplyTransposingFirst(n: Int, m: Int, k: Int, scale s: Double,
                                                rowFactors r: UnsafePointer<Double>,
                                                columnFactors q: UnsafePointer<Double>,
                                                e: UnsafePointer<Double>, lde: Int,
                                                mask: UnsafePointer<Double>?, ldmask: Int,
                                                a: UnsafePointer<Double>, lda: Int,
                                                g: UnsafeMutablePointer<Double>, ldg: Int,
                                                panel: UnsafeMutablePointer<Double>) {
        precondition(n >= 0 && m >= 0 && k >= 0, "multiplyTransposingFirst: negative dimension")
        precondition(lde >= m && (mask == nil || ldmask >= m) && lda >= k && ldg >= k,
                     "multiplyTransposingFirst: leading dimension too small")
        var j = 0
        while j < m {
            let count = min(lanes, m - j)
            var er = e + j, out = panel
            if count == lanes {
                let qv = load(q + j)
                if let mask {
                    var mr = mask + j
                    for i in 0..<n {
                        let t = ((V(repeating: s * r[i]) * qv) * load(er)) * load(mr)
                        UnsafeMutableRawPointer(out).storeBytes(of: t, as: V.self)
                        er += lde; mr += ldmask; out += lanes
                    }
                } else {
                    for i in 0..<n {
                        let t = (V(repeating: s * r[i]) * qv) * load(er)
                        UnsafeMutableRawPointer(out).storeBytes(of: t, as: V.self)
                        er += lde; out += lanes
                    }
                }
            } else {
                // The scalar form of the same expression (each lane rounds alike), 0 beyond the count.
                for i in 0..<n {
                    let si = s * r[i]
                    for t in 0..<count {
                        let v = (si * q[j + t]) * er[t]
                        out[t] = mask.map { v * $0[j + i * ldmask + t] } ?? v
                    }
                    for t in count..<lanes { out[t] = 0 }
                    er += lde; out += lanes
                }
            }
            gradientTiles(n, k, a, lda, g + j * ldg, ldg, count, panel, lanes)
            j += lanes
        }
    }

    /// Doubles of scratch that the δ-forming `multiplyTransposingFirst` needs for n rows: one panel of 8 columns.
    public static func deltaPanelCount(n: Int) -> Int { lanes * n }

    /// One panel of 8 columns of D (8 doubles from d in each row, row stride ldd) times all k columns of A, in tiles
    /// of up to 6 columns, into the `count`×k block of G at g.
    @inline(__always)
    static func gradientTiles(_ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                              _ g: UnsafeMutablePointer<Double>, _ ldg: Int, _ count: Int,
                              _ d: UnsafePointer<Double>, _ ldd: Int) {
        var cc = 0
        while cc + 6 <= k { gradientTile(6, n, a + cc, lda, g + cc, ldg, count, d, ldd); cc += 6 }
        switch k - cc {
        case 5: gradientTile(5, n, a + cc, lda, g + cc, ldg, count, d, ldd)
        case 4: gradientTile(4, n, a + cc, lda, g + cc, ldg, count, d, ldd)
        case 3: gradientTile(3, n, a + cc, lda, g + cc, ldg, count, d, ldd)
        case 2: gradientTile(2, n, a + cc, lda, g + cc, ldg, count, d, ldd)
        case 1: gradientTile(1, n, a + cc, lda, g + cc, ldg, count, d, ldd)
        default: break
        }
    }

    /// 8 columns of D times `cols` (1…6, a constant after inlining) columns of A, over all n rows, into the
    /// `count`×`cols` block of G at g.
    @inline(__always)
    static func gradientTile(_ cols: Int, _ n: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                             _ g: UnsafeMutablePointer<Double>, _ ldg: Int, _ count: Int,
                             _ d: UnsafePointer<Double>, _ ldd: Int) {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V()
        // Moving row pointers: no overflow-checked index arithmetic in the loop.
        var ar = a, dr = d
        for _ in 0..<n {
            let dv = load(dr)
            dr += ldd
            s0 += V(repeating: ar[0]) * dv
            if cols > 1 { s1 += V(repeating: ar[1]) * dv }
            if cols > 2 { s2 += V(repeating: ar[2]) * dv }
            if cols > 3 { s3 += V(repeating: ar[3]) * dv }
            if cols > 4 { s4 += V(repeating: ar[4]) * dv }
            if cols > 5 { s5 += V(repeating: ar[5]) * dv }
            ar += lda
        }
        for t in 0..<count {
            let out = g + t * ldg
            out[0] = s0[t]
            if cols > 1 { out[1] = s1[t] }
            if cols > 2 { out[2] = s2[t] }
            if cols > 3 { out[3] = s3[t] }
            if cols > 4 { out[4] = s4[t] }
            if cols > 5 { out[5] = s5[t] }
        }
    }
}
