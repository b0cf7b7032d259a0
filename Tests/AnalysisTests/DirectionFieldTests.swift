import Analysis
import Foundation
import LinearAlgebra
import Model
import RunFormat
import XCTest

final class DirectionFieldTests: XCTestCase {
    typealias Zero = DirectionField.Zero

    /// |φ − ψ| on the circle.
    func circularDistance(_ phi: Double, _ psi: Double) -> Double {
        let d = (phi - psi).truncatingRemainder(dividingBy: 2 * .pi)
        return min(abs(d), 2 * .pi - abs(d))
    }

    /// Distance between two line angles (modulo π).
    func lineDistance(_ phi: Double, _ psi: Double) -> Double {
        let d = (phi - psi).truncatingRemainder(dividingBy: .pi)
        return min(abs(d), .pi - abs(d))
    }

    /// P1 Fig. 5/6's inputs (40 points on [−1, 1.5]) with standard-normal residuals.
    func randomData(seed: UInt64, n: Int = 40) -> (x: [Double], e: [Double]) {
        var rng = Xoshiro256(seed: seed)
        let x = (0..<n).map { -1 + 2.5 * Double($0) / Double(n - 1) }
        return (x, x.map { _ in rng.nextNormal() })
    }

    // MARK: Zeros of constructed functions

    /// g = −sin 3(φ − α): zeros at α + kπ/3, attracting a > 0 for even k (g' = −3 cos kπ < 0), three lines each
    /// with one orientation per readout sign.
    func testConstructedFieldWithKnownStableZeros() throws {
        let alpha = 0.3
        let result = try DirectionField.zeros(of: { -sin(3 * ($0 - alpha)) })
        XCTAssertEqual(result.zeros.count, 6)
        XCTAssertFalse(result.isIdenticallyZero)
        for k in 0..<6 {
            let expected = alpha + Double(k) * .pi / 3
            let zero = try XCTUnwrap(result.zeros.first { circularDistance($0.angle, expected) < 1e-10 }, "k = \(k)")
            XCTAssertEqual(zero.stableFor, k % 2 == 0 ? .positive : .negative, "k = \(k)")
            XCTAssertEqual(zero.slope, k % 2 == 0 ? -3 : 3, accuracy: 1e-6)
            XCTAssertTrue(zero.angle >= -.pi && zero.angle < .pi)
        }
        XCTAssertEqual(result.stableAngles(for: .positive).count, 3)
        XCTAssertEqual(result.unstableAngles(for: .positive), result.stableAngles(for: .negative))
        assertClose(result.lines.map(\.angle), [alpha - .pi / 3, alpha, alpha + .pi / 3], accuracy: 1e-10)
        for line in result.lines {
            XCTAssertEqual(line.zeros.count, 2)
            XCTAssertTrue(line.isStable(for: .positive) && line.isStable(for: .negative))
        }
        XCTAssertEqual(result.stableLineCount(for: nil), 3)
        XCTAssertEqual(result.stableLineCount(for: .positive), 3)
    }

    /// A zero that sits exactly on a sample (φ = 0) is found once; φ = −π, the first sample, too.
    func testZerosOnSamplesAreFoundOnce() throws {
        let result = try DirectionField.zeros(of: { -sin($0) })
        XCTAssertEqual(result.zeros.count, 2)
        let atPi = try XCTUnwrap(result.zeros.first { circularDistance($0.angle, .pi) < 1e-10 })
        XCTAssertEqual(atPi.stableFor, .negative)
        let atZero = try XCTUnwrap(result.zeros.first { circularDistance($0.angle, 0) < 1e-10 })
        XCTAssertEqual(atZero.stableFor, .positive)
        XCTAssertEqual(result.lines.count, 1)
        XCTAssertLessThan(lineDistance(result.lines[0].angle, 0), 1e-10)
    }

