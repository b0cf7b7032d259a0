import XCTest
import Foundation
@testable import Model

final class ActivationBuiltinTests: XCTestCase {
    func builtins() throws -> [Activation] { try Activation.builtinNames.map { try Activation(parsing: $0) } }

    func testBuiltinNamesRoundTripToTheirOwnSpec() throws {
        XCTAssertEqual(Activation.builtinNames.count, 10)
        for name in Activation.builtinNames {
            let a = try Activation(parsing: name)
            XCTAssertEqual(a.spec, name)
            XCTAssertEqual(try Activation(parsing: a.spec).spec, name)
        }
    }

    func testValuesAgainstIndependentFormulas() throws {
        let reference: [String: (Double) -> Double] = [
            "relu": { max($0, 0) },
            "leaky_relu(0.01)": { $0 > 0 ? $0 : 0.01 * $0 },
            "tanh": { tanh($0) },
            "sigmoid": { 1 / (1 + exp(-$0)) },
            "softplus": { log(1 + exp($0)) },
            "silu": { $0 / (1 + exp(-$0)) },
            "gelu": { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) },
            "xtanh": { $0 * tanh($0) },
            "x2tanh": { $0 * $0 * tanh($0) },
            "linear": { $0 },
        ]
        for a in try builtins() {
            let f = try XCTUnwrap(reference[a.spec], a.spec)
            for x in ActivationTesting.points + [0] {
                XCTAssertEqual(a.value(x), f(x), accuracy: 1e-13 * max(1, abs(f(x))), "\(a.spec) at \(x)")
            }
        }
    }

    func testDerivativesAgainstFiniteDifferences() throws {
        for a in try builtins() {
            for x in ActivationTesting.points {
                ActivationTesting.assertClose(a.derivative(x), ActivationTesting.centralDifference(a.value, at: x), 1e-7, "\(a.spec) at \(x)")
            }
        }
    }

    func testSmoothBuiltinsAreDifferentiableAtZero() throws {
        for a in try builtins() where !a.spec.contains("relu") {
            ActivationTesting.assertClose(a.derivative(0), ActivationTesting.centralDifference(a.value, at: 0), 1e-7, a.spec)
        }
        XCTAssertEqual(try Activation(parsing: "relu").derivative(0), 0)
        XCTAssertEqual(try Activation(parsing: "leaky_relu(0.2)").derivative(0), 0.2)
    }

    func testKernelsAgreeWithTheDefiningExpression() throws {
        for a in try builtins() {
            let definition = try XCTUnwrap(a.expression, a.spec)
            let derivative = definition.derivative()
            for x in ActivationTesting.points {
                XCTAssertEqual(a.value(x), definition.evaluate(at: x), accuracy: 1e-13 * max(1, abs(a.value(x))),
                               "\(a.spec) = \(definition) at \(x)")
                XCTAssertEqual(a.derivative(x), derivative.evaluate(at: x), accuracy: 1e-12 * max(1, abs(a.derivative(x))),
                               "\(a.spec)' = \(derivative) at \(x)")
            }
        }
    }

    func testKernelOutputEqualsScalarPath() throws {
        let z = (0..<1000).map { Double($0) / 37 - 13.5 }
        for a in try builtins() {
            let full = ActivationTesting.runKernel(a, z), valueOnly = ActivationTesting.runKernel(a, z, derivative: false)
            for (i, x) in z.enumerated() {
                XCTAssertEqual(full.value[i], a.value(x), a.spec)
                XCTAssertEqual(full.derivative[i], a.derivative(x), a.spec)
                XCTAssertEqual(valueOnly.value[i], a.value(x), a.spec)
                XCTAssert(valueOnly.derivative[i].isNaN, "value-only call must not touch the derivative buffer")
            }
        }
    }

    func testStabilityForLargeInputs() throws {
        let sigmoid = try Activation(parsing: "sigmoid"), softplus = try Activation(parsing: "softplus")
        let silu = try Activation(parsing: "silu"), gelu = try Activation(parsing: "gelu")
        XCTAssertEqual(sigmoid.value(-800), 0)
        XCTAssertEqual(sigmoid.value(800), 1)
        XCTAssertEqual(sigmoid.value(-40), exp(-40), accuracy: 1e-30)
        XCTAssertEqual(sigmoid.derivative(-40), exp(-40), accuracy: 1e-30)
        XCTAssertEqual(softplus.value(800), 800)
        XCTAssertEqual(softplus.value(-800), 0)
        XCTAssertEqual(softplus.value(-40), exp(-40), accuracy: 1e-30)
        XCTAssertEqual(softplus.derivative(800), 1)
        XCTAssertEqual(silu.value(-800), 0)
        XCTAssertEqual(silu.derivative(800), 1)
        XCTAssertEqual(gelu.value(-10), -10 * 0.5 * erfc(10 / 2.0.squareRoot()), accuracy: 1e-35)
        for a in [sigmoid, softplus, silu, gelu] {
            for x in [-1e4, -700.0, 700, 1e4] {
                XCTAssert(a.value(x).isFinite && a.derivative(x).isFinite, "\(a.spec) at \(x)")
            }
        }
    }

    func testLeakyReLUSlopes() throws {
        let a = try Activation(parsing: "leaky_relu(0.2)")
        XCTAssertEqual(a.spec, "leaky_relu(0.2)")
        XCTAssertEqual(a.value(-2), -0.4, accuracy: 1e-15)
        XCTAssertEqual(a.derivative(-2), 0.2)
        XCTAssertEqual(a.value(3), 3)
        XCTAssertEqual(try Activation(parsing: "leaky_relu").spec, "leaky_relu(0.01)")
        XCTAssertEqual(try Activation(parsing: " Leaky_ReLU ( 1e-3 ) ").spec, "leaky_relu(0.001)")
    }

    /// Distance in units in the last place between two finite doubles of any sign.
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        func ordered(_ x: Double) -> Int64 {
            let i = Int64(bitPattern: x.bitPattern)
            return i < 0 ? Int64.min &- i : i
        }
        return (ordered(a) &- ordered(b)).magnitude
    }

    /// The vectorized tanh (used by tanh, xtanh and x2tanh) against libm over a dense grid of ±15, a log-spread
    /// sample of magnitudes 1e-300…1e300, and the branch boundaries: at most 2 ulp apart, mostly identical.
    func testVectorTanhAgainstLibm() {
        var xs: [Double] = (0..<120_001).map { -15 + 30 * Double($0) / 120_000 }
        var rng = Xoshiro256(seed: 7)
        for _ in 0..<40_000 {
            let x = Foundation.pow(10, -300 + 600 * rng.nextUniform())
            xs.append(rng.nextUniform() < 0.5 ? -x : x)
        }
        for b in [0.625, 22.0, 0.3466, 1.0] { xs += [b, b.nextUp, b.nextDown, -b, -b.nextDown] }
        xs += [0, -0.0, 1e-310, -.leastNonzeroMagnitude, 21.999999, 25, 700, -710, .greatestFiniteMagnitude]
        var worst: UInt64 = 0, identical = 0
        var i = 0
        while i < xs.count {
            let lanes = min(VectorMath.V.scalarCount, xs.count - i)
            var v = VectorMath.V(repeating: 0)
            for k in 0..<lanes { v[k] = xs[i + k] }
            let t = VectorMath.tanh(v)
            for k in 0..<lanes {
                let x = xs[i + k], d = Self.ulps(t[k], tanh(x))
                if d > 2 { XCTFail("tanh(\(x)) = \(t[k]), libm \(tanh(x)): \(d) ulp") }
                worst = max(worst, d)
                if t[k].bitPattern == tanh(x).bitPattern { identical += 1 }
            }
            i += lanes
        }
        XCTAssertLessThanOrEqual(worst, 2)
        XCTAssertGreaterThan(Double(identical) / Double(xs.count), 0.85)
    }

    /// A vector of the given leading lanes, the rest zero.
    static func lanes(_ values: Double...) -> VectorMath.V {
        var v = VectorMath.V(repeating: 0)
        for (k, x) in values.enumerated() { v[k] = x }
        return v
    }

    func testVectorTanhSpecialValues() {
        let t = VectorMath.tanh(Self.lanes(.infinity, -.infinity, .nan, -0.0))
        XCTAssertEqual(t[0], 1)
        XCTAssertEqual(t[1], -1)
        XCTAssert(t[2].isNaN)
        XCTAssertEqual(t[3].bitPattern, (-0.0).bitPattern)
        let big = VectorMath.tanh(Self.lanes(22, -30, 1e308, 19.5))
        XCTAssertEqual(big, Self.lanes(1, -1, 1, 1))
        // Lanes are independent: a lane's result does not depend on its neighbours (branch selection).
        XCTAssertEqual(VectorMath.tanh(Self.lanes(0.3, 5, .nan, -0.1))[0], VectorMath.tanh(0.3))
        XCTAssertEqual(VectorMath.tanh(Self.lanes(0.3, 5, .nan, -0.1))[1], VectorMath.tanh(5))
    }

    /// Partial last groups of 1…7 lanes and value-only calls give the same bits as full groups.
    func testVectorKernelTails() throws {
        for spec in ["tanh", "xtanh", "x2tanh"] {
            let a = try Activation(parsing: spec)
            for count in 1...17 {
                let z = (0..<count).map { Double($0) * 0.37 - 1.1 }
                let run = ActivationTesting.runKernel(a, z)
                for (i, x) in z.enumerated() {
                    XCTAssertEqual(run.value[i], a.value(x), "\(spec) \(count)")
                    XCTAssertEqual(run.derivative[i], a.derivative(x), "\(spec) \(count)")
                }
            }
        }
    }
}
