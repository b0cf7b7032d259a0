import XCTest
@testable import Model

final class MultiplicityTests: XCTestCase {
    func p(_ spec: String) throws -> Int? { try Activation(parsing: spec).multiplicity.p }

    func testTableOfBuiltins() throws {
        let expected: [String: Int] = [
            "tanh": 1, "sigmoid": 1, "softplus": 1, "silu": 1, "gelu": 1, "xtanh": 2, "x2tanh": 3, "linear": 1,
        ]
        for (name, order) in expected { XCTAssertEqual(try p(name), order, name) }
        let leading: [String: Double] = [
            "tanh": 1, "sigmoid": 0.25, "softplus": 0.5, "silu": 0.5, "gelu": 0.5, "xtanh": 1, "x2tanh": 1, "linear": 1,
        ]
        for (name, c) in leading {
            guard case .order(_, let l) = try Activation(parsing: name).multiplicity else { return XCTFail(name) }
            XCTAssertEqual(l, c, accuracy: 1e-15, name)
        }
    }

    func testReLUFamilyIsUndefinedWithOneSidedOrders() throws {
        let relu = try Activation(parsing: "relu").multiplicity
        XCTAssertEqual(relu, .undefined("not differentiable at 0 (right: p = 1, leading 1; left: constant 0)"))
        let leaky = try Activation(parsing: "leaky_relu(0.2)").multiplicity
        XCTAssertEqual(leaky, .undefined("not differentiable at 0 (right: p = 1, leading 1; left: p = 1, leading 0.2)"))
        XCTAssertNil(leaky.p)
    }

    func testExpressions() throws {
        let expected: [String: Int] = [
            "x*tanh(x)": 2, "x^2*tanh(x)": 3, "sigmoid(x)": 1, "1-cos(x)": 2, "x^3": 3, "x^3*tanh(x)": 4,
            "log(1+exp(x))": 1, "sin(x)-x": 3, "exp(x)-1-x": 2, "x*sigmoid(x)": 1, "tan(x)-x": 3,
            "sinh(x)-x": 3, "cosh(x)": 2, "atan(x)-x": 3, "erf(x)": 1, "sqrt(1+x^2)": 2, "2^x": 1,
            "(4+x)^0.5-2-x/4": 2, "x^2/(1+x^2)": 2, "abs(x)^2": 2, "relu(x)-relu(-x)": 1,
            "x^2*abs(x-1)": 2, "relu(x+1)": 1, "x + abs(x)^3": 1, "softplus(x)-x/2": 2, "x^20": 20,
            "tanh(x)-2*sigmoid(2*x)+1+x^5": 5, "x*sign(x)^2": 1,
        ]
        for (text, order) in expected {
            XCTAssertEqual(try Activation(parsing: text).multiplicity.p, order, text)
        }
    }

    func testLeadingCoefficients() throws {
        let cases: [(String, Int, Double)] = [
            ("1-cos(x)", 2, 0.5), ("sin(x)-x", 3, -1.0 / 6), ("exp(x)-1-x", 2, 0.5), ("x^3*tanh(x)", 4, 1),
            ("gelu", 1, 0.5), ("tan(x)-x", 3, 1.0 / 3), ("atan(x)-x", 3, -1.0 / 3), ("erf(x)", 1, 2 / Double.pi.squareRoot()),
        ]
        for (spec, order, c) in cases {
            guard case .order(let q, let l) = try Activation(parsing: spec).multiplicity else { return XCTFail(spec) }
            XCTAssertEqual(q, order, spec)
            XCTAssertEqual(l, c, accuracy: 1e-14, spec)
        }
    }

    func testNonSmoothAndConstantCases() throws {
        let absTimesX = try Activation(parsing: "abs(x)*x").multiplicity
        XCTAssertEqual(absTimesX, .undefined("not 2 times differentiable at 0 (right: p = 2, leading 1; left: p = 2, leading -1)"))
        XCTAssertEqual(try Activation(parsing: "abs(x)").multiplicity,
                       .undefined("not differentiable at 0 (right: p = 1, leading 1; left: p = 1, leading -1)"))
        XCTAssertEqual(try Activation(parsing: "step(x)").multiplicity,
                       .undefined("not continuous at 0 (right: constant 1; left: constant 0)"))
        XCTAssertEqual(try Activation(parsing: "relu(x-1)").multiplicity, .undefined("constant near 0"))
        XCTAssertEqual(try Activation(parsing: "x-x").multiplicity, .undefined("constant near 0"))
        XCTAssertEqual(try Activation(parsing: "tanh(x)-2*sigmoid(2*x)+1").multiplicity, .undefined("constant near 0"))
        let notAnalytic = try Activation(parsing: "(x^2)^1.5").multiplicity
        XCTAssertNil(notAnalytic.p)
        XCTAssertTrue(notAnalytic.description.contains("no Taylor series at 0"), notAnalytic.description)
    }