    /// cos φ − ½ has zeros at ±π/3, which are not antipodal: two lines of one orientation each.
    func testZerosWithoutAntipodesAreLinesOfOneOrientation() throws {
        let result = try DirectionField.zeros(of: { cos($0) - 0.5 })
        assertClose(result.zeros.map(\.angle), [-Double.pi / 3, .pi / 3], accuracy: 1e-10)
        XCTAssertEqual(result.zeros.map(\.stableFor), [.negative, .positive])
        XCTAssertEqual(result.lines.count, 2)
        XCTAssertEqual(result.lines.map(\.zeros.count), [1, 1])
        XCTAssertEqual(result.stableLineCount(for: .positive), 1)
        XCTAssertEqual(result.stableLineCount(for: .negative), 1)
    }

    /// sin²(φ − φ*) − 10⁻¹² only dips below 0 within 10⁻⁶ of its tangencies φ* and φ* + π (both samples). With
    /// the default threshold those samples count as 0 and nothing is bracketed; with threshold 0 each dip gives two
    /// crossings 2·10⁻⁶ apart, which merge into a tangency and are dropped.
    func testTangenciesAreNotStationaryOrientations() throws {
        let star = -Double.pi + 2 * Double.pi * 700 / 3600
        let g: (Double) -> Double = { pow(sin($0 - star), 2) - 1e-12 }
        let byDefault = try DirectionField.zeros(of: g)
        XCTAssertTrue(byDefault.zeros.isEmpty)
        XCTAssertEqual(byDefault.droppedTangencies, 0)
        let strict = try DirectionField.zeros(of: g, options: .init(relativeZeroThreshold: 0))
        XCTAssertTrue(strict.zeros.isEmpty)
        XCTAssertEqual(strict.droppedTangencies, 2)
        // Without merging, the two crossings of each dip are reported.
        let unmerged = try DirectionField.zeros(of: g, options: .init(relativeZeroThreshold: 0, mergeTolerance: 0))
        XCTAssertEqual(unmerged.zeros.count, 4)
    }

    func testIdenticallyZeroFieldAndBadOptions() throws {
        let result = try DirectionField.zeros(of: { _ in 0 })
        XCTAssertTrue(result.isIdenticallyZero)
        XCTAssertTrue(result.zeros.isEmpty && result.lines.isEmpty)
        XCTAssertEqual(result.samples.count, 3600)
        XCTAssertThrowsError(try DirectionField.zeros(of: { sin($0) }, options: .init(samples: 4)))
        XCTAssertThrowsError(try DirectionField.zeros(of: { _ in .nan }))
        let (x, e) = randomData(seed: 1)
        let field = try DirectionField(inputs: x, residuals: e.map { _ in 0 }, activation: Activation(parsing: "tanh"))
        XCTAssertTrue(try field.stationaryOrientations().isIdenticallyZero)
    }

    // MARK: The field of a network

    /// p = 1: F = −(c/n)·v is constant, v = Σ e_i (x_i, 1), so the one line is ±v (P1 §5.1): −v attracts a > 0
    /// when c > 0; a negative leading coefficient swaps the two.
    func testMultiplicityOneLineIsTheResidualDirection() throws {
        for seed in UInt64(1)...5 {
            let (x, e) = randomData(seed: seed)
            let v = zip(x, e).reduce(SIMD2<Double>(0, 0)) { $0 + $1.1 * SIMD2($1.0, 1) }
            let towardsV = atan2(v.y, v.x), awayFromV = atan2(-v.y, -v.x)
            for (spec, sign) in [("tanh", 1.0), ("sigmoid", 1.0), ("-tanh(x)", -1.0)] {
                let field = try DirectionField(inputs: x, residuals: e, activation: Activation(parsing: spec))
                let result = try field.stationaryOrientations()
                XCTAssertEqual(result.zeros.count, 2, spec)
                XCTAssertEqual(result.lines.count, 1, spec)
                let positive = try XCTUnwrap(result.stableAngles(for: .positive).first)
                let negative = try XCTUnwrap(result.stableAngles(for: .negative).first)
                XCTAssertLessThan(circularDistance(positive, sign > 0 ? awayFromV : towardsV), 1e-9, spec)
                XCTAssertLessThan(circularDistance(negative, sign > 0 ? towardsV : awayFromV), 1e-9, spec)
            }
        }
    }

