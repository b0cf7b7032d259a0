import XCTest
@testable import Model

final class LossTests: XCTestCase {
    let output: [Double] = [1, 2, 3, -1, 0.5, 4]   // n = 3, d = 2
    let target: [Double] = [0, 2, 1, 1, 0, 0]

    func testValues() {
        let sq = 1.0 + 0 + 4 + 4 + 0.25 + 16
        XCTAssertEqual(LossKind.mean.value(output: output, target: target, n: 3, outputDim: 2), sq / 6, accuracy: 1e-15)
        XCTAssertEqual(LossKind.halfSum.value(output: output, target: target, n: 3, outputDim: 2), sq / 6, accuracy: 1e-15)
        // d = 1 distinguishes them: mean = Σe²/n, halfSum = Σe²/(2n).
        XCTAssertEqual(LossKind.mean.value(output: [3, 1], target: [1, 1], n: 2, outputDim: 1), 2)
        XCTAssertEqual(LossKind.halfSum.value(output: [3, 1], target: [1, 1], n: 2, outputDim: 1), 1)
    }

    func testGradientMatchesFiniteDifferences() {
        for kind in LossKind.allCases {
            var grad = [Double](repeating: .nan, count: 6)
            output.withUnsafeBufferPointer { o in
                target.withUnsafeBufferPointer { t in
                    grad.withUnsafeMutableBufferPointer { g in
                        _ = kind.evaluate(output: o, target: t, n: 3, outputDim: 2, gradient: g)
                    }
                }
            }
            for k in 0..<6 {
                var plus = output, minus = output
                plus[k] += 1e-6; minus[k] -= 1e-6
                let fd = (kind.value(output: plus, target: target, n: 3, outputDim: 2)
                          - kind.value(output: minus, target: target, n: 3, outputDim: 2)) / 2e-6
                XCTAssertEqual(grad[k], fd, accuracy: 1e-8, "\(kind) entry \(k)")
            }
        }
    }

    /// Cross-entropy by hand: one-hot rows give −log softmax at the class; huge logits stay finite (log-sum-exp).
    func testCrossEntropyValuesAndStability() {
        let out: [Double] = [1, 2, 3, 0, 0, 0]
        let lse = log(exp(1.0) + exp(2.0) + exp(3.0))
        let expected = ((lse - 3) + log(3)) / 2
        XCTAssertEqual(LossKind.crossEntropy.value(output: out, target: [0, 0, 1, 1, 0, 0], n: 2, outputDim: 3),
                       expected, accuracy: 1e-15)
        XCTAssertEqual(LossKind.crossEntropy.value(output: [1000, 0, -1000, 1e300], target: [0, 1, 0, 1], n: 2, outputDim: 2),
                       (1000 + 0) / 2, accuracy: 1e-12)
        var g = [Double](repeating: .nan, count: 4)
        [1000.0, 0, 0, 0].withUnsafeBufferPointer { o in
            [0.0, 1, 0.5, 0.5].withUnsafeBufferPointer { t in
                g.withUnsafeMutableBufferPointer { gp in
                    _ = LossKind.crossEntropy.evaluate(output: o, target: t, n: 2, outputDim: 2, gradient: gp)
                }
            }
        }
        XCTAssertEqual(g, [0.5, -0.5, 0, 0])
        // Probability targets of one-hot rows sum to 1 per row; with d = 1 the loss is 0 (a single class).
        XCTAssertEqual(LossKind.crossEntropy.value(output: [5, -3], target: [1, 1], n: 2, outputDim: 1), 0)
        XCTAssertEqual(Accuracy.share(output: out, target: [0, 0, 1, 1, 0, 0], n: 2, outputDim: 3), 1)
        XCTAssertEqual(Accuracy.share(output: out, target: [1, 0, 0, 0, 1, 0], n: 2, outputDim: 3), 0)
        XCTAssertTrue(Accuracy.share(output: [1, 2], target: [1, 2], n: 2, outputDim: 1).isNaN)
    }

    func testCodableRawValues() throws {
        XCTAssertEqual(LossKind(rawValue: "halfSum"), .halfSum)
        let data = try JSONEncoder().encode([LossKind.mean])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"mean\"]")
    }
}
