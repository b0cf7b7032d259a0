import Foundation
import Model
import XCTest
@testable import Training

final class TargetTests: XCTestCase {
    func testDefaultShapes() throws {
        let expected: [BuiltinTarget: (n: Int, d: Int)] = [.sin5d: (80, 5), .sin5dLow: (80, 5), .sin3d: (80, 3), .sin1d: (40, 1),
                                                           .tworelu1d: (4, 1), .teacher: (100, 10)]
        for target in BuiltinTarget.allCases {
            let (train, test) = try target.generate(seed: 7)
            let e = expected[target]!
            XCTAssertEqual([train.n, train.inputDim, train.outputDim], [e.n, e.d, 1], "\(target)")
            XCTAssertEqual(train.x.count, e.n * e.d)
            XCTAssertEqual(train.y.count, e.n)
            XCTAssertEqual(test?.n, 1000, "\(target)")
            XCTAssertEqual(test?.inputDim, e.d)
            XCTAssertNoThrow(try train.validate())
            XCTAssertNoThrow(try test!.validate())
        }
    }

    func testUniformBoxAndFormulaOfSin5d() throws {
        let (train, test) = try BuiltinTarget.sin5d.generate(seed: 3)
        for v in train.x + test!.x { XCTAssertTrue(v >= -4 && v < 2, "\(v) outside [−4, 2)") }
        // The draws spread over the box (not a constant or a narrow range).
        XCTAssertLessThan(train.x.min()!, -3.5)
        XCTAssertGreaterThan(train.x.max()!, 1.5)
        for i in 0..<train.n {
            let row = train.x[(i * 5)..<(i * 5 + 5)]
            XCTAssertEqual(train.y[i], row.reduce(0) { $0 + 3.5 * sin(5 * $1 + 1) }, accuracy: 1e-12)
        }
        // The inputs are the data stream's uniforms, row-major: −4 + 6u.
        var rng = Xoshiro256(seed: 3, stream: BuiltinTarget.dataStream)
        XCTAssertEqual(train.x[0], -4 + 6 * rng.nextUniform())
        XCTAssertEqual(train.x[1], -4 + 6 * rng.nextUniform())
    }

    func testSin5dLowFormulaAndSharedInputs() throws {
        XCTAssertEqual(BuiltinTarget(rawValue: "sin5d-low"), .sin5dLow)
        let (low, _) = try BuiltinTarget.sin5dLow.generate(nTest: 0, seed: 4)
        let (high, _) = try BuiltinTarget.sin5d.generate(nTest: 0, seed: 4)
        XCTAssertEqual(low.x, high.x, "one seed draws the same inputs for both 5-D targets")
        for i in 0..<low.n {
            let row = low.x[(i * 5)..<(i * 5 + 5)]
            XCTAssertEqual(low.y[i], row.reduce(0) { $0 + 3.5 * sin(2 * $1 + 1) }, accuracy: 1e-12)
        }
        // The first row written out term by term.
        let r = Array(low.x[0..<5])
        let byHand = 3.5 * (sin(2 * r[0] + 1) + sin(2 * r[1] + 1) + sin(2 * r[2] + 1) + sin(2 * r[3] + 1) + sin(2 * r[4] + 1))
        XCTAssertEqual(low.y[0], byHand, accuracy: 1e-12)
        XCTAssertNotEqual(low.y, high.y)
    }

    func testSin3dFormula() throws {
        let (train, _) = try BuiltinTarget.sin3d.generate(nTest: 0, seed: 1)
        let row = train.x[0..<3]
        XCTAssertEqual(train.y[0], row.reduce(0) { $0 + 4 * sin(12 * $1 + 1) }, accuracy: 1e-12)
    }

    func testSin1dGrid() throws {
        let (train, test) = try BuiltinTarget.sin1d.generate(seed: 99)
        XCTAssertEqual(train.x.first, -1)
        XCTAssertEqual(train.x.last, 1.5)
        XCTAssertEqual(train.x[1] - train.x[0], 2.5 / 39, accuracy: 1e-15)
        XCTAssertEqual(train.y[0], sin(-3) + sin(-6) / 2, accuracy: 1e-15)
        XCTAssertEqual(test!.x.first, -1)
        XCTAssertEqual(test!.x.last, 1.5)
        XCTAssertEqual(try BuiltinTarget.sin1d.generate(seed: 1).train, train, "a grid does not depend on the seed")
    }