    /// p = 2: F(ω) = −2c·M·ω with M = (1/n) Σ e_i x̃_i x̃_iᵀ, a linear flow: a > 0 neurons turn to the eigenvector of
    /// −M's larger eigenvalue, a < 0 neurons to the other one; both ends of each line attract the same sign.
    func testMultiplicityTwoLinesAreTheEigenvectors() throws {
        for seed in UInt64(10)...15 {
            let (x, e) = randomData(seed: seed)
            var m = (p: 0.0, q: 0.0, s: 0.0)
            for (xi, ei) in zip(x, e) { m.p += ei * xi * xi; m.q += ei * xi; m.s += ei }
            // For a symmetric [[p, q], [q, s]], ½·atan2(2q, p − s) is the angle of the larger eigenvalue's vector;
            // −M's larger eigenvalue is M's smaller one, at that angle + π/2.
            let top = 0.5 * atan2(2 * m.q, m.p - m.s)
            let attractsPositive = top + .pi / 2, attractsNegative = top
            let field = try DirectionField(inputs: x, residuals: e, activation: Activation(parsing: "xtanh"))
            let result = try field.stationaryOrientations()
            XCTAssertEqual(result.lines.count, 2)
            let positive = try XCTUnwrap(result.lines.first { $0.isStable(for: .positive) })
            let negative = try XCTUnwrap(result.lines.first { $0.isStable(for: .negative) })
            XCTAssertFalse(positive.isStable(for: .negative))
            XCTAssertEqual(positive.zeros.count, 2)
            XCTAssertLessThan(lineDistance(positive.angle, attractsPositive), 1e-9)
            XCTAssertLessThan(lineDistance(negative.angle, attractsNegative), 1e-9)
            XCTAssertEqual(result.stableLineCount(for: .positive), 1)
            XCTAssertEqual(result.stableLineCount(for: nil), 2)
        }
    }

    /// The leading-order field is homogeneous of degree p − 1: g(φ + π) = (−1)^p g(φ). So zeros pair into lines,
    /// whose ends attract opposite readout signs for odd p and the same sign for even p.
    func testAntipodalSymmetryOfTheLeadingOrderField() throws {
        let (x, e) = randomData(seed: 21)
        let points = x.map { SIMD2($0, 1) }
        for p in 1...5 {
            let field = try DirectionField(points: points, residuals: e, multiplicity: p, leading: 0.7)
            for phi in stride(from: -3.0, to: 0.1, by: 0.37) {
                let scale = abs(field.tangential(phi)) + 1e-3
                XCTAssertEqual(field.tangential(phi + .pi), (p % 2 == 0 ? 1 : -1) * field.tangential(phi),
                               accuracy: 1e-12 * scale, "p = \(p)")
            }
            let result = try field.stationaryOrientations()
            XCTAssertEqual(result.zeros.count, 2 * result.lines.count, "p = \(p)")
            for line in result.lines {
                XCTAssertEqual(line.zeros.count, 2)
                XCTAssertEqual(circularDistance(line.zeros[0].angle, line.zeros[1].angle), .pi, accuracy: 1e-9)
                XCTAssertEqual(line.zeros[0].stableFor == line.zeros[1].stableFor, p % 2 == 0, "p = \(p)")
            }
        }
    }

