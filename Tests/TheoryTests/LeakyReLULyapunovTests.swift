import XCTest
import Foundation
@testable import Theory

final class LeakyReLULyapunovTests: XCTestCase {
    /// The worked row of docs/theory.md §B.5 (d = 4, α = 0.1), to the digits printed there.
    func testWorkedRow() throws {
        let l = try LeakyReLULyapunov(width: 4, slope: 0.1)
        let a2 = 0.01
        XCTAssertEqual(4 * l.criticalStd * l.criticalStd, 4.5430, accuracy: 5e-5)
        XCTAssertEqual(l.criticalStd, 1.06571, accuracy: 5e-6)
        XCTAssertEqual(l.exponentGaussian(std: (2 / ((1 + a2) * 4)).squareRoot()), -0.41519, accuracy: 5e-6)
        XCTAssertEqual(l.criticalGain, 1.86192, accuracy: 5e-6)
        XCTAssertEqual(l.exponentOrthogonal(gain: (2 / (1 + a2)).squareRoot()), -0.28001, accuracy: 5e-6)
        XCTAssertEqual(l.cltVarianceGaussian, 0.65306, accuracy: 5e-6)
        XCTAssertEqual(l.cltVarianceOrthogonal, 0.49183, accuracy: 5e-6)
        XCTAssertEqual(l.exponentGaussian(std: l.criticalStd), 0, accuracy: 1e-15)
        XCTAssertEqual(l.exponentOrthogonal(gain: l.criticalGain), 0, accuracy: 1e-15)
    }

    /// E log S by the Laplace-transform (Frullani) identity log X = ∫₀^∞ (e^−t − e^−tX)/t dt with
    /// E e^{−tS} = M(t)^d, M(t) = ½[(1+2t)^−½ + (1+2α²t)^−½]: one integral, no mixture over K, no series.
    /// Trapezoidal rule in s = ln t (the integrand is analytic in a strip and decays exponentially both ways).
    func laplaceExpectedLogS(width d: Int, slope alpha: Double) -> Double {
        let h = 0.02
        var sum = 0.0
        var s = -45.0
        while s <= 90 {
            let t = exp(s)
            let m = 0.5 * (1 / (1 + 2 * t).squareRoot() + 1 / (1 + 2 * alpha * alpha * t).squareRoot())
            sum += exp(-t) - pow(m, Double(d))
            s += h
        }
        return sum * h
    }

    func testMixtureSeriesAndLaplaceAgree() throws {
        for (d, alpha) in [(1, 0.2), (2, 0.7), (3, 0.01), (4, 0.1), (10, 0.3), (25, 0.5), (64, 0.05), (200, 0.9)] {
            let mixture = LeakyReLULyapunov.logMixtureMoments(width: d, slope: alpha).mean
            let series = LeakyReLULyapunov.logMixtureMeanSeries(width: d, slope: alpha)
            let laplace = laplaceExpectedLogS(width: d, slope: alpha) - log(2.0) - SpecialFunctions.digamma(Double(d) / 2)
            let scale = max(abs(mixture), 1e-3)
            XCTAssertEqual(mixture, series, accuracy: 1e-9 * scale, "mixture vs series, d = \(d), α = \(alpha)")
            XCTAssertEqual(mixture, laplace, accuracy: 1e-9 * scale, "mixture vs Laplace, d = \(d), α = \(alpha)")
        }
        // α = 1 is the identity: m = 0, Var = 0; the Laplace identity then gives E log χ²_d = log 2 + ψ(d/2).
        for d in [1, 4, 33] {
            let l = try LeakyReLULyapunov(width: d, slope: 1)
            XCTAssertEqual(l.logMixtureMean, 0, accuracy: 1e-15)
            XCTAssertEqual(l.logMixtureVariance, 0, accuracy: 1e-15)
            XCTAssertEqual(laplaceExpectedLogS(width: d, slope: 1), log(2.0) + SpecialFunctions.digamma(Double(d) / 2),
                           accuracy: 1e-11)
        }
    }

    /// d = 1: U is 0 or 1 with probability ½ each, so m = log α and Var L = (log α)².
    func testWidthOneClosedForm() throws {
        let l = try LeakyReLULyapunov(width: 1, slope: 0.3)
        XCTAssertEqual(l.logMixtureMean, log(0.3), accuracy: 1e-15)
        XCTAssertEqual(l.logMixtureVariance, log(0.3) * log(0.3), accuracy: 1e-14)
    }

