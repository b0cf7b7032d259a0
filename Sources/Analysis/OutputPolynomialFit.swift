import Foundation
import LinearAlgebra

/// Least-squares polynomial fits of degree 0…D to a network's output on one input interval, and the smallest
/// degree that fits it (P1 Fig. 5).
///
/// P1 observes that, with small initialization and 1-D input, the trained output over the training interval is
/// close to a polynomial of degree p (1, 2, 3 for tanh, x·tanh x, x²·tanh x), while ReLU output has sharp turns,
/// which no low degree follows. This type measures that: for each degree k ≤ D it fits f ≈ Σ_{j≤k} c_j T_j(t)
/// by least squares, T_j the Chebyshev polynomials and t the input mapped affinely from the interval onto
/// [−1, 1], and reports the relative residual
///
///     ρ_k = ‖f − fit_k‖₂ / ‖f − mean f‖₂,
///
/// which is 1 at degree 0 (the constant fit is the mean), falls with k, does not change when f is scaled or
/// shifted, and is 0 for a polynomial of degree ≤ k. The **best degree** is the smallest k with ρ_k ≤ tolerance.
///
/// **Numerics.** Chebyshev columns on [−1, 1] are nearly orthogonal on spread-out points, so the least-squares
/// matrix stays well conditioned on any interval (monomials in raw x on [1000, 1010] would not be). One
/// Householder QR (LAPACK `dgeqrf`/`dorgqr` through `LinearAlgebra.Matrix.qr()`) of the n × (D+1) matrix serves
/// every degree, because the bases are nested: the first k+1 columns of Q span the degree-k polynomials. The
/// residual of degree k is f minus its projections on q_0 … q_k, subtracted one at a time (never ‖f‖² − Σ(qᵀf)²,
/// which cancels); the coefficients solve the leading (k+1) × (k+1) block of R.
///
/// **Default tolerance 0.05** (`defaultTolerance`), the same for every activation: ρ = 0.05 means the fit's
/// RMS gap is 5 % of the RMS variation of f (it explains 99.75 % of the variance). For a function that rises
/// over the interval, the RMS variation is about a third of its range (1/√12 of the range for a straight line),
/// so the gap is ~1.5 % of the plotted range: about one line width, which is what "the curves overlap" in P1's
/// Fig. 5 means. A looser value (0.1) would let a straight line pass for a mildly bent output; a tighter one
/// (0.01) would reject the low-degree fits P1 reports, whose overlap is near-perfect, not exact.
///
/// Checked on P1's Fig. 5 setting (`condense train --target sin1d --hidden 100 --init-std 0.005 --optimizer adam
/// --lr 5e-4`, seeds 1–3): at the snapshots between steps 300 and 700, 0.05 gives 1 / 2 / 3 for tanh / x·tanh x /
/// x²·tanh x in every seed, while 0.01 gives 1 / 2–3 / 4–5 (ρ₂ of x·tanh x is 0.009–0.025 there, ρ₃ of
/// x²·tanh x 0.014–0.049). The best degree describes the output at that snapshot, not the activation: in the
/// first ~200 steps the x²·tanh x output is nearly quadratic (ρ₂ = 0.007–0.04, best degree 2), and by step 1000
/// the x·tanh x and x²·tanh x outputs have outgrown their polynomials (ρ₂ = 0.06–0.10, ρ₃ = 0.05–0.11). Compare the
/// ρ profiles over snapshots rather than one number.
public struct OutputPolynomialFit: Sendable, Equatable {
    /// The highest degree fitted by default: twice the largest multiplicity P1 studies (3), so a fit that needs
    /// more than 6 is clearly not "a low-degree polynomial".
    public static let defaultMaximumDegree = 6
    /// The relative residual at or below which a degree fits (see the type's documentation for why 0.05).
    public static let defaultTolerance = 0.05

    /// The interval mapped onto [−1, 1] for the Chebyshev basis.
    public let lower: Double
    public let upper: Double
    /// The tolerance the best degree was chosen with.
    public let tolerance: Double
    /// ρ_k for k = 0…D (all 0 when f is constant).
    public let relativeResiduals: [Double]
    /// Chebyshev coefficients c_0…c_k of the degree-k fit, for k = 0…D.
    public let coefficients: [[Double]]
    /// The smallest degree with ρ_k ≤ tolerance, or nil when even degree D does not fit.
    public let bestDegree: Int?
    /// Whether f has no variation (‖f − mean f‖ ≤ 10⁻¹²·‖f‖); then every ρ_k is 0 and the best degree is 0.
    public let isConstant: Bool

    /// The highest degree fitted.
    public var maximumDegree: Int { relativeResiduals.count - 1 }

