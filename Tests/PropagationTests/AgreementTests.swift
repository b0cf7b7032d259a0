import XCTest
import Foundation
import Model
@testable import Propagation
import Theory

/// Every prediction against simulated random networks: within 3 standard errors at small N.
final class AgreementTests: XCTestCase {
    /// The §C.2 law (density) at widths where its O(n⁻²) error is below the standard error; q exactly.
    func testFiniteWidthLawReLUHe() throws {
        for (widths, theta0) in [([20, 100, 100, 100, 100, 10], 1.0), ([50, 200, 150, 200, 10], Double.pi / 2)] {
            try checkAgreement(PropagationSetup(widths: widths, theta0: theta0, networks: 200, seed: 3),
                      models: [.finiteWidth], expectModels: [.finiteWidth, .infiniteWidth, .meanField, .linearised])
        }
    }

    /// The linearised law at a small input angle (the notebook's θ₀ = 0.1, n = 256 regime).
    func testLinearisedLawAtSmallAngle() throws {
        try checkAgreement(PropagationSetup(widths: [20, 256, 256, 256, 10], theta0: 0.1, networks: 100, seed: 5),
                  models: [.linearised, .finiteWidth], expectModels: [.linearised])
    }

    /// E[q_l] is exact at any width: narrow layers, leaky ReLU, biases, orthogonal-free Gaussian schemes.
    func testExpectedVarianceIsExactAtNarrowWidth() throws {
        let cases: [(String, InitScheme, Double?)] = [
            ("relu", .heNormal(slope: 0), nil), ("leaky_relu(0.2)", .heNormal(slope: 0.2), 0.3),
            ("relu", .gaussian(std: 0.3), nil), ("leaky_relu(0.5)", .lecunNormal, 0.1),
        ]
        for (activation, scheme, bias) in cases {
            let setup = PropagationSetup(widths: [8, 12, 10, 12, 10, 3], activation: activation, initScheme: scheme,
                                         biasStd: bias, theta0: 0.7, networks: 400, seed: 9)
            let prediction = try PropagationPrediction(setup: setup, densityPoints: 301)
            let simulation = try PropagationSimulator.run(setup)
            for l in 1...4 {
                let s = simulation.statistics(layer: l, .q)
                let p = prediction.mean(.finiteWidth, layer: l, .q)
                XCTAssertLessThan(abs(s.mean - p) / s.sem, 3, "\(activation) \(scheme) layer \(l): \(p) vs \(s.mean) ± \(s.sem)")
            }
        }
    }

    /// Mean field and infinite width where they claim to hold: wide layers (n = 300, few networks), ReLU and leaky
    /// ReLU, with and without bias, Gaussian, uniform and orthogonal weights.
    func testMeanFieldAtLargeWidth() throws {
        let cases: [(String, InitScheme, Double?)] = [
            ("relu", .heNormal(slope: 0), nil), ("leaky_relu(0.3)", .heUniform(slope: 0.3), 0.2),
            ("relu", .gaussian(std: 0.08), nil), ("linear", .xavierNormal(gain: 1), 0.1),
        ]
        for (activation, scheme, bias) in cases {
            try checkAgreement(PropagationSetup(widths: [30, 300, 300, 300, 2], activation: activation, initScheme: scheme,
                                       biasStd: bias, theta0: 1.2, networks: 30, seed: 21),
                      models: [.meanField, .infiniteWidth], expectModels: [.meanField, .infiniteWidth])
        }
    }

    /// Which width governs a layer: its own (rows), not the fan-in the notebook's Algorithm 1 uses. Layer 1 of
    /// 400-40-40-10 at θ₀ = π/2: μ(π/2, 40) = −0.1363 fits the simulation, μ(π/2, 400) = −0.1092 does not.
    func testLayerWidthNotFanInGovernsTheAngle() throws {
        let setup = PropagationSetup(widths: [400, 40, 40, 10], theta0: Double.pi / 2, networks: 400, seed: 17)
        let s = try PropagationSimulator.run(setup).statistics(layer: 1, .lnSin2Theta)
        let rows = FiniteWidthAngle.mean(theta: Double.pi / 2, width: 40)
        let fanIn = FiniteWidthAngle.mean(theta: Double.pi / 2, width: 400)
        XCTAssertLessThan(abs(s.mean - rows) / s.sem, 3, "rows: \(rows) vs \(s.mean) ± \(s.sem)")
        XCTAssertGreaterThan(abs(s.mean - fanIn) / s.sem, 3, "fan-in: \(fanIn) vs \(s.mean) ± \(s.sem)")
    }

    /// log‖x_l‖ by the Lyapunov exponent and the summed CLT variances (exact per layer): deep narrow leaky ReLU,
    /// Gaussian entries at unequal widths and square orthogonal layers; the predicted spread against the sample std.
    func testLyapunovLogNorm() throws {
        let cases: [([Int], String, InitScheme)] = [
            (Array(repeating: 6, count: 21) + [1], "leaky_relu(0.1)", .heNormal(slope: 0.1)),
            (Array(repeating: 6, count: 21) + [1], "leaky_relu(0.1)", .orthogonal(gain: 1.3)),
            ([10, 5, 12, 7, 9, 4, 2], "leaky_relu(0.3)", .lecunNormal),
        ]
        for (widths, activation, scheme) in cases {
            let setup = PropagationSetup(widths: widths, activation: activation, initScheme: scheme, theta0: 0.5,
                                         networks: 400, seed: 31)
            try checkAgreement(setup, models: [.lyapunov], expectModels: [.lyapunov])
            let p = try PropagationPrediction(setup: setup, densityPoints: 20)
            let s = try PropagationSimulator.run(setup).statistics(layer: setup.depth, .logNorm)
            // The sample std of 400 near-Gaussian values is within ~4·σ/√(2·399) ≈ 14 % of σ.
            XCTAssertEqual(s.std, p.std(.lyapunov, layer: setup.depth, .logNorm), accuracy: 0.15 * s.std, "\(scheme)")
        }
        let relu = try PropagationPrediction(setup: PropagationSetup(widths: [6, 6, 6, 1]), densityPoints: 20)
        XCTAssertTrue(relu.notes[.lyapunov]?.contains("leaky") ?? false)
        XCTAssertTrue(relu.mean(.lyapunov, layer: 2, .logNorm).isNaN)
    }
}
