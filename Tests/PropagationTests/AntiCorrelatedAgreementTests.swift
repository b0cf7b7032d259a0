import XCTest
import Foundation
import Model
@testable import Propagation
import Theory

/// κ ≠ 0: anti-correlated rows (Model's anti_correlated(kappa=…), σ_w² = 2π/(π+κ) by default) against the maps.
final class AntiCorrelatedAgreementTests: XCTestCase {
    /// The mean-field correlation with κ at large width, and the exact E[q] (with its κ/n part) at narrow width.
    func testMeanFieldWithKappa() throws {
        for kappa in [-1.0, -0.5] {
            let scheme = try InitScheme(parsing: "anti_correlated(kappa=\(kappa))")
            let law = WeightLaw(setup: PropagationSetup(widths: [10, 10, 2], initScheme: scheme))
            XCTAssertEqual(law.kappa, kappa)
            XCTAssertEqual(law.weightVariance[0], 2 * Double.pi / (Double.pi + kappa), accuracy: 1e-12)
            try checkAgreement(PropagationSetup(widths: [30, 300, 300, 300, 2], initScheme: scheme, theta0: 1.0, networks: 30, seed: 41),
                      models: [.meanField, .infiniteWidth], expectModels: [.meanField, .infiniteWidth])
            let narrow = PropagationSetup(widths: [6, 8, 8, 8, 8, 2], initScheme: scheme, biasStd: 0.2, theta0: 1.0,
                                          networks: 600, seed: 43)
            let p = try PropagationPrediction(setup: narrow, densityPoints: 20)
            let s = try PropagationSimulator.run(narrow)
            for l in 1...4 {
                let st = s.statistics(layer: l, .q)
                XCTAssertLessThan(abs(st.mean - p.mean(.finiteWidth, layer: l, .q)) / st.sem, 3, "κ = \(kappa), layer \(l)")
            }
        }
    }

    /// §A.3's Monte Carlo setting (σ_w² = 2π/(π+κ), no bias, c = 1/2 into the first map step): the simulated
    /// pre-activation correlation follows the map over 11 layers, saturating below 1 for κ = −0.5.
    func testCorrelationFollowsTheMapInTheChaoticPhase() throws {
        let scheme = try InitScheme(parsing: "anti_correlated(kappa=-0.5)")
        let setup = PropagationSetup(widths: [20] + Array(repeating: 300, count: 11) + [2], initScheme: scheme,
                                     theta0: Double.pi / 3, networks: 20, seed: 47)
        try checkAgreement(setup, models: [.meanField], quantities: [.correlation], expectModels: [.meanField])
        let p = try PropagationPrediction(setup: setup, densityPoints: 20)
        XCTAssertEqual(p.mean(.meanField, layer: 11, .correlation), 0.670, accuracy: 0.01)
    }
}
