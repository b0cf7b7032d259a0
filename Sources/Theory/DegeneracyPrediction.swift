import Foundation

/// Predicted angle between two signals through a whole ReLU network (Gaussian weights, no biases), layer by layer:
/// finite width (§C.2 law, density on a grid), linearised (§C.3), the mean-only iteration of Algorithm 1 (§C.4)
/// and the infinite-width arc-cosine map (`docs/theory.md` §C).
///
/// **Which width governs a layer.** Layer l's post-activation angle θ^l is a function of its n_l output neurons,
/// which — given the angle θ^{l−1} of the vectors it reads — are n_l iid pairs of Gaussians with correlation
/// cos θ^{l−1}, whatever the fan-in. So layer l uses its own width n_l (the number of rows of W^l), the input width
/// never enters, and the output width only through a step past the last hidden layer. The notebooks' Algorithm 1
/// instead uses the fan-in (`Algorithm1Indexing.fanIn`, for comparison with the paper's numbers); the simulation
/// in `Propagation` decides between them (the first layer of 85x2 tells 85 from 784 apart).
public struct DegeneracyPrediction: Sendable {
    /// Layer 0 (the input) … L.
    public struct Layer: Sendable {
        /// Mean and std of ln sin²θ and of θ under the full law, propagated as a density.
        public var lnSin2: (mean: Double, std: Double)
        public var theta: (mean: Double, std: Double)
        /// The same from the linearised law (first layer by the full law, as the notebook does).
        public var linearisedLnSin2: (mean: Double, std: Double)
        public var linearisedTheta: (mean: Double, std: Double)
        /// Mean-only iteration θ ← arcsin(exp(μ(θ, n)/2)).
        public var meanIterationTheta: Double
        /// Infinite-width arc-cosine map.
        public var infiniteWidthTheta: Double

    }

    public let theta0: Double
    /// n_1 … n_L: the width of each hidden layer (the width that governs it).
    public let widths: [Int]
    public let layers: [Layer]
    /// The grid the densities were propagated on.
    public let lowerBound: Double
    public let points: Int
    /// Mass of the full-law density that fell below the grid by the last layer.
    public let massBelowGrid: Double

    /// - Parameters:
    ///   - theta0: the input angle, in (0, π).
    ///   - widths: n_1 … n_L, each ≥ 2.
    ///   - points: cells per 15 units of ln sin²θ (default 601, cell 0.025). The grid is [−15, 0], extended
    ///     downwards (with cells of the same width) when the mean iteration plus 12 accumulated stds reaches below.
    public init(theta0: Double, widths: [Int], pointsPer15: Int = AngleDensity.defaultPoints) throws {
        guard theta0 > 0 && theta0 < Double.pi else {
            throw TheoryError.propagation("input angle θ₀ must be in (0, π), got \(theta0)")
        }
        guard !widths.isEmpty else { throw TheoryError.propagation("at least one hidden layer is needed") }
        if let w = widths.first(where: { $0 < 2 }) {
            throw TheoryError.propagation("the finite-width angle law needs every hidden width ≥ 2, got \(w)")
        }
        self.theta0 = theta0
        self.widths = widths
        var meanTheta = theta0, infTheta = theta0
        var iteration: [(Double, Double)] = [(theta0, theta0)]
        var spread = 0.0, lowest = FiniteWidthAngle.lnSin2(theta: theta0)
        for n in widths {
            spread += FiniteWidthAngle.variance(theta: meanTheta, width: n)
            meanTheta = FiniteWidthAngle.meanStep(theta: meanTheta, width: n)
            infTheta = ArcCosineKernel.infiniteWidthAngle(infTheta)
            iteration.append((meanTheta, infTheta))
            lowest = min(lowest, FiniteWidthAngle.lnSin2(theta: meanTheta) - 12 * spread.squareRoot() - 1)
        }
        let lower = min(AngleDensity.defaultLowerBound, lowest.rounded(.down))
        let points = Int((Double(pointsPer15) * lower / AngleDensity.defaultLowerBound).rounded())
        lowerBound = lower
        self.points = points

        let x0 = FiniteWidthAngle.lnSin2(theta: theta0)
        var out = [Layer(lnSin2: (x0, 0), theta: (theta0, 0),
                         linearisedLnSin2: (x0, 0), linearisedTheta: (theta0, 0),
                         meanIterationTheta: theta0, infiniteWidthTheta: theta0)]
        var full = AngleDensity(theta0: theta0, width: widths[0], lowerBound: lower, points: points)
        var linear = full
        for (l, n) in widths.enumerated() {
            if l > 0 {
                full = full.propagatedFullLaw(width: n)
                linear = linear.propagatedLinearised(width: n)
            }
            out.append(Layer(lnSin2: full.lnSin2Moments, theta: full.thetaMoments,
                             linearisedLnSin2: linear.lnSin2Moments, linearisedTheta: linear.thetaMoments,
                             meanIterationTheta: iteration[l + 1].0, infiniteWidthTheta: iteration[l + 1].1))
        }
        layers = out
        massBelowGrid = full.massBelow
    }

    /// Which width the notebooks' Algorithm 1 uses for step i (i = 0 … L) of [n_in, n_1, …, n_L, n_out].
    public enum Algorithm1Indexing: String, Sendable {
        /// widths[i]: the fan-in (the notebook's choice; n_out is never used, n_in governs the first layer).
        case fanIn = "fan_in"
        /// widths[i+1]: each layer's own width (rows; the last step uses n_out).
        case rows
    }

    /// Algorithm 1 of §C.4: from θ⁰ = θ₀ (π/2 in the paper), L+1 mean-only steps over the weight matrices of
    /// [n_in, n_1, …, n_L, n_out]; returns ln sin²θ^{L+1}, the paper's predicted degeneracy.
    public static func algorithm1(widths: [Int], theta0: Double = Double.pi / 2,
                                  indexing: Algorithm1Indexing = .fanIn) throws -> Double {
        guard widths.count >= 2 else { throw TheoryError.propagation("Algorithm 1 needs at least input and output widths") }
        var theta = theta0
        for i in 0..<(widths.count - 1) {
            let n = indexing == .fanIn ? widths[i] : widths[i + 1]
            guard n >= 2 else { throw TheoryError.propagation("the finite-width angle law needs widths ≥ 2, got \(n)") }
            theta = FiniteWidthAngle.meanStep(theta: theta, width: n)
        }
        return FiniteWidthAngle.lnSin2(theta: theta)
    }

    /// ln sin²θ^{L+1} of the infinite-width map over the same L+1 steps.
    public static func infiniteWidthAlgorithm1(depth steps: Int, theta0: Double = Double.pi / 2) -> Double {
        var theta = theta0
        for _ in 0..<steps { theta = ArcCosineKernel.infiniteWidthAngle(theta) }
        return FiniteWidthAngle.lnSin2(theta: theta)
    }
}
