import XCTest
import Foundation
import Model
@testable import Propagation

final class SimulatorTests: XCTestCase {
    /// The same seed gives bit-identical values on 1 and 2 worker threads; another seed does not.
    func testDeterministicAcrossThreadCounts() throws {
        var setup = PropagationSetup(widths: [6, 9, 7, 2], activation: "leaky_relu(0.1)", initScheme: .orthogonal(gain: 1.2),
                                     biasStd: 0.2, theta0: 0.9, networks: 13, seed: 4, threads: 1)
        let one = try PropagationSimulator.run(setup)
        setup.threads = 2
        let two = try PropagationSimulator.run(setup)
        XCTAssertEqual(one.values.map(\.bitPattern), two.values.map(\.bitPattern))
        setup.seed = 5
        XCTAssertNotEqual(try PropagationSimulator.run(setup).values, one.values)
    }

    /// Layer 0 holds the inputs exactly; one network's layer 1 against a direct computation from the same draw.
    func testFirstLayerAgainstDirectComputation() throws {
        let setup = PropagationSetup(widths: [3, 4, 2], activation: "relu", initScheme: .gaussian(std: 0.7),
                                     theta0: 0.6, networks: 1, seed: 8)
        let r = try PropagationSimulator.run(setup)
        XCTAssertEqual(r.value(network: 0, layer: 0, .theta), 0.6, accuracy: 1e-14)
        XCTAssertEqual(r.value(network: 0, layer: 0, .correlation), cos(0.6), accuracy: 1e-14)
        XCTAssertEqual(r.value(network: 0, layer: 0, .q), 1, accuracy: 1e-14)
        XCTAssertEqual(r.value(network: 0, layer: 0, .logNorm), 0.5 * log(3), accuracy: 1e-14)
        // Redraw the same block with the same generator.
        let params = Parameters(architecture: setup.architecture)
        var rng = Xoshiro256(seed: 8, stream: 16)
        try InitScheme.gaussian(std: 0.7).fill(params, layer: 0, rng: &rng)
        let s3 = 3.0.squareRoot()
        let xa = [s3, 0, 0], xb = [s3 * cos(0.6), s3 * sin(0.6), 0]
        var za = [Double](), zb = [Double]()
        for i in 0..<4 {
            var a = params[0, i, 3], b = params[0, i, 3]
            for j in 0..<3 { a += params[0, i, j] * xa[j]; b += params[0, i, j] * xb[j] }
            za.append(a); zb.append(b)
        }
        let pa = za.map { max(0, $0) }, pb = zb.map { max(0, $0) }
        func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
        XCTAssertEqual(r.value(network: 0, layer: 1, .q), dot(za, za) / 4, accuracy: 1e-12)
        XCTAssertEqual(r.value(network: 0, layer: 1, .correlation), dot(za, zb) / (dot(za, za) * dot(zb, zb)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(r.value(network: 0, layer: 1, .logNorm), 0.5 * log(dot(pa, pa)), accuracy: 1e-12)
        let c = dot(pa, pb) / (dot(pa, pa) * dot(pb, pb)).squareRoot()
        if dot(pa, pa) > 0 && dot(pb, pb) > 0 {
            XCTAssertEqual(r.value(network: 0, layer: 1, .theta), acos(min(1, c)), accuracy: 1e-7)
            XCTAssertEqual(r.value(network: 0, layer: 1, .lnSin2Theta), log(1 - c * c), accuracy: 1e-7)
        }
    }

    func testBadSetups() {
        let bad: [PropagationSetup] = [
            PropagationSetup(widths: [10, 10]), PropagationSetup(widths: [10, 0, 10]),
            PropagationSetup(widths: [1, 5, 2]), PropagationSetup(widths: [10, 5, 2], theta0: 0),
            PropagationSetup(widths: [10, 5, 2], theta0: Double.pi), PropagationSetup(widths: [10, 5, 2], activation: "nope"),
        ]
        for s in bad { XCTAssertThrowsError(try s.validate(), "\(s.widths)") }
    }

    /// More networks or weights than the machine holds: one line before anything is allocated (it aborted in an
    /// allocation of 44 TB before).
    func testSetupsBeyondTheMachine() {
        let many = PropagationSetup(widths: [784, 100, 100, 10], networks: 100_000_000_000)
        XCTAssertThrowsError(try many.validate()) { XCTAssertTrue("\($0)".contains("of memory"), "\($0)") }
        let wide = PropagationSetup(widths: [10, 1 << 40, 1], networks: 1)
        XCTAssertThrowsError(try wide.validate()) { XCTAssertTrue("\($0)".contains("of memory"), "\($0)") }
        let fine = PropagationSetup(widths: [784, 100, 100, 10], networks: 1000)
        XCTAssertNoThrow(try fine.validate())
        XCTAssertLessThan(fine.estimatedBytes, 1e8)
    }
}