    /// P1 "Case 2": stationary lines are the real roots û = u₁/u₂ of
    /// P(û) = Σ_i e_i (û x_{i1} + x_{i2})^{p−1} (x_{i1} − û x_{i2}), a polynomial of degree p. With random
    /// residuals: at most p lines, odd/even count for odd/even p, each line a root of P, and for p = 2, 3 exactly
    /// as many lines as the discriminant says P has real roots.
    func testLinesAreTheRealRootsOfPOnesCaseTwoPolynomial() throws {
        var counts: [Int: Set<Int>] = [:]
        for seed in UInt64(100)..<160 {
            let (x, e) = randomData(seed: seed)
            let points = x.map { SIMD2($0, 1) }
            for p in 1...5 {
                // Coefficients a_0…a_p of P, from the binomial expansion, summed over the points.
                var a = [Double](repeating: 0, count: p + 1)
                for (xi, ei) in zip(points, e) {
                    var poly: [Double] = [1]
                    for _ in 0..<(p - 1) { poly = multiply(poly, [xi.y, xi.x]) }
                    poly = multiply(poly, [xi.x, -xi.y])
                    for k in 0...p { a[k] += ei * poly[k] }
                }
                let field = try DirectionField(points: points, residuals: e, multiplicity: p)
                let result = try field.stationaryOrientations()
                let lines = result.lines.count
                XCTAssertLessThanOrEqual(lines, p, "p = \(p), seed \(seed)")
                XCTAssertEqual(lines % 2, p % 2, "p = \(p), seed \(seed)")
                counts[p, default: []].insert(lines)
                // Each line is a root: P in homogeneous form Σ a_k cos^k φ sin^{p−k} φ vanishes at its angle.
                for line in result.lines {
                    let c = cos(line.angle), s = sin(line.angle)
                    var value = 0.0, size = 0.0
                    for k in 0...p {
                        let term = a[k] * pow(c, Double(k)) * pow(s, Double(p - k))
                        value += term; size += abs(term)
                    }
                    XCTAssertLessThan(abs(value), 1e-9 * size, "p = \(p), seed \(seed)")
                }
                if p == 2 {
                    XCTAssertGreaterThan(a[1] * a[1] - 4 * a[2] * a[0], 0)
                    XCTAssertEqual(lines, 2)
                }
                if p == 3 {
                    let (d, c1, b, a3) = (a[0], a[1], a[2], a[3])
                    let discriminant = 18 * a3 * b * c1 * d - 4 * b * b * b * d + b * b * c1 * c1
                        - 4 * a3 * c1 * c1 * c1 - 27 * a3 * a3 * d * d
                    let size = pow(a.map(abs).reduce(0, +), 4)
                    if abs(discriminant) > 1e-9 * size {
                        XCTAssertEqual(lines, discriminant > 0 ? 3 : 1, "seed \(seed)")
                    }
                }
            }
        }
        // The random residuals reach both the one-line and the three-line case of p = 3.
        XCTAssertEqual(counts[1], [1])
        XCTAssertEqual(counts[2], [2])
        XCTAssertEqual(counts[3], [1, 3])
    }

