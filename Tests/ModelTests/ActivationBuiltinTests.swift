import XCTest
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
}
