import XCTest
@testable import Model

/// Helpers shared by the activation, expression and multiplicity tests (namespaced to avoid
/// clashing with other test files of the module).
enum ActivationTesting {
    /// Fourth-order central difference (error ~h⁴), accurate to ~1e-12 for the smooth functions here.
    static func centralDifference(_ f: (Double) -> Double, at x: Double, h: Double = 1e-3) -> Double {
        (8 * (f(x + h) - f(x - h)) - (f(x + 2 * h) - f(x - 2 * h))) / (12 * h)
    }

    /// |a − b| ≤ tolerance·max(1, |b|).
    static func assertClose(_ a: Double, _ b: Double, _ tolerance: Double, _ message: @autoclosure () -> String = "",
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssert(abs(a - b) <= tolerance * max(1, abs(b)), "\(a) vs \(b): \(message())", file: file, line: line)
    }

    /// Points away from 0 on both sides, plus small ones near 0 (kinks are only at 0).
    static let points: [Double] = [-6, -4, -2.5, -1.3, -0.7, -0.2, -0.01, 0.013, 0.3, 0.9, 1.7, 3.1, 4.5, 7]

    /// Runs the activation's buffer kernel over `z`, with or without the derivative buffer.
    static func runKernel(_ a: Activation, _ z: [Double], derivative: Bool = true) -> (value: [Double], derivative: [Double]) {
        var v = [Double](repeating: .nan, count: z.count), d = [Double](repeating: .nan, count: z.count)
        z.withUnsafeBufferPointer { zp in
            v.withUnsafeMutableBufferPointer { vp in
                if derivative {
                    d.withUnsafeMutableBufferPointer { dp in a.evaluate(zp, value: vp, derivative: dp) }
                } else {
                    a.evaluate(zp, value: vp, derivative: nil)
                }
            }
        }
        return (v, d)
    }
}
