import LinearAlgebra

/// RD = ‖W(t) − W(0)‖_F / ‖W(0)‖_F over one layer's input weights (P2's order parameter).
///
/// Returns 0 when both are zero and +∞ when only W(0) is zero.
/// - Throws: `AnalysisError.shape` when the shapes differ.
public func relativeDistance(current: Matrix, initial: Matrix) throws -> Double {
    try relativeDistance(current: [current], initial: [initial])
}

/// RD over several layers taken together: √(Σ_l ‖W_l(t) − W_l(0)‖²_F) / √(Σ_l ‖W_l(0)‖²_F)
/// (P2 uses all input weights θ_w).
public func relativeDistance(current: [Matrix], initial: [Matrix]) throws -> Double {
    guard current.count == initial.count else {
        throw AnalysisError.shape("\(current.count) current layers against \(initial.count) initial ones")
    }
    var difference = 0.0, reference = 0.0
    for (l, (w, w0)) in zip(current, initial).enumerated() {
        guard w.rows == w0.rows && w.cols == w0.cols else {
            throw AnalysisError.shape("layer \(l): current \(w.rows)×\(w.cols), initial \(w0.rows)×\(w0.cols)")
        }
        // Scaled accumulation (as BLAS nrm2) would guard overflow; weights of trained nets are far
        // from 1e154, so plain sums of squares are kept for clarity.
        for (a, b) in zip(w.elements, w0.elements) {
            difference += (a - b) * (a - b)
            reference += b * b
        }
    }
    if reference == 0 { return difference == 0 ? 0 : .infinity }
    return (difference / reference).squareRoot()
}

/// The p = 1 stationary direction of a layer's input weights to leading order (P1 §5.1):
/// v = Σ_i e_i (x_i, 1), with e_i = f(x_i) − y_i the residuals and x_i the layer's input
/// (the network input for the first layer, the previous layer's activations otherwise).
///
/// For k > 1 outputs the neurons' stationary directions are M·a_j with M = Σ_i (x_i, 1) e_iᵀ
/// ((d+1) × k), which depend on each neuron's readout a_j; this returns M's leading left singular
/// vector (the dominant direction of that family), computed as the top eigenvector of M·Mᵀ. For
/// k = 1 that is exactly v/‖v‖.
///
/// - Parameters:
///   - residuals: n × k.
///   - layerInput: n × d (without the ones column).
/// - Returns: a unit vector in R^{d+1} with canonical sign (largest-magnitude entry positive), or nil
///   when the residuals are zero (or not finite).
/// - Throws: `AnalysisError.shape` when the row counts differ; a LAPACK failure for k > 1.
public func predictedDirection(residuals: Matrix, layerInput: Matrix) throws -> [Double]? {
    let n = layerInput.rows, d = layerInput.cols, k = residuals.cols
    guard residuals.rows == n else {
        throw AnalysisError.shape("residuals have \(residuals.rows) rows, the layer input \(n)")
    }
    guard k >= 1 else { throw AnalysisError.shape("residuals have no columns") }
    // M = X̃ᵀ E with X̃ = (X, 1): (d+1) × k.
    var m = Matrix(rows: d + 1, cols: k)
    for i in 0..<n {
        for c in 0..<k {
            let e = residuals[i, c]
            for j in 0..<d { m.elements[j * k + c] += e * layerInput.elements[i * d + j] }
            m.elements[d * k + c] += e
        }
    }
    guard m.elements.allSatisfy(\.isFinite) else { return nil }
    var v: [Double]
    if k == 1 {
        v = m.elements
    } else {
        let (values, vectors) = try m.multiplied(by: m, transposingOther: true).symmetricEigen()
        guard let top = values.last, top > 0, let vectors else { return nil }
        v = vectors.column(d)
    }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 && norm.isFinite else { return nil }
    v = v.map { $0 / norm }
    return canonicalSignFlip(v) ? v.map { -$0 } : v
}