    func testTaylorSeriesCoefficients() throws {
        let order = 9
        let x = TaylorSeries.variable(order: order)
        func factorial(_ n: Int) -> Double { (1...max(n, 1)).reduce(1.0) { $0 * Double($1) } }
        let expSeries = x.exp().coefficients
        for k in 0...order { XCTAssertEqual(expSeries[k], 1 / factorial(k), accuracy: 1e-16) }
        let tanSeries = x.tan().coefficients
        XCTAssertEqual(tanSeries[5], 2.0 / 15, accuracy: 1e-16)
        XCTAssertEqual(tanSeries[7], 17.0 / 315, accuracy: 1e-16)
        let sigmoid = x.sigmoid().coefficients
        XCTAssertEqual(sigmoid[0], 0.5); XCTAssertEqual(sigmoid[1], 0.25); XCTAssertEqual(sigmoid[3], -1.0 / 48, accuracy: 1e-16)
        let log1p = (x + 1).log().coefficients
        for k in 1...order { XCTAssertEqual(log1p[k], (k % 2 == 1 ? 1 : -1) / Double(k), accuracy: 1e-15) }
        let sqrt1p = (x + 1).sqrt().coefficients
        XCTAssertEqual(sqrt1p[2], -1.0 / 8, accuracy: 1e-16)
        let real = (x + 1).power(0.5).coefficients
        for k in 0...order { XCTAssertEqual(real[k], sqrt1p[k], accuracy: 1e-15) }
        let atan = x.atan().coefficients
        XCTAssertEqual(atan[3], -1.0 / 3, accuracy: 1e-16); XCTAssertEqual(atan[5], 0.2, accuracy: 1e-16)
        let erf = x.erf().coefficients
        XCTAssertEqual(erf[3], -2 / (3 * Double.pi.squareRoot()), accuracy: 1e-16)
        let softplus = x.softplus().coefficients
        XCTAssertEqual(softplus[0], log(2)); XCTAssertEqual(softplus[2], 0.125, accuracy: 1e-16)
        let quotient = (x.sin() / x.cos()).coefficients
        for k in 0...order { XCTAssertEqual(quotient[k], tanSeries[k], accuracy: 1e-15) }
        let tanh = x.tanh().coefficients, sinhOverCosh = (x.sinh() / x.cosh()).coefficients
        for k in 0...order { XCTAssertEqual(tanh[k], sinhOverCosh[k], accuracy: 1e-15) }
        XCTAssertEqual((x + 2).power(-1).coefficients[3], -1.0 / 16, accuracy: 1e-16)
    }

    /// Series coefficients k!·cₖ against the exact derivatives of the expression at 0 (symbolic).
    func testSeriesAgreesWithSymbolicDerivatives() throws {
        for text in ["x^3*tanh(x)", "log(1+exp(x))", "x*(1+erf(x/sqrt(2)))/2", "exp(sin(x))/(2+x)", "atan(x)*cosh(x)"] {
            var e = try Activation.Expression(parsing: text)
            let series = try e.taylorSeries(order: 5)
            var factorial = 1.0
            for k in 0...5 {
                if k > 0 { factorial *= Double(k); e = e.derivative() }
                XCTAssertEqual(series[k] * factorial, e.evaluate(at: 0), accuracy: 1e-12, "\(text) order \(k)")
            }
        }
    }

    func testReport() throws {
        let report = try Activation.multiplicityReport(try Activation(parsing: "xtanh"), terms: 6)
        XCTAssertEqual(report.spec, "xtanh")
        XCTAssertEqual(report.definition, "x*tanh(x)")
        XCTAssertEqual(report.right.count, 6)
        XCTAssertEqual(report.right[2], 1); XCTAssertEqual(report.right[4], -1.0 / 3, accuracy: 1e-16)
        XCTAssertTrue(report.isSmooth)
        XCTAssertEqual(report.multiplicity.p, 2)
        let relu = try Activation.multiplicityReport(try Activation(parsing: "leaky_relu(0.2)"), terms: 3)
        XCTAssertFalse(relu.isSmooth)
        XCTAssertEqual(relu.right, [0, 1, 0])
        XCTAssertEqual(relu.left, [0, 0.2, 0])
        let custom = Activation(spec: "custom", multiplicity: .undefined("?"), scalar: { ($0, 1) })
        XCTAssertThrowsError(try Activation.multiplicityReport(custom))
    }
}