    /// d → ∞: d·σ_crit² → He's 2/(1+α²), η_crit → √(2/(1+α²)), with the 1/d corrections of §B.3:
    /// d·σ_crit²(1+α²)/2 − 1 ≈ [1 + 1.5r²]/d and η_crit²(1+α²)/2 − 1 ≈ 1.5r²/d, r = (1−α²)/(1+α²).
    /// The remainder d·(ratio − 1) − leading term is O(1/d): a 4× larger d must shrink it at least 2.5×.
    func testLargeWidthLimitAndExpansion() throws {
        for alpha in [0.01, 0.3] {
            let a2 = alpha * alpha, r = (1 - a2) / (1 + a2)
            var previous: (Double, Double)? = nil
            for d in [100, 400, 1600] {
                let l = try LeakyReLULyapunov(width: d, slope: alpha)
                let he = Double(d) * l.criticalStd * l.criticalStd * (1 + a2) / 2
                let gain = l.criticalGain * l.criticalGain * (1 + a2) / 2
                XCTAssertEqual(he, 1, accuracy: 3 / Double(d))
                XCTAssertEqual(gain, 1, accuracy: 3 / Double(d))
                let remainderHe = abs(Double(d) * (he - 1) - (1 + 1.5 * r * r))
                let remainderGain = abs(Double(d) * (gain - 1) - 1.5 * r * r)
                XCTAssertLessThan(remainderHe, 20 / Double(d), "α = \(alpha), d = \(d)")
                XCTAssertLessThan(remainderGain, 20 / Double(d), "α = \(alpha), d = \(d)")
                if let (ph, pg) = previous {
                    XCTAssertLessThan(remainderHe, ph / 2.5, "He remainder not O(1/d), α = \(alpha), d = \(d)")
                    XCTAssertLessThan(remainderGain, pg / 2.5, "gain remainder not O(1/d), α = \(alpha), d = \(d)")
                }
                previous = (remainderHe, remainderGain)
            }
        }
    }

    func testBadParametersThrowOneLine() {
        for (d, alpha) in [(0, 0.1), (4, 0.0), (4, -0.1), (4, 1.5), (4, Double.nan)] {
            XCTAssertThrowsError(try LeakyReLULyapunov(width: d, slope: alpha)) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains("\n"))
                if alpha == 0 { XCTAssertTrue(text.contains("−∞"), text) }
            }
        }
    }

    /// log‖x_L‖/L through random Gaussian leaky-ReLU layers (d = 4, α = 0.1): its mean over networks must match
    /// λ_G within 3 standard errors, at He's σ (λ < 0) and at σ_crit (λ = 0), and its variance v_G²/L.
    func testMonteCarloExponentAndVariance() throws {
        let d = 4, alpha = 0.1, layers = 40, networks = 2000
        let l = try LeakyReLULyapunov(width: d, slope: alpha)
        var rng = SplitMixNormal(seed: 7)
        for sigma in [(2 / ((1 + alpha * alpha) * Double(d))).squareRoot(), l.criticalStd] {
            var values: [Double] = []
            var x = [Double](repeating: 0, count: d), y = x
            for _ in 0..<networks {
                for i in 0..<d { x[i] = rng.normal() }
                let n0 = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for i in 0..<d { x[i] /= n0 }
                var logNorm = 0.0
                for _ in 0..<layers {
                    for i in 0..<d {
                        var s = 0.0
                        for j in 0..<d { s += sigma * rng.normal() * x[j] }
                        y[i] = s > 0 ? s : alpha * s
                    }
                    let n = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    logNorm += log(n)
                    for i in 0..<d { x[i] = y[i] / n }
                }
                values.append(logNorm / Double(layers))
            }
            let mean = values.reduce(0, +) / Double(networks)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(networks - 1)
            let se = (variance / Double(networks)).squareRoot()
            let lambda = l.exponentGaussian(std: sigma)
            XCTAssertEqual(mean, lambda, accuracy: 3 * se, "σ = \(sigma): MC \(mean) ± \(se), λ = \(lambda)")
            // L·Var(log‖x_L‖/L) = v_G²; the sample variance has relative s.e. ≈ √(2/N) ≈ 3.2 %
            XCTAssertEqual(variance * Double(layers), l.cltVarianceGaussian, accuracy: 0.1 * l.cltVarianceGaussian)
        }
    }
}

/// A small seeded normal generator for the Monte Carlo test (SplitMix64 + Box–Muller), independent of Model.
struct SplitMixNormal {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func normal() -> Double {
        let u1 = 1 - uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
