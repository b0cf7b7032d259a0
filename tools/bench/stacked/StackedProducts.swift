// The first hidden layer's two products of condense's small-layer path for 5-50-1 on n = 80 (Z = A·Wᵀ from the
// transposed copy, ∂Wᵀ = Aᵀ·δ), once per network against once for K networks stacked side by side (what a seed
// batch could do when every network had the same inputs): are the bits the same, and is it faster? Built and run
// by stacked-products.sh against the system OpenBLAS that condense links (through the package's CBLAS module).
import CBLAS
import Foundation

/// A fixed pseudo-random sequence (SplitMix64), so both product forms see the same operands on every run.
struct Numbers {
    var state: UInt64 = 1
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53 - 0.5
    }
}

/// Per-network products against one stacked product for K networks: how many entries differ in their bits.
func differingEntries(networks K: Int) -> Int {
    let (n, k, m) = (80, 6, 50)
    var numbers = Numbers()
    let a = (0..<n * k).map { _ in numbers.next() }
    let wt = (0..<k * m * K).map { _ in numbers.next() * 0.01 }   // K transposed weights side by side, ld m·K
    let d = (0..<n * m * K).map { _ in numbers.next() * 1e-3 }    // K output deltas side by side, ld m·K
    var z1 = [Double](repeating: 0, count: n * m * K), z2 = z1
    var g1 = [Double](repeating: 0, count: k * m * K), g2 = g1
    for j in 0..<K {
        // Forward Z_j = A (n×k) · Wt_j (k×m), written with the padded stride m + 1 the workspace uses.
        var w = [Double](repeating: 0, count: k * m), z = [Double](repeating: 0, count: n * (m + 1))
        for r in 0..<k { for c in 0..<m { w[r * m + c] = wt[r * m * K + j * m + c] } }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(k), 1, a, Int32(k), w,
                    Int32(m), 0, &z, Int32(m + 1))
        for r in 0..<n { for c in 0..<m { z1[r * m * K + j * m + c] = z[r * (m + 1) + c] } }
        // Weight gradient G_j = Aᵀ (k×n) · D_j (n×m).
        var dj = [Double](repeating: 0, count: n * m), g = [Double](repeating: 0, count: k * m)
        for r in 0..<n { for c in 0..<m { dj[r * m + c] = d[r * m * K + j * m + c] } }
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(m), Int32(n), 1, a, Int32(k), dj,
                    Int32(m), 0, &g, Int32(m))
        for r in 0..<k { for c in 0..<m { g1[r * m * K + j * m + c] = g[r * m + c] } }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m * K), Int32(k), 1, a, Int32(k), wt,
                Int32(m * K), 0, &z2, Int32(m * K))
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(m * K), Int32(n), 1, a, Int32(k), d,
                Int32(m * K), 0, &g2, Int32(m * K))
    let forward = zip(z1, z2).filter { $0.bitPattern != $1.bitPattern }.count
    let gradient = zip(g1, g2).filter { $0.bitPattern != $1.bitPattern }.count
    print("K = \(K): stacked against per-network products, forward \(forward) of \(n * m * K) entries differ, "
          + "weight gradient \(gradient) of \(k * m * K)")
    return forward + gradient
}

/// Time per network-step of both first-layer products, K = 16 networks separately against stacked.
func timing() {
    let (n, k, m, K, repeats) = (80, 6, 50, 16, 20_000)
    let a = (0..<n * k).map { 0.1 * Double($0) }
    let w = [Double](repeating: 0, count: k * m * K), d = [Double](repeating: 0, count: n * m * K)
    var z = [Double](repeating: 0, count: n * m * K), g = [Double](repeating: 0, count: k * m * K)
    let t0 = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats {
        for j in 0..<K {
            w.withUnsafeBufferPointer { wp in d.withUnsafeBufferPointer { dp in
                z.withUnsafeMutableBufferPointer { zp in g.withUnsafeMutableBufferPointer { gp in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(k), 1, a,
                                Int32(k), wp.baseAddress! + j * k * m, Int32(m), 0, zp.baseAddress! + j * n * m, Int32(m))
                    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(m), Int32(n), 1, a,
                                Int32(k), dp.baseAddress! + j * n * m, Int32(m), 0, gp.baseAddress! + j * k * m, Int32(m))
                } }
            } }
        }
    }
    let t1 = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m * K), Int32(k), 1, a, Int32(k), w,
                    Int32(m * K), 0, &z, Int32(m * K))
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(m * K), Int32(n), 1, a, Int32(k), d,
                    Int32(m * K), 0, &g, Int32(m * K))
    }
    let t2 = DispatchTime.now().uptimeNanoseconds
    let perStep = { (ns: UInt64) in String(format: "%.3f", Double(ns) / Double(repeats * K) / 1000) }
    print("per network-step, both first-layer products: separate \(perStep(t1 - t0)) us, stacked \(perStep(t2 - t1)) us")
}

let differing = [2, 16, 64, 256].reduce(0) { $0 + differingEntries(networks: $1) }
timing()
exit(differing == 0 ? 0 : 1)