    /// Fits polynomials of degree 0…`maximumDegree` to the values `f` at the points `x`.
    ///
    /// - Parameters:
    ///   - x: the input points (any order; at least `maximumDegree` + 1 distinct values).
    ///   - f: the output at those points.
    ///   - maximumDegree: D ≥ 0.
    ///   - tolerance: the relative residual that counts as a fit, in (0, 1).
    ///   - interval: the interval mapped onto [−1, 1]; default [min x, max x]. It must hold every point
    ///     (the basis is only well conditioned there).
    /// - Throws: `AnalysisError.shape` when the counts differ or there are too few distinct points;
    ///   `AnalysisError.option` for a bad degree, tolerance, interval or a non-finite value; a LAPACK failure.
    public init(x: [Double], f: [Double], maximumDegree: Int = defaultMaximumDegree,
                tolerance: Double = defaultTolerance, interval: ClosedRange<Double>? = nil) throws {
        guard x.count == f.count else {
            throw AnalysisError.shape("\(x.count) points but \(f.count) values")
        }
        guard maximumDegree >= 0 else {
            throw AnalysisError.option("maximum degree \(maximumDegree) must be ≥ 0")
        }
        guard tolerance > 0, tolerance < 1 else {
            throw AnalysisError.option("tolerance \(tolerance) must be in (0, 1)")
        }
        guard x.allSatisfy(\.isFinite), f.allSatisfy(\.isFinite) else {
            throw AnalysisError.option("points and values must be finite")
        }
        let distinct = Set(x).count
        guard distinct > maximumDegree else {
            throw AnalysisError.shape("\(distinct) distinct point(s) cannot determine a polynomial of degree \(maximumDegree)")
        }
        let lo = interval?.lowerBound ?? x.min()!, hi = interval?.upperBound ?? x.max()!
        guard lo.isFinite, hi.isFinite, lo < hi else {
            throw AnalysisError.option("interval [\(lo), \(hi)] must be finite and non-empty")
        }
        guard x.allSatisfy({ $0 >= lo && $0 <= hi }) else {
            throw AnalysisError.option("interval [\(lo), \(hi)] must hold every point")
        }
        lower = lo; upper = hi
        self.tolerance = tolerance

        let n = x.count, columns = maximumDegree + 1
        var basis = Matrix(rows: n, cols: columns)
        for i in 0..<n {
            let t = Self.mapped(x[i], lo, hi)
            var previous = 1.0, current = t
            basis.elements[i * columns] = 1
            if columns > 1 { basis.elements[i * columns + 1] = t }
            for k in stride(from: 2, to: columns, by: 1) {
                let next = 2 * t * current - previous
                basis.elements[i * columns + k] = next
                previous = current; current = next
            }
        }
        let (q, r) = try basis.qr()
        // Distinct points ≥ D + 1 make the basis matrix full rank; a tiny pivot would mean rounding broke that.
        let pivots = (0..<columns).map { Swift.abs(r[$0, $0]) }
        guard pivots.min()! > 1e-12 * pivots.max()! else {
            throw AnalysisError.shape("the points do not determine a polynomial of degree \(maximumDegree) (rank-deficient basis)")
        }

        let mean = f.reduce(0, +) / Double(n)
        let variation = Self.norm(f.map { $0 - mean })
        isConstant = variation <= 1e-12 * Self.norm(f)

        var residual = f
        var projections = [Double](repeating: 0, count: columns)
        var rhos: [Double] = []
        for k in 0..<columns {
            var dot = 0.0
            for i in 0..<n { dot += q.elements[i * columns + k] * residual[i] }
            for i in 0..<n { residual[i] -= dot * q.elements[i * columns + k] }
            // qₖᵀ(f − Σ_{j<k} qⱼqⱼᵀf) = qₖᵀf in exact arithmetic; taken from the residual, it is the
            // modified-Gram–Schmidt form, which keeps the rounding of earlier projections out.
            projections[k] = dot
            rhos.append(isConstant ? 0 : Self.norm(residual) / variation)
        }
        relativeResiduals = rhos
        coefficients = (0..<columns).map { k in
            var c = [Double](repeating: 0, count: k + 1)
            for row in stride(from: k, through: 0, by: -1) {
                var s = projections[row]
                for j in (row + 1)..<(k + 1) { s -= r[row, j] * c[j] }
                c[row] = s / r[row, row]
            }
            return c
        }
        bestDegree = rhos.firstIndex { $0 <= tolerance }
    }

    /// The degree-`degree` fit at `x` (Clenshaw's recurrence on the mapped input; meaningful inside the interval).
    public func value(degree: Int, at x: Double) -> Double {
        precondition(degree >= 0 && degree <= maximumDegree, "degree \(degree) was not fitted (0…\(maximumDegree))")
        let c = coefficients[degree], t = Self.mapped(x, lower, upper)
        var b1 = 0.0, b2 = 0.0
        for k in stride(from: c.count - 1, through: 1, by: -1) {
            let b0 = c[k] + 2 * t * b1 - b2
            b2 = b1; b1 = b0
        }
        return c[0] + t * b1 - b2
    }

    /// x mapped affinely from [lo, hi] onto [−1, 1] (computed from the midpoint, so the ends map to ±1 exactly
    /// up to one rounding, however far the interval is from 0).
    static func mapped(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
        let centre = lo / 2 + hi / 2, half = hi / 2 - lo / 2
        return (x - centre) / half
    }

    /// ‖v‖₂ with scaling, so very large or small outputs neither overflow nor underflow.
    static func norm(_ v: [Double]) -> Double {
        let scale = v.reduce(0) { Swift.max($0, Swift.abs($1)) }
        guard scale > 0 else { return 0 }
        return scale * v.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
    }
}
