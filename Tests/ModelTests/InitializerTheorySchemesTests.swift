import XCTest
import Foundation
@testable import Model

/// RAI, anti-correlated and Lyapunov initializers: parsing, and statistics of large seeded draws checked against
/// the recipes' defining properties (not against the implementation's own formulas).
final class InitializerTheorySchemesTests: XCTestCase {
    func testParsingDefaultsAndRoundTrip() throws {
        let k = -0.5, s2 = 2 * Double.pi / (Double.pi - 0.5)
        let cases: [(String, InitScheme)] = [
            ("rai", .rai),
            ("RAI", .rai),
            ("anti_correlated", .antiCorrelated(kappa: k, sigma2: s2)),
            ("anti-correlated(kappa=-1)", .antiCorrelated(kappa: -1, sigma2: 2 * Double.pi / (Double.pi - 1))),
            ("anti_correlated(-0.3, 2)", .antiCorrelated(kappa: -0.3, sigma2: 2)),
            ("anti_correlated(sigma2=2.5, kappa=0)", .antiCorrelated(kappa: 0, sigma2: 2.5)),
            ("anti_correlated_rai", .antiCorrelatedRAI(kappa: -0.5)),
            ("anti_correlated_rai(kappa=-0.25)", .antiCorrelatedRAI(kappa: -0.25)),
            ("lyapunov_gaussian(slope=0.1)", .lyapunovGaussian(slope: 0.1)),
            ("lyapunov_orthogonal(0.2)", .lyapunovOrthogonal(slope: 0.2)),
        ]
        for (text, want) in cases {
            let got = try InitScheme(parsing: text)
            XCTAssertEqual(got, want, text)
            XCTAssertEqual(try InitScheme(parsing: got.spec), got, "spec round trip of \(text)")
        }
        XCTAssertEqual(InitScheme.rai.drawsBias, true)
        XCTAssertEqual(InitScheme.antiCorrelatedRAI(kappa: 0).drawsBias, true)
        XCTAssertEqual(InitScheme.antiCorrelated(kappa: 0, sigma2: 2).drawsBias, false)
        XCTAssertEqual(InitScheme.lyapunovGaussian(slope: 0.1).drawsBias, false)
    }

    func testBadParametersAreOneLineErrors() {
        func message(_ s: String) -> String {
            do { _ = try InitScheme(parsing: s); return "" } catch { return "\(error)" }
        }
        let checks: [(String, String)] = [
            ("anti_correlated(kappa=-1.5)", "≥ −1"), ("anti_correlated_rai(kappa=-2)", "≥ −1"),
            ("anti_correlated(sigma2=0)", "> 0"), ("anti_correlated(foo=1)", "foo"),
            ("anti_correlated(1,2,3)", "too many"), ("anti_correlated(kappa=1,kappa=2)", "twice"),
            ("lyapunov_gaussian(slope=0)", "−∞"), ("lyapunov_orthogonal(slope=0)", "ReLU"),
            ("lyapunov_gaussian(slope=1.5)", "(0, 1]"), ("lyapunov_gaussian(slope=-0.1)", "(0, 1]"),
            ("lyapunov_gaussian", "slope"), ("rai(1)", "no parameters"),
        ]
        for (text, fragment) in checks {
            let m = message(text)
            XCTAssertTrue(m.contains(fragment), "\(text): \(m)")
            XCTAssertFalse(m.contains("\n"), text)
        }
        // A scheme built in code with a bad slope fails when drawn, with a one-line error.
        let p = Parameters(architecture: Architecture(inputDim: 3, hiddenWidths: [3], outputDim: 1, activations: ["relu"]))
        var rng = Xoshiro256(seed: 1)
        XCTAssertThrowsError(try InitScheme.lyapunovGaussian(slope: 0).fill(p, layer: 0, rng: &rng)) {
            XCTAssertTrue("\($0)".contains("−∞"))
        }
    }

