import Foundation

/// The density of X = ln sin²θ across random networks, propagated layer by layer on a grid
/// (`docs/theory.md` §C.3).
///
/// The grid is `points` equal cells over [lowerBound, 0] (the notebooks use [−15, 0] with 10 000 points; 601 cells
/// of width 0.025 are enough here: a layer's kernel std is ≥ 0.09 for widths up to 1000, and each cell's mass is
/// moved with the kernel's exact Gaussian CDF over the target cells, so mass is conserved whatever the ratio of
/// kernel width to cell width). A kernel maps a cell centre y to N(mean(y), variance(y)); mass above 0 (sin²θ ≤ 1)
/// is put in the top cell, mass below the grid is counted in `massBelow` and carried no further.
public struct AngleDensity: Sendable {
    public let lowerBound: Double
    public let points: Int
    /// Probability mass per cell (sums to 1 − massBelow).
    public private(set) var mass: [Double]
    /// Mass that left the grid through the lower bound.
    public private(set) var massBelow: Double

    public static let defaultPoints = 601
    public static let defaultLowerBound = -15.0

    public var cellWidth: Double { -lowerBound / Double(points) }

    /// Centre of cell i.
    public func centre(_ i: Int) -> Double { lowerBound + (Double(i) + 0.5) * cellWidth }

    /// The density after one layer from the exact input angle θ₀: N(μ(θ₀, n), σ²(θ₀, n)) binned on the grid.
    public init(theta0: Double, width n: Int, lowerBound: Double = defaultLowerBound, points: Int = defaultPoints) {
        precondition(points >= 2 && lowerBound < 0, "AngleDensity: need ≥ 2 points on [lowerBound < 0, 0]")
        self.lowerBound = lowerBound
        self.points = points
        mass = Array(repeating: 0, count: points)
        massBelow = 0
        deposit(1, mean: FiniteWidthAngle.mean(theta: theta0, width: n),
                std: FiniteWidthAngle.variance(theta: theta0, width: n).squareRoot(), into: &mass, below: &massBelow)
    }

    /// One layer deeper: every cell's mass spread by N(mean(y), variance(y)).
    public func propagated(mean: (Double) -> Double, variance: (Double) -> Double) -> AngleDensity {
        var next = self
        next.mass = Array(repeating: 0, count: points)
        for i in 0..<points where mass[i] > 0 {
            let y = centre(i)
            deposit(mass[i], mean: mean(y), std: max(0, variance(y)).squareRoot(), into: &next.mass, below: &next.massBelow)
        }
        return next
    }

    /// One layer of width n under the full law of §C.2: N(μ(θ(y), n), σ²(θ(y), n)).
    public func propagatedFullLaw(width n: Int) -> AngleDensity {
        propagated(mean: { FiniteWidthAngle.mean(theta: FiniteWidthAngle.theta(lnSin2: $0), width: n) },
                   variance: { FiniteWidthAngle.variance(theta: FiniteWidthAngle.theta(lnSin2: $0), width: n) })
    }

    /// One layer of width n under the linearised law of §C.3: N(a(y), 8n/(n+5)²).
    public func propagatedLinearised(width n: Int) -> AngleDensity {
        let v = FiniteWidthAngle.linearisedVariance(width: n)
        return propagated(mean: { FiniteWidthAngle.linearisedMean(lnSin2: $0, width: n) }, variance: { _ in v })
    }

    /// Mean of f(X) over the mass on the grid (normalised by that mass).
    public func expectation(_ f: (Double) -> Double) -> Double {
        var s = 0.0, m = 0.0
        for i in 0..<points where mass[i] > 0 { s += mass[i] * f(centre(i)); m += mass[i] }
        return s / m
    }

    /// (mean, std) of X on the grid.
    public var lnSin2Moments: (mean: Double, std: Double) { moments { $0 } }

    /// (mean, std) of θ = arcsin(e^{X/2}).
    public var thetaMoments: (mean: Double, std: Double) { moments { FiniteWidthAngle.theta(lnSin2: $0) } }

    func moments(_ f: (Double) -> Double) -> (mean: Double, std: Double) {
        let m = expectation(f)
        let v = expectation { let d = f($0) - m; return d * d }
        return (m, max(0, v).squareRoot())
    }

    /// Adds `amount` distributed as N(mean, std²) over the cells (exact CDF differences, ±12 std window).
    private func deposit(_ amount: Double, mean: Double, std: Double, into cells: inout [Double], below: inout Double) {
        let h = cellWidth
        if !(std > 0) {
            if mean < lowerBound { below += amount; return }
            let i = min(points - 1, max(0, Int((mean - lowerBound) / h)))
            cells[i] += amount
            return
        }
        func cdf(_ x: Double) -> Double { 0.5 * erfc(-(x - mean) / (std * 2.0.squareRoot())) }
        let lo = max(0, Int(((mean - 12 * std) - lowerBound) / h))
        let hi = min(points - 1, Int(((mean + 12 * std) - lowerBound) / h))
        let cBelow = cdf(lowerBound)
        below += amount * cBelow
        if hi < lo {
            // The whole window is above the grid (mass to the top cell) or below it (already counted).
            if mean > lowerBound { cells[points - 1] += amount * (1 - cBelow) }
            return
        }
        var previous = lo == 0 ? cBelow : cdf(lowerBound + Double(lo) * h)
        for i in lo...hi {
            let upper = i == points - 1 ? 1.0 : cdf(lowerBound + Double(i + 1) * h)
            cells[i] += amount * (upper - previous)
            previous = upper
        }
        if hi < points - 1 { cells[hi] += amount * (1 - previous) }   // the far upper tail (< 1e-30)
    }
}
