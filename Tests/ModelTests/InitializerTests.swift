import XCTest
import LinearAlgebra
@testable import Model

final class InitializerTests: XCTestCase {
    func testParsingExamplesAndRoundTrip() throws {
        let cases: [(String, InitScheme)] = [
            ("he_normal", .heNormal(slope: 0)),
            ("he_normal(slope=0.01)", .heNormal(slope: 0.01)),
            ("xavier_uniform(gain=2)", .xavierUniform(gain: 2)),
            ("gaussian(std=0.005)", .gaussian(std: 0.005)),
            ("gaussian(0.005)", .gaussian(std: 0.005)),
            ("orthogonal(gain=1)", .orthogonal(gain: 1)),
            ("orthogonal", .orthogonal(gain: 1)),
            ("lecun_normal", .lecunNormal),
            ("Glorot-Normal", .xavierNormal(gain: 1)),
            ("kaiming_uniform( slope = 0.2 )", .heUniform(slope: 0.2)),
            ("uniform(bound=0.1)", .uniform(bound: 0.1)),
            ("zeros", .zeros),
        ]
        for (text, want) in cases {
            let got = try InitScheme(parsing: text)
            XCTAssertEqual(got, want, text)
            XCTAssertEqual(try InitScheme(parsing: got.spec), got, "spec round trip of \(text)")
        }
        let json = try JSONEncoder().encode([InitScheme.gaussian(std: 0.005), .lecunNormal])
        XCTAssertEqual(String(decoding: json, as: UTF8.self), #"["gaussian(std=0.005)","lecun_normal"]"#)
        XCTAssertEqual(try JSONDecoder().decode([InitScheme].self, from: json), [.gaussian(std: 0.005), .lecunNormal])
    }

    func testParsingErrorsAreOneLineAndListNames() {
        func message(_ s: String) -> String {
            do { _ = try InitScheme(parsing: s); return "" } catch { return "\(error)" }
        }
        let unknown = message("bogus")
        XCTAssertTrue(unknown.contains("bogus") && unknown.contains("he_normal") && unknown.contains("orthogonal"), unknown)
        XCTAssertFalse(unknown.contains("\n"))
        XCTAssertTrue(message("gaussian").contains("std"))
        XCTAssertTrue(message("gaussian(sd=1)").contains("sd"))
        XCTAssertTrue(message("he_normal(slope=abc)").contains("abc"))
        XCTAssertTrue(message("lecun_normal(2)").contains("no parameters"))
        XCTAssertTrue(message("gaussian(std=-1)").contains("≥ 0"))
        XCTAssertTrue(message("gaussian(std=1").contains(")"))
        XCTAssertEqual(InitScheme.registry.count, 15)
    }

    func testPowerLaw() {
        XCTAssertEqual(InitScheme.powerLaw(gamma: 2, width: 100), .gaussian(std: 0.01))
        guard case .gaussian(let s) = InitScheme.powerLaw(gamma: 1.5, width: 50) else { return XCTFail() }
        XCTAssertEqual(s * s, pow(50, -1.5), accuracy: 1e-15)
    }

    /// Empirical weight variance (and bias behaviour) of one large block per scheme.
    func testVariancesMatchTheirFormulas() throws {
        let arch = Architecture(inputDim: 300, hiddenWidths: [200], outputDim: 1, activations: ["tanh"])
        let schemes: [InitScheme] = [.gaussian(std: 0.05), .uniform(bound: 0.3), .xavierNormal(gain: 1.5),
                                     .xavierUniform(gain: 1), .heNormal(slope: 0), .heUniform(slope: 0.5),
                                     .lecunNormal, .orthogonal(gain: 2)]
        for scheme in schemes {
            let p = Parameters(architecture: arch)
            var rng = Xoshiro256(seed: 31)
            try InitScheme.initialize(p, hidden: scheme, readout: .zeros, rng: &rng)
            let block = p.layout[0]
            var s = 0.0, s2 = 0.0, biasesNonZero = 0
            for r in 0..<block.rows {
                for c in 0..<block.fanIn { let v = p[0, r, c]; s += v; s2 += v * v }
                if p[0, r, block.fanIn] != 0 { biasesNonZero += 1 }
            }
            let count = Double(block.rows * block.fanIn)
            let want = scheme.weightVariance(fanIn: 300, fanOut: 200)
            // 60000 draws: relative standard error of a variance ≤ √(2/60000) ≈ 0.6%; allow 3%.
            XCTAssertEqual(s2 / count, want, accuracy: 0.03 * want, "\(scheme)")
            XCTAssertEqual(s / count, 0, accuracy: 0.02 * want.squareRoot(), "\(scheme) mean")
            if scheme.drawsBias { XCTAssertEqual(biasesNonZero, block.rows, "\(scheme) biases") }
            else { XCTAssertEqual(biasesNonZero, 0, "\(scheme) must leave biases 0") }
            XCTAssertEqual(p.block(layer: 1).allSatisfy { $0 == 0 }, true, "readout zeros")
        }
        // The formulas themselves, for a case with fanIn ≠ fanOut.
        XCTAssertEqual(InitScheme.heNormal(slope: 0).weightVariance(fanIn: 50, fanOut: 7), 2.0 / 50)
        XCTAssertEqual(InitScheme.heNormal(slope: 1).weightVariance(fanIn: 50, fanOut: 7), 1.0 / 50)
        XCTAssertEqual(InitScheme.xavierNormal(gain: 1).weightVariance(fanIn: 50, fanOut: 30), 2.0 / 80)
        // Uniform schemes stay inside their bound.
        let p = Parameters(architecture: arch)
        var rng = Xoshiro256(seed: 1)
        try InitScheme.initialize(p, hidden: .heUniform(slope: 0), readout: .zeros, rng: &rng)
        let bound = (6.0 / 300).squareRoot()
        XCTAssertLessThanOrEqual(p.block(layer: 0).map(abs).max()!, bound)
        XCTAssertGreaterThan(p.block(layer: 0).map(abs).max()!, 0.95 * bound)
    }

    func testOrthogonalRowsOrColumnsOrthonormal() throws {
        for (fanOut, fanIn) in [(5, 12), (12, 5), (7, 7)] {
            let arch = Architecture(inputDim: fanIn, hiddenWidths: [fanOut], outputDim: 1, activations: ["tanh"])
            let p = Parameters(architecture: arch)
            var rng = Xoshiro256(seed: 4)
            try InitScheme.initialize(p, hidden: .orthogonal(gain: 1.5), readout: .zeros, rng: &rng)
            let w = Matrix(rows: fanOut, cols: fanIn) { p[0, $0, $1] / 1.5 }
            let gram = fanOut <= fanIn ? w.multiplied(by: w, transposingOther: true)
                                       : w.multiplied(by: w, transposingSelf: true)
            XCTAssertLessThan(gram.maxAbsDifference(.identity(min(fanIn, fanOut))), 1e-12, "\(fanOut)×\(fanIn)")
            for r in 0..<fanOut { XCTAssertEqual(p[0, r, fanIn], 0) }
        }
        // Sign fix: with the same Gaussian, the result is G·R⁻¹ with R's diagonal positive, i.e.
        // each output column has a positive inner product with the corresponding Gaussian column.
        var a = Xoshiro256(seed: 9), b = a
        let q = try InitScheme.orthogonalMatrix(rows: 6, cols: 4, rng: &a)
        let g = Matrix(rows: 6, cols: 4) { _, _ in b.nextNormal() }
        let qtg = q.multiplied(by: g, transposingSelf: true)   // = R, upper triangular with positive diagonal
        for j in 0..<4 {
            XCTAssertGreaterThan(qtg[j, j], 0)
            for i in (j + 1)..<4 { XCTAssertEqual(qtg[i, j], 0, accuracy: 1e-12) }
        }
    }

    func testDrawOrderIsDocumentedAndReproducible() throws {
        let arch = Architecture(inputDim: 2, hiddenWidths: [3], outputDim: 1, activations: ["tanh"], readoutBias: true)
        let p = Parameters(architecture: arch)
        var rng = Xoshiro256(seed: 17)
        try InitScheme.initialize(p, hidden: .gaussian(std: 0.5), readout: .gaussian(std: 2), rng: &rng)
        var ref = Xoshiro256(seed: 17)
        var want: [Double] = []
        // layer 0: weights row-major (3×2), then 3 biases; layer 1: 3 weights, then 1 bias.
        let w0 = (0..<6).map { _ in 0.5 * ref.nextNormal() }, b0 = (0..<3).map { _ in 0.5 * ref.nextNormal() }
        for r in 0..<3 { want += [w0[2 * r], w0[2 * r + 1], b0[r]] }
        want += (0..<4).map { _ in 2 * ref.nextNormal() }
        XCTAssertEqual(p.array, want)
        XCTAssertEqual(rng, ref, "the generator must end where the documented order ends")
        // Same seed, same parameters; different seed, different parameters.
        let q = Parameters(architecture: arch)
        var again = Xoshiro256(seed: 17)
        try initialize(q, architecture: arch, hidden: .gaussian(std: 0.5), readout: .gaussian(std: 2), rng: &again)
        XCTAssertEqual(q.array, p.array)
        var other = Xoshiro256(seed: 18)
        try initialize(q, architecture: arch, hidden: .gaussian(std: 0.5), readout: .gaussian(std: 2), rng: &other)
        XCTAssertNotEqual(q.array, p.array)
    }
}
