import XCTest
@testable import Model

final class RandomTests: XCTestCase {
    /// Values from an independent Python implementation of the documented recipe.
    func testMatchesReferenceImplementation() {
        var a = Xoshiro256(seed: 42)
        XCTAssertEqual([a.next(), a.next(), a.next()], [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1])
        var b = Xoshiro256(seed: 42, stream: 3)
        XCTAssertEqual([b.next(), b.next(), b.next()], [0xbb5f_d861_0165_675e, 0xb6a3_58e8_fd76_1a82, 0xf2b8_2880_77b3_78f9])
        var c = Xoshiro256(seed: 0)
        XCTAssertEqual(c.next(), 0x99ec_5f36_cb75_f2b4)
        XCTAssertEqual(Xoshiro256.mix(1_234_567 &+ 0x9E37_79B9_7F4A_7C15), 6_457_827_717_110_365_317)  // SplitMix64 test vector
    }

    func testDeterministicAndStreamsDiffer() {
        var a = Xoshiro256(seed: 7), b = Xoshiro256(seed: 7), c = Xoshiro256(seed: 7, stream: 1)
        let sa = (0..<100).map { _ in a.nextNormal() }
        let sb = (0..<100).map { _ in b.nextNormal() }
        let sc = (0..<100).map { _ in c.nextNormal() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
    }

    func testStateSaveRestoreMidStreamIncludingCachedNormal() throws {
        var g = Xoshiro256(seed: 123, stream: 2)
        _ = g.nextUniform()
        _ = g.nextNormal()              // leaves the pair's second value cached
        let saved = g.state
        XCTAssertEqual(saved.count, 6)
        XCTAssertEqual(saved[4], 1, "a cached normal must be part of the state")
        let continued = (0..<11).map { _ in g.nextNormal() } + (0..<5).map { _ in g.nextUniform() }
        var restored = try Xoshiro256(state: saved)
        let replay = (0..<11).map { _ in restored.nextNormal() } + (0..<5).map { _ in restored.nextUniform() }
        XCTAssertEqual(continued, replay)
        var assigned = Xoshiro256(seed: 999)
        assigned.state = saved
        XCTAssertEqual(assigned.nextNormal().bitPattern, continued[0].bitPattern)
        // With no cache the flag is 0.
        var fresh = Xoshiro256(seed: 1)
        XCTAssertEqual(fresh.state[4], 0)
        _ = fresh.nextNormal(); _ = fresh.nextNormal()
        XCTAssertEqual(fresh.state[4], 0)
    }

    func testInvalidStateIsRejected() {
        XCTAssertThrowsError(try Xoshiro256(state: [1, 2, 3]))
        XCTAssertThrowsError(try Xoshiro256(state: [0, 0, 0, 0, 0, 0]))
        XCTAssertThrowsError(try Xoshiro256(state: [1, 2, 3, 4, 7, 0]))
        XCTAssertNoThrow(try Xoshiro256(state: [1, 2, 3, 4]))
    }

    func testUniformMoments() {
        var g = Xoshiro256(seed: 2024)
        let n = 200_000
        var s = 0.0, s2 = 0.0, lo = 1.0, hi = 0.0
        for _ in 0..<n {
            let u = g.nextUniform()
            s += u; s2 += u * u; lo = min(lo, u); hi = max(hi, u)
        }
        let mean = s / Double(n), variance = s2 / Double(n) - mean * mean
        // Standard errors: mean 0.00065, variance 0.00019 (5σ bounds).
        XCTAssertEqual(mean, 0.5, accuracy: 0.0033)
        XCTAssertEqual(variance, 1.0 / 12, accuracy: 0.001)
        XCTAssertGreaterThanOrEqual(lo, 0); XCTAssertLessThan(hi, 1)
    }

    func testNormalMoments() {
        var g = Xoshiro256(seed: 77)
        let n = 200_000
        var s = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let z = g.nextNormal()
            s += z; s2 += z * z; s3 += z * z * z; s4 += z * z * z * z
        }
        let N = Double(n)
        let mean = s / N, variance = s2 / N - mean * mean
        // 5σ bounds: mean 0.0022·5, var √(2/N)·5 = 0.016, skew √(6/N)·5 = 0.027, kurtosis √(96/N)·5 = 0.11
        XCTAssertEqual(mean, 0, accuracy: 0.011)
        XCTAssertEqual(variance, 1, accuracy: 0.016)
        XCTAssertEqual(s3 / N, 0, accuracy: 0.03)
        XCTAssertEqual(s4 / N, 3, accuracy: 0.11)
        var h = Xoshiro256(seed: 5)
        let scaled = (0..<50_000).map { _ in h.nextNormal(mean: 3, std: 0.5) }
        XCTAssertEqual(scaled.reduce(0, +) / 50_000, 3, accuracy: 0.012)
    }
}
