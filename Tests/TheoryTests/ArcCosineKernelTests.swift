import XCTest
import Foundation
@testable import Theory

final class ArcCosineKernelTests: XCTestCase {
    func testClosedFormsAtZeroAndRightAngle() {
        let half = Double.pi / 2
        XCTAssertEqual(ArcCosineKernel.j11(0), 0.5, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.j11(half), 1 / (2 * Double.pi), accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.j31(0), 1.5, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.j31(half), 1 / Double.pi, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.j22(0), 1.5, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.j22(half), 0.25, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.correlationKernel(1), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(ArcCosineKernel.correlationKernel(0), 1, accuracy: 1e-15)
    }

    /// J₁₁ against a direct quadrature of E[φ(G)φ(G′)] over the plane (independent of the closed form).
    func testJ11MatchesQuadrature() {
        for theta in [0.3, 1.0, 2.0, 2.9] {
            let c = cos(theta), s = sin(theta)
            var sum = 0.0
            let h = 0.01, lim = 8.0
            var x = -lim
            while x <= lim {
                var y = -lim
                while y <= lim {
                    let g = x, gp = c * x + s * y
                    if g > 0 && gp > 0 { sum += g * gp * exp(-(x * x + y * y) / 2) }
                    y += h
                }
                x += h
            }
            let quad = sum * h * h / (2 * Double.pi)
            XCTAssertEqual(ArcCosineKernel.j11(theta), quad, accuracy: 1e-4, "θ = \(theta)")
        }
    }

    func testInfiniteWidthMapShrinksAngles() {
        XCTAssertEqual(ArcCosineKernel.infiniteWidthAngle(0), 0, accuracy: 1e-7)
        var t = Double.pi / 2
        for _ in 0..<20 {
            let next = ArcCosineKernel.infiniteWidthAngle(t)
            XCTAssertLessThan(next, t)
            t = next
        }
    }
}
