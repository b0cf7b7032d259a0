import XCTest
@testable import Model

final class ActivationParsingTests: XCTestCase {
    func message(_ spec: String) -> String {
        do { let a = try Activation(parsing: spec); return "no error: \(a.spec)" } catch { return "\(error)" }
    }

    func testNamesAreCaseInsensitiveAndAcceptAliases() throws {
        XCTAssertEqual(try Activation(parsing: "  TanH ").spec, "tanh")
        XCTAssertEqual(try Activation(parsing: "identity").spec, "linear")
        XCTAssertEqual(try Activation(parsing: "Swish").spec, "silu")
        XCTAssertEqual(try Activation(parsing: "leaky relu").spec, "leaky_relu(0.01)")
        XCTAssertEqual(try Activation(parsing: "X2Tanh").spec, "x2tanh")
    }

    func testExpressionsGetCanonicalSpecs() throws {
        XCTAssertEqual(try Activation(parsing: "x^3*tanh(x)").spec, "expr:x^3*tanh(x)")
        XCTAssertEqual(try Activation(parsing: "expr: X^3 * tanh( x )").spec, "expr:x^3*tanh(x)")
        XCTAssertEqual(try Activation(parsing: "expr:tanh(x)").spec, "expr:tanh(x)")
        XCTAssertEqual(try Activation(parsing: "log(1 + exp(x))").spec, "expr:log(1+exp(x))")
        XCTAssertEqual(try Activation(parsing: "x").spec, "expr:x")
    }

    func testSpecRoundTripGivesTheSameFunction() throws {
        let specs = Activation.builtinNames + [
            "leaky_relu(0.2)", "leaky_relu(-0.5)", "leaky_relu(1e-05)", "x^3*tanh(x)", "log(1+exp(x))", "1-cos(x)",
            "x*sigmoid(x)", "-x^2+sin(pi*x)", "x/(1+abs(x))", "2^x-1", "expr:e^x-1", "0.1*x+relu(x)^2",
        ]
        for spec in specs {
            let a = try Activation(parsing: spec)
            let b = try Activation(parsing: a.spec)
            XCTAssertEqual(a.spec, b.spec, spec)
            XCTAssertEqual(a.multiplicity, b.multiplicity, spec)
            for x in ActivationTesting.points {
                XCTAssertEqual(a.value(x), b.value(x), spec)
                XCTAssertEqual(a.derivative(x), b.derivative(x), spec)
            }
        }
    }

    func testExpressionActivationsDifferentiateCorrectly() throws {
        for spec in ["x^3*tanh(x)", "log(1+exp(x))", "1-cos(x)", "x*sigmoid(x)", "sin(x)-x", "exp(x)-1-x",
                     "x*abs(x)", "atan(x)*erf(x)", "sqrt(1+x^2)*cosh(x/3)", "tan(x/4)+sinh(x/5)", "softplus(x)^2/(2+x^2)"] {
            let a = try Activation(parsing: spec)
            for x in ActivationTesting.points {
                ActivationTesting.assertClose(a.derivative(x), ActivationTesting.centralDifference(a.value, at: x),
                                              1e-7, "\(spec) at \(x)")
            }
            let z = (0..<300).map { Double($0) / 20 - 7.5 }
            let full = ActivationTesting.runKernel(a, z), valueOnly = ActivationTesting.runKernel(a, z, derivative: false)
            for (i, x) in z.enumerated() {
                XCTAssertEqual(full.value[i], a.value(x), spec)
                XCTAssertEqual(full.derivative[i], a.derivative(x), spec)
                XCTAssertEqual(valueOnly.value[i], a.value(x), spec)
            }
        }
    }

    func testUnknownNames() {
        XCTAssertEqual(message("foo"), "unknown activation 'foo': use one of relu, leaky_relu(slope), tanh, sigmoid, "
                       + "softplus, silu, gelu, xtanh, x2tanh, linear or an expression in x such as \"x^3*tanh(x)\"")
        XCTAssertTrue(message("").hasPrefix("unknown activation ''"))
        XCTAssertTrue(message("Relu6").hasPrefix("unknown activation 'Relu6'"))
        XCTAssertEqual(message("leaky_relu(abc)"), "invalid slope 'abc' in 'leaky_relu(abc)': give a number, e.g. leaky_relu(0.2)")
        XCTAssertEqual(message("leaky_relu(inf)"), "invalid slope 'inf' in 'leaky_relu(inf)': give a number, e.g. leaky_relu(0.2)")
    }

    func testInvalidExpressions() {
        XCTAssertEqual(message("x^3*tanh(x"), "expected ')' but found end of text at column 11 in \"x^3*tanh(x\"")
        XCTAssertEqual(message("expr:  x^3*tanh(x"), "expected ')' but found end of text at column 11 in \"x^3*tanh(x\"")
        XCTAssertTrue(message("foo(x)").hasPrefix("unknown function 'foo'"), message("foo(x)"))
        XCTAssertEqual(message("2*pi"), "expression \"2*pi\" does not depend on x: an activation is a function of x, e.g. \"x*tanh(x)\"")
        XCTAssertTrue(message("log(x)").hasPrefix("expression \"log(x)\" is not finite at x = 0 (value -inf)"), message("log(x)"))
        XCTAssertTrue(message("1/x").hasPrefix("expression \"1/x\" is not finite at x = 0"), message("1/x"))
        XCTAssertTrue(message("sin(x)/x").hasPrefix("expression \"sin(x)/x\" is not finite at x = 0"))
        XCTAssertTrue(message("sqrt(abs(x))").hasPrefix("expression \"sqrt(abs(x))\" has no finite derivative at x = 0"),
                      message("sqrt(abs(x))"))
        XCTAssertTrue(message("x^2.5").hasPrefix("expression \"x^2.5\" is not finite at x = -3"), message("x^2.5"))
        XCTAssertTrue(message("1/(x-1)").hasPrefix("expression \"1/(x-1)\" is not finite at x = 1"), message("1/(x-1)"))
        for s in ["x^3*tanh(x", "foo", "2*pi", "log(x)", "x^2.5", "leaky_relu(q)"] {
            XCTAssertFalse(message(s).contains("\n"), s)
        }
    }
}
