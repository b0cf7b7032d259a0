import Foundation
import RunFormat

/// P2's order parameter across widths: at every combination of the axes other than the width and the seed,
/// S_w = the least-squares slope of log RD(θ_w*) against log m over every done run (all seeds pooled), with its
/// standard error, and the regime it indicates: linear (S_w < −tolerance), critical (|S_w| ≤ tolerance) or
/// condensed (S_w > tolerance).
public enum PhaseDiagram {
    /// 0.15: half-way between the paper's critical slope (≈ 0) and the smallest non-critical one it reports
    /// (0.372 at γ = 1.75, −0.506 at γ = 0.5), rounded down.
    public static let defaultTolerance = 0.15

    /// The width dimension: the one holding `hidden` with one whole-number width per value.
    public static func widthDimension(_ manifest: SweepManifest) -> Int? {
        manifest.dimensions.firstIndex { d in
            guard let o = d.options.firstIndex(of: "hidden"), d.size >= 2 else { return false }
            return d.values[o].allSatisfy { width(of: $0) != nil }
        }
    }

    static func width(of v: SweepValue) -> Double? {
        switch v {
        case .integer(let i) where i > 0: return Double(i)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces)).flatMap { $0 > 0 ? Double($0) : nil }
        default: return nil
        }
    }

    /// nil when the sweep has no width axis. Uses the first hidden layer's RD.
    public static func compute(_ summary: SweepSummary, manifest: SweepManifest,
                               tolerance: Double = defaultTolerance) -> SweepSummary.PhaseDiagram? {
        guard let w = widthDimension(manifest) else { return nil }
        let dims = manifest.dimensions
        let hidden = dims[w].options.firstIndex(of: "hidden")!
        let widths = dims[w].values[hidden].map { width(of: $0)! }
        let by = dims.indices.filter { $0 != w && dims[$0].name != "seed" }
        let cells = by.reduce(1) { $0 * dims[$1].size }
        var xs = [[Double]](repeating: [], count: cells), ys = xs
        let L = summary.layers.count
        for run in manifest.runs {
            let r = zip(dims, run.coordinates).reduce(0) { $0 * $1.0.size + $1.1 }
            let rd = summary.relativeDistance[r * L]
            guard summary.status[r] == "done", rd.isFinite, rd > 0 else { continue }
            let cell = by.reduce(0) { $0 * dims[$1].size + run.coordinates[$1] }
            xs[cell].append(log(widths[run.coordinates[w]]))
            ys[cell].append(log(rd))
        }
        var slope = [Double](), error = [Double](), points = [Int64](), regime = [String]()
        for c in 0..<cells {
            let fit = fitLine(xs[c], ys[c])
            slope.append(fit.slope); error.append(fit.error); points.append(Int64(xs[c].count))
            regime.append(classify(fit.slope, tolerance: tolerance))
        }
        return SweepSummary.PhaseDiagram(axes: by, widthAxis: dims[w].name, tolerance: tolerance, slope: slope,
                                         slopeError: error, points: points, regime: regime)
    }

    /// Ordinary least squares y = a + b·x: b and its standard error √(SSR/(n−2) / Σ(x−x̄)²). NaN slope with
    /// fewer than 2 distinct x, NaN error with fewer than 3 points.
    public static func fitLine(_ x: [Double], _ y: [Double]) -> (slope: Double, error: Double) {
        let n = Double(x.count)
        guard x.count >= 2 else { return (.nan, .nan) }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return (.nan, .nan) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxy / sxx, a = my - b * mx
        guard x.count >= 3 else { return (b, .nan) }
        let ssr = zip(x, y).reduce(0) { $0 + pow($1.1 - a - b * $1.0, 2) }
        return (b, (ssr / (n - 2) / sxx).squareRoot())
    }

    public static func classify(_ slope: Double, tolerance: Double) -> String {
        guard slope.isFinite else { return "" }
        if slope < -tolerance { return "linear" }
        if slope > tolerance { return "condensed" }
        return "critical"
    }
}
