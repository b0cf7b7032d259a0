import XCTest
@testable import Model

final class ExpressionTests: XCTestCase {
    typealias E = Activation.Expression

    func parse(_ s: String) throws -> E { try E(parsing: s) }

    func testPrecedenceAndAssociativity() throws {
        XCTAssertEqual(try parse("-x^2"), .negate(.power(.x, .constant(2))))
        XCTAssertEqual(try parse("2^3^2").evaluate(at: 0), 512)
        XCTAssertEqual(try parse("2^-1"), .power(.constant(2), .negate(.constant(1))))
        XCTAssertEqual(try parse("1-2-3").evaluate(at: 0), -4)
        XCTAssertEqual(try parse("8/4/2").evaluate(at: 0), 1)
        XCTAssertEqual(try parse("1+2*3^2").evaluate(at: 0), 19)
        XCTAssertEqual(try parse("(1+2)*3").evaluate(at: 0), 9)
        XCTAssertEqual(try parse("-2^2").evaluate(at: 0), -4)
        XCTAssertEqual(try parse("(-2)^2").evaluate(at: 0), 4)
        XCTAssertEqual(try parse("x*-x").evaluate(at: 3), -9)
        XCTAssertEqual(try parse(" X ^ 3 * TANH( x ) "), try parse("x^3*tanh(x)"))
    }

    func testNumbersAndConstants() throws {
        XCTAssertEqual(try parse("1e-3"), .constant(0.001))
        XCTAssertEqual(try parse("2.5E+2"), .constant(250))
        XCTAssertEqual(try parse(".5"), .constant(0.5))
        XCTAssertEqual(try parse("3."), .constant(3))
        XCTAssertEqual(try parse("pi"), .constant(Double.pi))
        XCTAssertEqual(try parse("e"), .constant(M_E))
        XCTAssertEqual(try parse("e^x").evaluate(at: 2), exp(2), accuracy: 1e-14)
    }

    func testPrintingIsMinimalAndReparsesToTheSameTree() throws {
        let cases = [
            "x^3*tanh(x)", "-x^2", "(-x)^2", "2^-x", "x-(x-1)", "x/(2*x)", "(x^2)^3", "x^2^3", "-(x+1)",
            "x*-x", "log(1+exp(x))", "1-cos(x)", "pi*x", "e^x", "0.001*x", "1e-05*x", "x*sigmoid(x)",
            "--x", "(x+1)*(x-1)", "x/2/3", "x/(2/3)", "-2^x",
        ]
        for text in cases {
            let e = try parse(text)
            XCTAssertEqual(try parse(e.description), e, "\(text) printed as \(e.description)")
        }
        XCTAssertEqual(try parse("((x))^(3)*(tanh(x))").description, "x^3*tanh(x)")
        XCTAssertEqual(try parse("(-x)^2").description, "(-x)^2")
        XCTAssertEqual(try parse("x-(x-1)").description, "x-(x-1)")
        XCTAssertEqual(try parse("(x-1)-x").description, "x-1-x")
        XCTAssertEqual(try parse("2*pi*x").description, "2*pi*x")
    }

    /// Random trees print and reparse to themselves (canonical printing).
    func testRandomTreesRoundTrip() throws {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        func tree(_ depth: Int) -> E {
            if depth == 0 || next(4) == 0 {
                switch next(4) {
                case 0: return .constant(Double(next(20)) / 4)
                case 1: return .constant(Double.pi)
                default: return .x
                }
            }
            switch next(8) {
            case 0: return .negate(tree(depth - 1))
            case 1: return .add(tree(depth - 1), tree(depth - 1))
            case 2: return .subtract(tree(depth - 1), tree(depth - 1))
            case 3: return .multiply(tree(depth - 1), tree(depth - 1))
            case 4: return .divide(tree(depth - 1), tree(depth - 1))
            case 5: return .power(tree(depth - 1), tree(depth - 1))
            default:
                let f = E.Function.allCases[next(E.Function.allCases.count)]
                return .call(f, tree(depth - 1))
            }
        }
        for _ in 0..<500 {
            let e = tree(5)
            XCTAssertEqual(try parse(e.description), e, e.description)
        }
    }