    func testTwoReluValues() throws {
        let (train, _) = try BuiltinTarget.tworelu1d.generate(seed: 0)
        XCTAssertEqual(train.x[0], -1)
        XCTAssertEqual(train.x[1], -1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(train.x[2], 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(train.x[3], 1)
        let expected = [0.2 * 2 / 3, 0, 0, 0.2 * 2 / 3]
        for (a, b) in zip(train.y, expected) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        let (five, _) = try BuiltinTarget.tworelu1d.generate(n: 5, seed: 0)
        XCTAssertEqual(five.x[2], 0)
        XCTAssertEqual(five.y[2], 0)
    }

    func testDeterminismPerSeed() throws {
        for target in [BuiltinTarget.sin5d, .teacher] {
            let a = try target.generate(seed: 42), b = try target.generate(seed: 42), c = try target.generate(seed: 43)
            XCTAssertEqual(a.train, b.train)
            XCTAssertEqual(a.test, b.test)
            XCTAssertNotEqual(a.train, c.train)
            XCTAssertNotEqual(a.train.x, a.test!.x.prefix(a.train.x.count).map { $0 }, "train and test differ")
        }
    }

    func testTestSetDoesNotDependOnTrainingSize() throws {
        let small = try BuiltinTarget.sin5d.generate(n: 10, nTest: 50, seed: 5)
        let large = try BuiltinTarget.sin5d.generate(n: 200, nTest: 50, seed: 5)
        XCTAssertEqual(small.test, large.test)
        XCTAssertEqual(Array(large.train.x.prefix(50)), small.train.x, "a larger training set extends the smaller one")
        XCTAssertNil(try BuiltinTarget.sin5d.generate(nTest: 0, seed: 5).test)
    }

    func testTeacher() throws {
        let (train, test) = try BuiltinTarget.teacher.generate(n: 30, nTest: 20, inputDim: 4, teacherWidth: 3, seed: 11)
        XCTAssertEqual(train.inputDim, 4)
        let (w, a) = BuiltinTarget.teacherWeights(inputDim: 4, width: 3, seed: 11)
        XCTAssertEqual(w.count, 12)
        XCTAssertEqual(a.count, 3)
        for data in [train, test!] {
            for i in 0..<data.n {
                var f = 0.0
                for j in 0..<3 {
                    var z = 0.0
                    for k in 0..<4 { z += w[j * 4 + k] * data.x[i * 4 + k] }
                    f += a[j] * tanh(z)
                }
                XCTAssertEqual(data.y[i], f, accuracy: 1e-14)
            }
        }
        // Inputs are standard normal: mean ≈ 0, variance ≈ 1 over 4000 draws.
        let big = try BuiltinTarget.teacher.generate(n: 1000, nTest: 0, inputDim: 4, seed: 2).train.x
        let mean = big.reduce(0, +) / Double(big.count)
        let variance = big.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(big.count)
        XCTAssertEqual(mean, 0, accuracy: 0.06)
        XCTAssertEqual(variance, 1, accuracy: 0.08)
    }

    func testErrors() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { _ = try BuiltinTarget.sin5d.generate(inputDim: 3, seed: 0) }.contains("teacher"))
        XCTAssertNoThrow(try BuiltinTarget.sin5d.generate(inputDim: 5, seed: 0))
        XCTAssertTrue(message { _ = try BuiltinTarget.sin5d.generate(n: 0, seed: 0) }.contains("--n-train"))
        XCTAssertTrue(message { _ = try BuiltinTarget.sin5d.generate(nTest: -1, seed: 0) }.contains("--n-test"))
        XCTAssertTrue(message { _ = try BuiltinTarget.teacher.generate(inputDim: 0, seed: 0) }.contains("--input-dim"))
        XCTAssertTrue(message { _ = try BuiltinTarget.teacher.generate(teacherWidth: 0, seed: 0) }.contains("width"))
        XCTAssertTrue(message { _ = try BuiltinTarget.sin1d.generate(teacherWidth: 2, seed: 0) }.contains("teacher"))
    }

    func testLinspaceMatchesNumpy() {
        XCTAssertEqual(BuiltinTarget.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(BuiltinTarget.linspace(2, 3, 1), [2])
        XCTAssertEqual(BuiltinTarget.linspace(2, 3, 0), [])
    }
}