    /// Draws hidden block 0 (fanOut × (fanIn+1), bias last) of a one-hidden-layer net.
    func draw(_ scheme: InitScheme, fanIn: Int, fanOut: Int, bias: Bool = true, seed: UInt64 = 11) throws -> [[Double]] {
        let arch = Architecture(inputDim: fanIn, hiddenWidths: [fanOut], outputDim: 1, activations: ["relu"],
                                hiddenBias: bias)
        let p = Parameters(architecture: arch)
        var rng = Xoshiro256(seed: seed)
        try InitScheme.initialize(p, hidden: scheme, readout: .zeros, rng: &rng)
        return (0..<fanOut).map { r in (0...fanIn).map { p[0, r, $0] } }
    }

    /// Kolmogorov–Smirnov distance between a sample and a continuous CDF.
    func ksDistance(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        let s = sample.sorted(), n = Double(s.count)
        var d = 0.0
        for (i, x) in s.enumerated() {
            let f = cdf(x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return d
    }

    /// RAI: the symmetric part is N(0, 0.6007²/fanIn) over weights AND bias, and each row has exactly one
    /// Beta(2,1) entry at a uniformly chosen position among the fanIn + 1.
    func testRAIRecipe() throws {
        let fanIn = 99, rows = 4000
        let v = try draw(.rai, fanIn: fanIn, fanOut: rows)
        let sd = 0.6007 / Double(fanIn).squareRoot()
        // (1) Gaussian part: the negative entries can only be Gaussian, so |x|/sd must be half-normal.
        let negatives = v.flatMap { $0 }.filter { $0 < 0 }.map { -$0 / sd }
        let ks = ksDistance(negatives) { erf($0 / 2.0.squareRoot()) }
        XCTAssertLessThan(ks, 1.63 / Double(negatives.count).squareRoot(), "KS (1 % level) of the Gaussian part")
        // (2) one Beta entry per row: a Gaussian entry exceeds 6 sd = 0.36 with probability 1e-9, a Beta(2,1)
        // one with 1 − 0.36². So no row may have two, and the share of rows with one must be 1 − c².
        let c = 6 * sd
        var withOne = 0, onBias = 0, large: [Double] = []
        for row in v {
            let hits = row.indices.filter { row[$0] > c }
            XCTAssertLessThanOrEqual(hits.count, 1)
            if let h = hits.first { withOne += 1; large.append(row[h]); if h == fanIn { onBias += 1 } }
        }
        let share = 1 - c * c
        let se = (share * (1 - share) / Double(rows)).squareRoot()
        XCTAssertEqual(Double(withOne) / Double(rows), share, accuracy: 4 * se)
        // (3) the value law above c: density 2x restricted to (c, 1): mean (2/3)(1 − c³)/(1 − c²), max < 1
        let condMean = (2.0 / 3) * (1 - c * c * c) / (1 - c * c)
        let m = large.reduce(0, +) / Double(large.count)
        XCTAssertEqual(m, condMean, accuracy: 4 * 0.25 / Double(large.count).squareRoot())
        XCTAssertLessThan(large.max()!, 1)
        // (4) the position is uniform over fanIn + 1 entries, the bias included
        let pBias = share / Double(fanIn + 1)
        XCTAssertEqual(Double(onBias), pBias * Double(rows), accuracy: 4 * (pBias * Double(rows)).squareRoot())
        // (5) every column's mean is (2/3)/(fanIn+1) (checked on a block with fewer columns, more rows)
        let w = try draw(.rai, fanIn: 4, fanOut: 40000, seed: 12)
        for col in 0...4 {
            let values = w.map { $0[col] }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            XCTAssertEqual(mean, (2.0 / 3) / 5, accuracy: 4 * (variance / Double(values.count)).squareRoot(), "column \(col)")
        }
        // (6) a disabled bias is zero, and the weights do not change with it
        let nb = try draw(.rai, fanIn: 4, fanOut: 50, bias: false, seed: 3), wb = try draw(.rai, fanIn: 4, fanOut: 50, seed: 3)
        for r in 0..<50 { XCTAssertEqual(nb[r][4], 0); XCTAssertEqual(Array(nb[r][0..<4]), Array(wb[r][0..<4])) }
    }

    /// Anti-correlated rows: entry variance σ²/N·(1 + κ/N), row-sum variance σ²(1 + κ), κ = −1 rows sum to 0.
    func testAntiCorrelatedMoments() throws {
        let n = 20, rows = 50000
        for (kappa, sigma2) in [(-0.5, 2.0), (3.0, 1.0)] {
            let v = try draw(.antiCorrelated(kappa: kappa, sigma2: sigma2), fanIn: n, fanOut: rows)
            let entries = v.flatMap { $0[0..<n] }
            let entryVar = entries.reduce(0) { $0 + $1 * $1 } / Double(entries.count)
            let wantEntry = sigma2 / Double(n) * (1 + kappa / Double(n))
            // s.e. of a mean square of n·rows weakly correlated normals ≈ √(2/(n·rows)) relative
            XCTAssertEqual(entryVar, wantEntry, accuracy: 4 * wantEntry * (2.0 / Double(entries.count)).squareRoot() * 1.5)
            // and not the uncorrelated value (the κ/N effect is 4 s.e. or more away)
            XCTAssertGreaterThan(abs(entryVar - sigma2 / Double(n)), 4 * wantEntry * (2.0 / Double(entries.count)).squareRoot())
            let sums = v.map { $0[0..<n].reduce(0, +) }
            let sumVar = sums.reduce(0) { $0 + $1 * $1 } / Double(rows)
            let wantSum = sigma2 * (1 + kappa)
            XCTAssertEqual(sumVar, wantSum, accuracy: 4 * wantSum * (2.0 / Double(rows)).squareRoot())
            XCTAssertTrue(v.allSatisfy { $0[n] == 0 }, "biases are 0")
        }
        let v = try draw(.antiCorrelated(kappa: -1, sigma2: 3), fanIn: 37, fanOut: 200)
        for row in v {
            let scale = row.map(abs).max()!
            XCTAssertEqual(row[0..<37].reduce(0, +), 0, accuracy: 1e-14 * 37 * scale)
        }
    }

    /// anti_correlated_rai: the Gaussian (fanIn+1)-vector has entries of variance (0.6007²/fanIn)(1 + κ/N),
    /// N = fanIn + 1 (seen on the negative entries, all Gaussian), and columns still have mean (2/3)/N.
    func testAntiCorrelatedRAI() throws {
        let fanIn = 4, rows = 60000, kappa = -1.0
        let v = try draw(.antiCorrelatedRAI(kappa: kappa), fanIn: fanIn, fanOut: rows)
        let s2 = 0.6007 * 0.6007 / Double(fanIn) * (1 + kappa / Double(fanIn + 1))
        let negatives = v.flatMap { $0 }.filter { $0 < 0 }
        let meanSquare = negatives.reduce(0) { $0 + $1 * $1 } / Double(negatives.count)
        XCTAssertEqual(meanSquare, s2, accuracy: 4 * s2 * (2.0 / Double(negatives.count)).squareRoot())
        for col in 0...fanIn {
            let mean = v.reduce(0) { $0 + $1[col] } / Double(rows)
            XCTAssertEqual(mean, (2.0 / 3) / Double(fanIn + 1), accuracy: 0.006, "column \(col)")
        }
    }

    /// rai_matched_gaussian: RAI's mean square in every entry, bias included, but symmetric (no Beta(2,1) entry:
    /// column means 0, where RAI's are (2/3)/(fanIn+1)), and it parses back from its spec.
    func testRAIMatchedGaussianHasRAIScaleWithoutTheAsymmetricEntry() throws {
        let fanIn = 4, rows = 60000
        XCTAssertEqual(try InitScheme(parsing: "rai_matched_gaussian"), .raiMatchedGaussian)
        XCTAssertEqual(InitScheme.raiMatchedGaussian.spec, "rai_matched_gaussian")
        XCTAssertTrue(InitScheme.raiMatchedGaussian.drawsBias)
        let v = try draw(.raiMatchedGaussian, fanIn: fanIn, fanOut: rows)
        let want = InitScheme.rai.weightVariance(fanIn: fanIn, fanOut: rows)
        for col in 0...fanIn {
            let column = v.map { $0[col] }
            let mean = column.reduce(0, +) / Double(rows)
            let meanSquare = column.reduce(0) { $0 + $1 * $1 } / Double(rows)
            XCTAssertEqual(mean, 0, accuracy: 4 * (want / Double(rows)).squareRoot(), "column \(col)")
            XCTAssertEqual(meanSquare, want, accuracy: 4 * want * (2.0 / Double(rows)).squareRoot(), "column \(col)")
        }
    }

    /// `weightVariance` (the mean square of a weight entry) against a large draw of each new scheme.
    func testWeightVarianceMatchesDraws() throws {
        let fanIn = 300, fanOut = 2000
        let schemes: [InitScheme] = [.rai, .raiMatchedGaussian, .antiCorrelated(kappa: -0.5, sigma2: 2), .antiCorrelatedRAI(kappa: -1),
                                     .lyapunovGaussian(slope: 0.3), .lyapunovOrthogonal(slope: 0.3)]
        for scheme in schemes {
            let v = try draw(scheme, fanIn: fanIn, fanOut: fanOut)
            let entries = v.flatMap { $0[0..<fanIn] }
            let meanSquare = entries.reduce(0) { $0 + $1 * $1 } / Double(entries.count)
            let want = scheme.weightVariance(fanIn: fanIn, fanOut: fanOut)
            // ≈ 2000 Beta(2,1) entries carry about half of the RAI mean square: relative s.e. ≈ 1.5 %
            XCTAssertEqual(meanSquare, want, accuracy: 0.05 * want, scheme.spec)
        }
    }

    /// lyapunov_gaussian: the entries' variance is σ_crit² for width fanOut (docs/theory.md §B.5: d = 4,
    /// α = 0.1 gives σ_crit = 1.06571), whatever fanIn is; biases 0.
    func testLyapunovGaussianVariance() throws {
        let v = try draw(.lyapunovGaussian(slope: 0.1), fanIn: 6000, fanOut: 4)
        let entries = v.flatMap { $0[0..<6000] }
        let meanSquare = entries.reduce(0) { $0 + $1 * $1 } / Double(entries.count)
        let want = 1.06571 * 1.06571
        XCTAssertEqual(meanSquare, want, accuracy: 4 * want * (2.0 / Double(entries.count)).squareRoot() + 2e-5)
        XCTAssertTrue(v.allSatisfy { $0[6000] == 0 })
        XCTAssertEqual(InitScheme.lyapunovGaussian(slope: 0.1).weightVariance(fanIn: 6000, fanOut: 4), want, accuracy: 2e-5)
    }

    /// Per-layer drift of log‖x‖ through a deep narrow (width 4) leaky-ReLU(0.1) network without biases, as
    /// initialized: ≈ 0 with Lyapunov initialization, ≈ λ_He = −0.41519 with He and ≈ −0.28001 with the orthogonal
    /// gain √(2/(1+α²)) (§B.5), each within 3 standard errors.
    func testDeepNarrowDrift() throws {
        let width = 4, depth = 400, alpha = 0.1
        let arch = Architecture(inputDim: width, hiddenWidths: Array(repeating: width, count: depth), outputDim: 1,
                                activations: ["leaky_relu(0.1)"], hiddenBias: false)
        let cases: [(InitScheme, Double)] = [
            (.lyapunovGaussian(slope: alpha), 0), (.heNormal(slope: alpha), -0.41519),
            (.lyapunovOrthogonal(slope: alpha), 0), (.orthogonal(gain: (2 / (1 + alpha * alpha)).squareRoot()), -0.28001),
        ]
        for (scheme, want) in cases {
            var increments: [Double] = []
            for seed in 1...10 {
                let p = Parameters(architecture: arch)
                var rng = Xoshiro256(seed: UInt64(seed))
                try InitScheme.initialize(p, hidden: scheme, readout: .zeros, rng: &rng)
                var x = (0..<width).map { _ in rng.nextNormal() }
                let n0 = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                x = x.map { $0 / n0 }
                for l in 0..<depth {
                    var y = [Double](repeating: 0, count: width)
                    for i in 0..<width {
                        var s = 0.0
                        for j in 0..<width { s += p[l, i, j] * x[j] }
                        y[i] = s > 0 ? s : alpha * s
                    }
                    let n = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    increments.append(log(n))
                    x = y.map { $0 / n }
                }
            }
            let mean = increments.reduce(0, +) / Double(increments.count)
            let variance = increments.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(increments.count - 1)
            let se = (variance / Double(increments.count)).squareRoot()
            XCTAssertEqual(mean, want, accuracy: 3 * se, "\(scheme.spec): drift \(mean) ± \(se)")
        }
    }
}