    func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: a.count + b.count - 1)
        for (i, ai) in a.enumerated() { for (j, bj) in b.enumerated() { c[i + j] += ai * bj } }
        return c
    }

    /// The multiplicity comes from the activation: x³·tanh x has p = 4, and its field is the p = 4 polynomial one.
    func testMultiplicityComesFromTheActivation() throws {
        let (x, e) = randomData(seed: 5)
        let fromSpec = try DirectionField(inputs: x, residuals: e, activation: Activation(parsing: "x^3*tanh(x)"))
        XCTAssertEqual(fromSpec.evaluation, .leadingOrder(multiplicity: 4, leading: 1))
        let direct = try DirectionField(points: x.map { SIMD2($0, 1) }, residuals: e, multiplicity: 4, leading: 1)
        for phi in [-2.0, 0.4, 1.9] { XCTAssertEqual(fromSpec.tangential(phi), direct.tangential(phi), accuracy: 1e-14) }
        XCTAssertThrowsError(try DirectionField(inputs: x, residuals: e, activation: Activation(parsing: "relu"))) {
            XCTAssertTrue("\($0)".contains("give a radius"))
        }
        XCTAssertThrowsError(try DirectionField(inputs: x, residuals: Array(e.dropLast()),
                                                activation: Activation(parsing: "tanh")))
        XCTAssertThrowsError(try DirectionField(inputs: x, residuals: e, activation: Activation(parsing: "tanh"),
                                                radius: 0))
    }

    /// For small r the field at radius r turns like the leading-order one (σ'(rz) = p·c·(rz)^{p−1}(1 + O(r²))
    /// for these odd-symmetric activations), so their stationary orientations agree; ReLU is positively
    /// homogeneous, so its field's orientations are the same at every radius.
    func testRadiusFieldTendsToTheLeadingOrder() throws {
        let (x, e) = randomData(seed: 33)
        for spec in ["tanh", "xtanh", "x2tanh"] {
            let activation = try Activation(parsing: spec)
            let leading = try DirectionField(inputs: x, residuals: e, activation: activation).stationaryOrientations()
            let small = try DirectionField(inputs: x, residuals: e, activation: activation, radius: 1e-4)
                .stationaryOrientations()
            XCTAssertEqual(small.zeros.count, leading.zeros.count, spec)
            for (a, b) in zip(small.zeros, leading.zeros) {
                XCTAssertLessThan(circularDistance(a.angle, b.angle), 1e-6, spec)
                XCTAssertEqual(a.stableFor, b.stableFor, spec)
            }
        }
        let relu = try Activation(parsing: "relu")
        let near = try DirectionField(inputs: x, residuals: e, activation: relu, radius: 1e-3).stationaryOrientations()
        let far = try DirectionField(inputs: x, residuals: e, activation: relu, radius: 5).stationaryOrientations()
        XCTAssertFalse(near.zeros.isEmpty)
        assertClose(near.zeros.map(\.angle), far.zeros.map(\.angle), accuracy: 1e-12)
    }

    /// The sign convention against the real gradient: for a 1-1-1 network f = a·σ(w x + b) (the Model's
    /// forward pass) and R = 1/(2n) Σ (f − y)², gradient flow gives (ẇ, ḃ) = −∇R = a·F_r(ω), r = ‖(w, b)‖,
    /// for either sign of a. The gradient here is a central finite difference of the network's loss.
    func testVelocityIsMinusTheLossGradientTimesTheReadout() throws {
        let (x, y) = randomData(seed: 44, n: 12)
        for (spec, a) in [("xtanh", 0.7), ("xtanh", -1.3), ("tanh", -0.4), ("relu", 0.9)] {
            let architecture = Architecture(inputDim: 1, hiddenWidths: [1], outputDim: 1, activations: [spec])
            let network = try Network(architecture: architecture)
            let parameters = network.makeParameters()
            let weight = SIMD2(0.8, -0.35)
            func loss(_ w: SIMD2<Double>) -> Double {
                parameters.values[0] = w.x; parameters.values[1] = w.y
                parameters.values[2] = a; parameters.values[3] = 0
                let f = network.predict(x, n: x.count, parameters: parameters)
                return zip(f, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * Double(x.count))
            }
            let h = 1e-6
            let gradient = SIMD2((loss(weight + SIMD2(h, 0)) - loss(weight - SIMD2(h, 0))) / (2 * h),
                                 (loss(weight + SIMD2(0, h)) - loss(weight - SIMD2(0, h))) / (2 * h))
            _ = loss(weight)
            let f = network.predict(x, n: x.count, parameters: parameters)
            let residuals = zip(f, y).map { $0 - $1 }
            let r = (weight * weight).sum().squareRoot()
            let field = try DirectionField(inputs: x, residuals: residuals, activation: network.activations[0], radius: r)
            let velocity = a * field.velocity(weight / r)
            XCTAssertEqual(velocity.x, -gradient.x, accuracy: 1e-7, spec)
            XCTAssertEqual(velocity.y, -gradient.y, accuracy: 1e-7, spec)
        }
    }

    // MARK: From a run file

    /// A 1-3-1 x·tanh x run with readout scale α = 2, written with RunWriter: the snapshot's outputs, residuals and
    /// grid output are Σ_j (a_j/α) σ(w_j x + b_j) (− y), and its field is the one built from those residuals.
    func testSnapshotOutputOfARunFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fig5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layers = [
            LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 1, width: 3, hasBias: true,
                             activation: "xtanh", multiplicity: 2),
            LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 3, width: 1, hasBias: false,
                             outputScale: 2),
        ]
        let x = [-1.0, -0.5, 0.25, 1, 1.5], y = [0.3, -0.2, 0.1, 0.5, -0.4]
        let path = dir.appendingPathComponent("run.h5").path
        let writer = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 1,
                                          lossKind: "half_sum", train: Dataset(x: x, y: y, n: 5, inputDim: 1, outputDim: 1),
                                          test: nil)
        let snapshots: [(hidden: [Double], readout: [Double])] = [
            ([0.01, -0.02, 0.03, 0.01, -0.01, 0.02], [0.02, -0.01, 0.03, 0]),
            ([0.9, -0.4, -0.7, 0.2, 0.3, 1.1], [1.5, -0.8, 0.6, 0]),
        ]
        try writer.writePlanted(snapshots, learningRate: 0.01)

        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        let output = try SnapshotOutput(reader: reader, snapshot: 1, gridPoints: 11)
        let (hidden, readout) = snapshots[1]
        func f(_ v: Double) -> Double {
            (0..<3).reduce(0) { sum, j in
                let z = hidden[2 * j] * v + hidden[2 * j + 1]
                return sum + readout[j] / 2 * z * tanh(z)
            }
        }
        XCTAssertEqual(output.snapshot, 1)
        XCTAssertEqual(output.step, 10)
        XCTAssertEqual(output.inputs, x)
        XCTAssertEqual(output.targets, y)
        assertClose(output.outputs, x.map(f), accuracy: 1e-14)
        assertClose(output.residuals, zip(x, y).map { f($0) - $1 }, accuracy: 1e-14)
        assertClose(output.grid, (0..<11).map { -1 + 0.25 * Double($0) }, accuracy: 1e-15)
        XCTAssertEqual(output.grid.last, 1.5)
        assertClose(output.gridOutput, output.grid.map(f), accuracy: 1e-14)
        XCTAssertEqual(output.firstLayer.elements, hidden)
        XCTAssertEqual(output.readout ?? [], [0.75, -0.4, 0.3])
        XCTAssertEqual(output.activation.spec, "xtanh")

        let field = try output.directionField()
        XCTAssertEqual(field.evaluation, .leadingOrder(multiplicity: 2, leading: 1))
        let direct = try DirectionField(inputs: x, residuals: zip(x, y).map { f($0) - $1 },
                                        activation: Activation(parsing: "xtanh"))
        for phi in [-2.5, -0.3, 1.2] { XCTAssertEqual(field.tangential(phi), direct.tangential(phi), accuracy: 1e-13) }
        XCTAssertEqual(try field.stationaryOrientations().lines.count, 2)
        let fit = try output.polynomialFit(maximumDegree: 4)
        XCTAssertEqual(fit.relativeResiduals.count, 5)
        let wide = try SnapshotOutput(reader: reader, snapshot: 0, gridPoints: 5, interval: -2...2)
        XCTAssertEqual(wide.grid, [-2, -1, 0, 1, 2])
        XCTAssertEqual(wide.step, 0)

        XCTAssertThrowsError(try SnapshotOutput(reader: reader, snapshot: 2))
        XCTAssertThrowsError(try SnapshotOutput(reader: reader, snapshot: 0, gridPoints: 1))
    }

    /// Without `/data/train` there are no residuals: a one-line error, not a crash.
    func testSnapshotOutputNeedsTrainingData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fig5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layers = [
            LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 1, width: 2, hasBias: true, activation: "tanh"),
            LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 2, width: 1, hasBias: false),
        ]
        let path = dir.appendingPathComponent("bare.h5").path
        let writer = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: nil, seed: nil,
                                          lossKind: "half_sum", train: nil, test: nil)
        try [0.1, 0.2, 0.3, 0.4].withUnsafeBufferPointer { h in
            try [1.0, -1, 0].withUnsafeBufferPointer { r in
                try writer.appendSnapshot(SnapshotRecord(step: 0, epoch: 0, wallTime: 0, trainLoss: 0, testLoss: .nan,
                                                         learningRate: 0.01),
                                          weights: [h, r], stepLosses: UnsafeBufferPointer(start: nil, count: 0), optimizer: nil)
            }
        }
        try writer.close()
        let reader = try RunReader(path: path)
        defer { try? reader.close() }
        XCTAssertThrowsError(try SnapshotOutput(reader: reader, snapshot: 0)) {
            XCTAssertEqual("\($0)", "\(path): the file has no /data/train")
        }
    }
}

/// Element-wise closeness of two angle lists (same count, same order).
private func assertClose(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "counts differ: \(a) vs \(b)", file: file, line: line)
    for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