    /// The symbolic derivative of every function of the language, through the chain rule, against
    /// finite differences; the compiled program against the tree walk.
    func testDerivativeOfEveryFunction() throws {
        let cases: [(String, [Double])] = [
            ("exp(sin(x))", [-2, -0.3, 0, 0.8, 2]),
            ("log(2+x^2)", [-2, -0.3, 0, 0.8, 2]),
            ("sqrt(1+x^2)", [-2, -0.3, 0, 0.8, 2]),
            ("sin(3*x)", [-2, -0.3, 0, 0.8, 2]),
            ("cos(x^2)", [-2, -0.3, 0, 0.8, 2]),
            ("tan(x/2)", [-2, -0.3, 0, 0.8, 2]),
            ("tanh(2*x)", [-2, -0.3, 0, 0.8, 2]),
            ("sinh(x)", [-2, -0.3, 0, 0.8, 2]),
            ("cosh(x)", [-2, -0.3, 0, 0.8, 2]),
            ("sigmoid(x^2-1)", [-2, -0.3, 0, 0.8, 2]),
            ("softplus(3*x)", [-2, -0.3, 0, 0.8, 2]),
            ("abs(x-0.5)*x", [-2, -0.3, 0, 0.8, 2]),
            ("relu(x+0.5)^2", [-2, -0.3, 0, 0.8, 2]),
            ("erf(x)", [-2, -0.3, 0, 0.8, 2]),
            ("atan(3*x)", [-2, -0.3, 0, 0.8, 2]),
            ("sign(x-0.25)*x^2", [-2, -0.3, 0, 0.8, 2]),
            ("step(x)*x^3", [-2, -0.3, 0.8, 2]),
            ("x^3*tanh(x)", [-2, -0.3, 0, 0.8, 2]),
            ("x^-2", [-2, -0.3, 0.8, 2]),
            ("x^2.5", [0.3, 0.8, 2]),
            ("x^x", [0.3, 0.8, 2]),
            ("2^x", [-2, -0.3, 0, 0.8, 2]),
            ("(1+x^2)^(x/3)", [-2, -0.3, 0, 0.8, 2]),
            ("1/(1+x^2)", [-2, -0.3, 0, 0.8, 2]),
            ("(x+3)/(x^2+1)-x/7", [-2, -0.3, 0, 0.8, 2]),
            ("-x^2+pi*x-e", [-2, -0.3, 0, 0.8, 2]),
            ("x*(1+erf(x/sqrt(2)))/2", [-2, -0.3, 0, 0.8, 2]),
        ]
        for (text, points) in cases {
            let e = try parse(text)
            let d = e.derivative()
            let program = CompiledExpression([e.simplified(), e.simplified().derivative()])
            for x in points {
                let fd = ActivationTesting.centralDifference(e.evaluate, at: x)
                ActivationTesting.assertClose(d.evaluate(at: x), fd, 1e-7, "(\(text))' = \(d) at \(x)")
                let (v, dv) = program.run(x)
                XCTAssertEqual(v, e.evaluate(at: x), accuracy: 1e-13 * max(1, abs(v)), "\(text) at \(x)")
                XCTAssertEqual(dv, d.evaluate(at: x), accuracy: 1e-12 * max(1, abs(dv)), "\(text)' at \(x)")
            }
        }
    }

    func testSimplificationKeepsDerivativesSmall() throws {
        XCTAssertEqual(try parse("x^3").derivative(), try parse("3*x^2"))
        XCTAssertEqual(try parse("x*tanh(x)").derivative().description, "tanh(x)+x*(1-tanh(x)^2)")
        XCTAssertEqual(try parse("2*x+1").derivative(), .constant(2))
        XCTAssertEqual(try parse("sin(x)").derivative().derivative(), try parse("-sin(x)"))
        XCTAssertEqual(try parse("x+0*exp(x)").simplified(), .x)
        XCTAssertEqual(try parse("(2*3)^2*x").simplified(), try parse("36*x"))
    }

    func testCompiledProgramSharesSubexpressionsAndExpandsIntegerPowers() throws {
        let e = try parse("x^3*tanh(x)")
        let program = CompiledExpression([e, e.derivative()])
        let tanhCalls = program.instructions.filter { if case .call(.tanh, _) = $0 { return true } else { return false } }
        XCTAssertEqual(tanhCalls.count, 1)
        XCTAssertFalse(program.instructions.contains { if case .powerConstant = $0 { return true } else { return false } })
        XCTAssertEqual(program.run(-1.7).0, -1.7 * -1.7 * -1.7 * tanh(-1.7), accuracy: 1e-14)
    }

    func testCompiledBufferEvaluationMatchesTreeAcrossChunks() throws {
        let e = try parse("x^3*tanh(x)-log(1+exp(x))/(2+sin(x))")
        let d = e.derivative()
        let program = CompiledExpression([e, d])
        let z = (0..<517).map { Double($0) / 50 - 5 }
        var v = [Double](repeating: 0, count: z.count), dv = v
        z.withUnsafeBufferPointer { zp in
            v.withUnsafeMutableBufferPointer { vp in
                dv.withUnsafeMutableBufferPointer { dp in program.run(zp, vp, dp) }
            }
        }
        for (i, x) in z.enumerated() {
            XCTAssertEqual(v[i], e.evaluate(at: x), accuracy: 1e-13 * max(1, abs(v[i])))
            XCTAssertEqual(dv[i], d.evaluate(at: x), accuracy: 1e-12 * max(1, abs(dv[i])))
        }
    }

    func testParseErrorsNameTheColumn() {
        func message(_ s: String) -> String {
            do { _ = try E(parsing: s); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("x^3*tanh(x"), "expected ')' but found end of text at column 11 in \"x^3*tanh(x\"")
        XCTAssertEqual(message("x+*2"), "expected a number, x, a function or '(' but found '*' at column 3 in \"x+*2\"")
        XCTAssertEqual(message("2x"), "expected an operator (+ - * / ^) but found 'x' at column 2 in \"2x\"")
        XCTAssertEqual(message("x)"), "unmatched ')' at column 2 in \"x)\"")
        XCTAssertEqual(message("y^2"), "unknown name 'y' (the variable is x; the constants are pi and e) at column 1 in \"y^2\"")
        XCTAssertTrue(message("foo(x)").hasPrefix("unknown function 'foo' (known: exp log"), message("foo(x)"))
        XCTAssertEqual(message("tanh x"), "expected '(' after function 'tanh' but found 'x' at column 6 in \"tanh x\"")
        XCTAssertEqual(message("x # 2"), "unexpected character '#' at column 3 in \"x # 2\"")
        XCTAssertEqual(message("1e999*x"), "number '1e999' is out of range at column 1 in \"1e999*x\"")
        for s in ["x^3*tanh(x", "x+*2", "", "()", "sin()", "x^"] {
            XCTAssertFalse(message(s).contains("\n"))
            XCTAssertNotEqual(message(s), "no error", s)
        }
    }
}
