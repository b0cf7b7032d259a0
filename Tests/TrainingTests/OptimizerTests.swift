import Foundation
import XCTest
@testable import Training
import LinearAlgebra
import Model

/// Optimizer steps against values worked out in the test from the published update rules (not from
/// `Optimizer`), state save/restore, and validation.
final class OptimizerTests: XCTestCase {
    /// Runs `steps` updates with the given gradients on a copy of `start`; returns the parameters after each step.
    private func run(_ config: OptimizerConfig, start: [Double], gradients: [[Double]],
                     rates: [Double]? = nil, team: WorkerTeam? = nil) -> [[Double]] {
        let opt = Optimizer(config: config, parameterCount: start.count, team: team)
        var p = start
        var out: [[Double]] = []
        for (k, g0) in gradients.enumerated() {
            var g = g0
            p.withUnsafeMutableBufferPointer { pp in
                g.withUnsafeMutableBufferPointer { gp in
                    opt.step(parameters: pp, gradient: gp, learningRate: rates?[k] ?? config.lr)
                }
            }
            XCTAssertEqual(g, g0, "step must not modify the gradient")
            out.append(p)
        }
        XCTAssertEqual(opt.stepCount, gradients.count)
        return out
    }

    private func assertClose(_ a: [Double], _ b: [Double], rel: Double = 1e-14,
                             _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertLessThanOrEqual(abs(x - y), rel * max(abs(x), abs(y), 1e-300),
                                     "\(message): \(a) vs \(b)", file: file, line: line)
        }
    }

    // MARK: - SGD

    func testPlainSGDStepWithWeightDecay() {
        let p0 = [1.0, -2.0, 0.0], g1 = [0.5, 0.25, -4.0], g2 = [-1.0, 3.0, 0.5]
        let lr = 0.1, wd = 0.01
        let out = run(.sgd(lr: lr, weightDecay: wd), start: p0, gradients: [g1, g2])
        // θ ← θ − η(g + λθ)
        let p1 = (0..<3).map { p0[$0] - lr * (g1[$0] + wd * p0[$0]) }
        let p2 = (0..<3).map { p1[$0] - lr * (g2[$0] + wd * p1[$0]) }
        assertClose(out[0], p1, "step 1")
        assertClose(out[1], p2, "step 2")
        // Literal check of the first step: 1 − 0.1·(0.5 + 0.01) = 0.949.
        XCTAssertEqual(out[0][0], 0.949, accuracy: 1e-15)
    }

    func testMomentumFirstStepUndampedThenDampened() {
        let p0 = [0.3, -0.7], g1 = [1.0, -2.0], g2 = [0.5, 0.5], g3 = [-0.25, 1.0]
        let lr = 0.05, mu = 0.9, damp = 0.1
        let out = run(.sgd(lr: lr, momentum: mu, dampening: damp), start: p0, gradients: [g1, g2, g3])
        // buf₁ = g₁ (no dampening on the first step), buf_t = μ·buf + (1 − d)·g_t; θ ← θ − η·buf
        let b1 = g1
        let b2 = (0..<2).map { mu * b1[$0] + (1 - damp) * g2[$0] }
        let b3 = (0..<2).map { mu * b2[$0] + (1 - damp) * g3[$0] }
        let p1 = (0..<2).map { p0[$0] - lr * b1[$0] }
        let p2 = (0..<2).map { p1[$0] - lr * b2[$0] }
        let p3 = (0..<2).map { p2[$0] - lr * b3[$0] }
        assertClose(out[0], p1, "step 1")
        assertClose(out[1], p2, "step 2")
        assertClose(out[2], p3, "step 3")
        XCTAssertEqual(out[0][0], 0.3 - 0.05, accuracy: 1e-15, "first step is η·g, undampened")
    }

    func testNesterovStep() {
        let p0 = [0.3, -0.7], g1 = [1.0, -2.0], g2 = [0.5, 0.5]
        let lr = 0.05, mu = 0.9, wd = 0.2
        let out = run(.sgd(lr: lr, momentum: mu, nesterov: true, weightDecay: wd), start: p0, gradients: [g1, g2])
        // ĝ = g + λθ; buf = ĝ then μ·buf + ĝ; θ ← θ − η(ĝ + μ·buf)
        let e1 = (0..<2).map { g1[$0] + wd * p0[$0] }
        let b1 = e1
        let p1 = (0..<2).map { p0[$0] - lr * (e1[$0] + mu * b1[$0]) }
        let e2 = (0..<2).map { g2[$0] + wd * p1[$0] }
        let b2 = (0..<2).map { mu * b1[$0] + e2[$0] }
        let p2 = (0..<2).map { p1[$0] - lr * (e2[$0] + mu * b2[$0]) }
        assertClose(out[0], p1, "step 1")
        assertClose(out[1], p2, "step 2")
        // Literal: ĝ₁[0] = 1.06, θ₁[0] = 0.3 − 0.05·1.06·1.9 = 0.1993.
        XCTAssertEqual(out[0][0], 0.1993, accuracy: 1e-15)
    }

    func testScheduledLearningRateIsUsed() {
        let out = run(.sgd(lr: 1), start: [0], gradients: [[1], [1]], rates: [0.5, 0.25])
        XCTAssertEqual(out[1], [-0.75])
    }

    // MARK: - Adam

    /// Textbook Adam (Kingma & Ba with ε outside the root) plus L2 decay in the gradient, written independently.
    private func referenceAdam(p0: [Double], grads: [[Double]], lr: Double, b1: Double, b2: Double,
                               eps: Double, wd: Double) -> [[Double]] {
        var p = p0, m = [Double](repeating: 0, count: p0.count), v = m
        var out: [[Double]] = []
        for (k, g) in grads.enumerated() {
            let t = Double(k + 1)
            for i in 0..<p.count {
                let ge = g[i] + wd * p[i]
                m[i] = b1 * m[i] + (1 - b1) * ge
                v[i] = b2 * v[i] + (1 - b2) * ge * ge
                let mHat = m[i] / (1 - pow(b1, t))
                let vHat = v[i] / (1 - pow(b2, t))
                p[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            out.append(p)
        }
        return out
    }

    func testTwoAdamStepsWithWeightDecay() {
        let p0 = [1.0, -0.5, 0.02, 3.0], g1 = [0.5, 0.1, -0.003, 2.0], g2 = [-0.2, 0.4, 0.01, -1.0]
        let lr = 0.01, b1 = 0.8, b2 = 0.99, eps = 0.1, wd = 0.1
        let config = OptimizerConfig.adam(lr: lr, beta1: b1, beta2: b2, eps: eps, weightDecay: wd)
        let out = run(config, start: p0, gradients: [g1, g2])
        let ref = referenceAdam(p0: p0, grads: [g1, g2], lr: lr, b1: b1, b2: b2, eps: eps, wd: wd)
        assertClose(out[0], ref[0], "Adam step 1")
        assertClose(out[1], ref[1], "Adam step 2")
        // Literal first step: m̂ = ĝ, v̂ = ĝ², so θ₁ = θ₀ − η·ĝ/(|ĝ| + ε) with ĝ = 0.5 + 0.1·1 = 0.6.
        XCTAssertEqual(out[0][0], 1 - 0.01 * 0.6 / 0.7, accuracy: 1e-15)
        // ε inside the root would give 1 − 0.01·0.6/√(0.36 + 0.1): the test can tell them apart.
        XCTAssertGreaterThan(abs(out[0][0] - (1 - 0.01 * 0.6 / (0.36 + 0.1).squareRoot())), 1e-4)
    }

    func testAdamWithBetaOneAtLeastHalfUsesTheOtherLerpBranch() {
        let p0 = [0.7, -1.1], grads = [[0.3, -0.2], [0.1, 0.9], [-0.4, 0.05]]
        let config = OptimizerConfig.adam(lr: 0.02, beta1: 0.3, beta2: 0.9, eps: 1e-8, weightDecay: 0.05)
        let out = run(config, start: p0, gradients: grads)
        let ref = referenceAdam(p0: p0, grads: grads, lr: 0.02, b1: 0.3, b2: 0.9, eps: 1e-8, wd: 0.05)
        for k in 0..<3 { assertClose(out[k], ref[k], "step \(k + 1)") }
    }

    // MARK: - Long vectors (SIMD lanes, tails, threads)

    /// Long vectors are updated eight lanes at a time and, with a worker team, in one chunk per member: the result
    /// must equal, bit for bit, a plain scalar loop in PyTorch's operation order, whatever the team size (the
    /// length is not a multiple of 8 or of the chunk count, so every path is used).
    func testLongVectorsAreBitIdenticalToTheScalarRuleOnAnyThreadCount() {
        let count = Optimizer.parallelThreshold + 7
        var rng = Xoshiro256(seed: 11)
        let p0 = (0..<count).map { _ in rng.nextUniform() - 0.5 }
        let grads = (0..<3).map { _ in (0..<count).map { _ in (rng.nextUniform() - 0.5) * 0.1 } }
        let lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01
        // PyTorch's single-tensor order, scalar (compare `Optimizer`'s documentation).
        var p = p0, m = [Double](repeating: 0, count: count), v = m
        for (k, g) in grads.enumerated() {
            let t = Double(k + 1)
            let s = -(lr / (1 - pow(b1, t))), c2 = pow(1 - pow(b2, t), 0.5)
            for i in 0..<count {
                let gi = g[i] + wd * p[i]
                m[i] = m[i] + (1 - b1) * (gi - m[i])
                v[i] = (v[i] * b2) + ((1 - b2) * gi) * gi
                p[i] = p[i] + (s * m[i]) / ((v[i].squareRoot() / c2) + eps)
            }
        }
        for threads in [1, 2, 3] {
            let team = WorkerTeam(size: threads)
            let config = OptimizerConfig.adam(lr: lr, beta1: b1, beta2: b2, eps: eps, weightDecay: wd)
            let out = run(config, start: p0, gradients: grads, team: team)
            XCTAssert(out[2] == p, "Adam on \(threads) thread(s) differs from the scalar rule")
            let sgd = OptimizerConfig.sgd(lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true, weightDecay: wd)
            var q = p0, buf = [Double](repeating: 0, count: count)
            for (k, g) in grads.enumerated() {
                for i in 0..<count {
                    var gi = g[i] + wd * q[i]
                    buf[i] = k == 0 ? gi : (buf[i] * 0.9) + 0.9 * gi
                    gi = gi + 0.9 * buf[i]
                    q[i] = q[i] + -0.1 * gi
                }
            }
            XCTAssert(run(sgd, start: p0, gradients: grads, team: team)[2] == q, "SGD on \(threads) thread(s)")
        }
        // Every branch of the SGD kernel (eight lanes and the tail) against the scalar rule.
        for (mu, dampening, nesterov, wd) in [(0.0, 0.0, false, 0.0), (0.0, 0.0, false, 0.01), (0.9, 0.0, false, 0.0),
                                              (0.9, 0.25, false, 0.01), (0.5, 0.0, true, 0.0)] {
            var q = p0, buf = [Double](repeating: 0, count: count)
            for (k, g) in grads.enumerated() {
                for i in 0..<count {
                    var gi = wd != 0 ? g[i] + wd * q[i] : g[i]
                    if mu != 0 {
                        buf[i] = k == 0 ? gi : (buf[i] * mu) + (1 - dampening) * gi
                        gi = nesterov ? gi + mu * buf[i] : buf[i]
                    }
                    q[i] = q[i] + -0.05 * gi
                }
            }
            let sgd = OptimizerConfig.sgd(lr: 0.05, momentum: mu, dampening: dampening, nesterov: nesterov,
                                          weightDecay: wd)
            XCTAssert(run(sgd, start: p0, gradients: grads, team: nil)[2] == q,
                      "SGD μ = \(mu), dampening \(dampening), Nesterov \(nesterov), λ = \(wd)")
        }
    }

    // MARK: - PyTorch, when it is installed

    func testAgainstPyTorchIfAvailable() throws {
        guard let python = Self.pythonWithTorch() else {
            throw XCTSkip("torch does not import in tools/bench/.venv, /usr/bin/python3 or python3; PyTorch comparison skipped")
        }
        let script = """
        import torch
        torch.set_default_dtype(torch.float64)
        def run(make, grads):
            p = torch.nn.Parameter(torch.tensor([1.0, -0.5, 0.02, 3.0]))
            opt = make([p])
            for g in grads:
                p.grad = torch.tensor(g)
                opt.step()
            return [x.hex() for x in p.detach().tolist()]
        G = [[0.5, 0.1, -0.003, 2.0], [-0.2, 0.4, 0.01, -1.0], [0.3, -0.3, 0.2, 0.1]]
        print(*run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=0.1, weight_decay=0.1), G))
        print(*run(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), G))
        print(*run(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.2), G))
        """
        let lines = try Self.runPython(python, script).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        let configs: [OptimizerConfig] = [
            .adam(lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 0.1, weightDecay: 0.1),
            .sgd(lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
            .sgd(lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.2),
        ]
        let grads = [[0.5, 0.1, -0.003, 2.0], [-0.2, 0.4, 0.01, -1.0], [0.3, -0.3, 0.2, 0.1]]
        for (config, line) in zip(configs, lines) {
            let torch = line.split(separator: " ").map { Double(String($0))! }   // Swift parses C99 hex floats
            let ours = run(config, start: [1.0, -0.5, 0.02, 3.0], gradients: grads).last!
            // torch's SIMD kernels may use FMA: allow a few ulps.
            assertClose(ours, torch, rel: 1e-15 * 8, "\(config.kind) vs torch")
        }
    }

    /// The first of the benchmarks' venv (tools/bench/torch-venv.sh), /usr/bin/python3 and python3 that imports
    /// torch.
    static func pythonWithTorch() -> String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bench = root.appendingPathComponent("tools/bench/.venv/bin/python").path
        return [bench, "/usr/bin/python3", "python3"].first { (try? runPython($0, "import torch")) != nil }
    }

    static func runPython(_ python: String, _ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "python", code: Int(process.terminationStatus))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - State

    private func assertResumeIsBitIdentical(_ config: OptimizerConfig, file: StaticString = #filePath, line: UInt = #line) throws {
        let n = 5
        let grads: [[Double]] = (0..<6).map { k in (0..<n).map { i in sin(Double(3 * k + i)) } }
        let straight = run(config, start: [Double](repeating: 0.1, count: n), gradients: grads).last!

        let a = Optimizer(config: config, parameterCount: n)
        var p = [Double](repeating: 0.1, count: n)
        func step(_ opt: Optimizer, _ g0: [Double]) {
            var g = g0
            p.withUnsafeMutableBufferPointer { pp in
                g.withUnsafeMutableBufferPointer { opt.step(parameters: pp, gradient: $0, learningRate: config.lr) }
            }
        }
        for k in 0..<3 { step(a, grads[k]) }
        let saved = a.saveState()
        XCTAssertEqual(saved["step"], [3], file: file, line: line)
        let b = Optimizer(config: config, parameterCount: n)
        try b.restoreState(saved)
        XCTAssertEqual(b.stepCount, 3, file: file, line: line)
        for k in 3..<6 { step(b, grads[k]) }
        XCTAssertEqual(p.map(\.bitPattern), straight.map(\.bitPattern), "resumed run differs", file: file, line: line)
    }

    func testSaveRestoreContinuesBitIdentically() throws {
        try assertResumeIsBitIdentical(.adam(lr: 0.01, weightDecay: 0.01))
        try assertResumeIsBitIdentical(.sgd(lr: 0.1, momentum: 0.9, dampening: 0.2))
        try assertResumeIsBitIdentical(.sgd(lr: 0.1, momentum: 0.5, nesterov: true))
        try assertResumeIsBitIdentical(.sgd(lr: 0.1))
    }

    func testZeroingGradientClearsItAndUpdatesIdentically() {
        // 37 = four SIMD8 blocks and a scalar tail; 1 << 17 + 3 is split across threads when BLAS has two.
        for n in [37, (1 << 17) + 3] {
            for config in [OptimizerConfig.adam(lr: 0.01, weightDecay: 0.01), .sgd(lr: 0.1, momentum: 0.9),
                           .sgd(lr: 0.1, momentum: 0.5, nesterov: true), .sgd(lr: 0.1, weightDecay: 0.1), .sgd(lr: 0.1)] {
                let grads: [[Double]] = (0..<3).map { k in (0..<n).map { i in sin(Double(7 * k + i)) } }
                let expected = run(config, start: [Double](repeating: 0.1, count: n), gradients: grads).last!
                let opt = Optimizer(config: config, parameterCount: n)
                var p = [Double](repeating: 0.1, count: n)
                for g0 in grads {
                    var g = g0
                    p.withUnsafeMutableBufferPointer { pp in
                        g.withUnsafeMutableBufferPointer {
                            opt.step(parameters: pp, gradient: $0, learningRate: config.lr, zeroingGradient: true)
                        }
                    }
                    XCTAssertTrue(g.allSatisfy { $0.bitPattern == 0 }, "\(config.kind) n=\(n): gradient not cleared to +0")
                }
                XCTAssertEqual(p.map(\.bitPattern), expected.map(\.bitPattern), "\(config.kind) n=\(n)")
            }
        }
    }

    func testStateNamesFollowPyTorch() {
        XCTAssertEqual(Set(Optimizer(config: .adam(), parameterCount: 2).saveState().keys), ["step", "exp_avg", "exp_avg_sq"])
        let sgd = Optimizer(config: .sgd(lr: 1, momentum: 0.9), parameterCount: 2)
        XCTAssertEqual(Set(sgd.saveState().keys), ["step"], "no momentum buffer before the first step (torch: None)")
        var p = [0.0, 0.0], g = [1.0, 2.0]
        p.withUnsafeMutableBufferPointer { pp in g.withUnsafeMutableBufferPointer { sgd.step(parameters: pp, gradient: $0, learningRate: 1) } }
        XCTAssertEqual(sgd.saveState()["momentum_buffer"], [1, 2])
    }

    func testRestoreFromStepZeroWithoutMomentumBufferStartsFresh() throws {
        let config = OptimizerConfig.sgd(lr: 0.1, momentum: 0.9)
        let b = Optimizer(config: config, parameterCount: 2)
        try b.restoreState(["step": [0]])
        let fresh = run(config, start: [1, 1], gradients: [[1, 2], [3, 4]]).last!
        var p = [1.0, 1.0]
        for g0 in [[1.0, 2.0], [3.0, 4.0]] {
            var g = g0
            p.withUnsafeMutableBufferPointer { pp in g.withUnsafeMutableBufferPointer { b.step(parameters: pp, gradient: $0, learningRate: 0.1) } }
        }
        XCTAssertEqual(p, fresh)
    }

    func testRestoreRejectsBadState() {
        let adam = Optimizer(config: .adam(), parameterCount: 3)
        func message(_ s: [String: [Double]], _ opt: Optimizer) -> String {
            do { try opt.restoreState(s); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(["exp_avg": [0, 0, 0], "exp_avg_sq": [0, 0, 0]], adam).contains("step"))
        XCTAssertTrue(message(["step": [1.5], "exp_avg": [0, 0, 0], "exp_avg_sq": [0, 0, 0]], adam).contains("step"))
        XCTAssertTrue(message(["step": [2], "exp_avg": [0, 0, 0]], adam).contains("exp_avg_sq"))
        XCTAssertTrue(message(["step": [2], "exp_avg": [0, 0], "exp_avg_sq": [0, 0, 0]], adam).contains("2 values"))
        XCTAssertTrue(message(["step": [2], "exp_avg": [0, .nan, 0], "exp_avg_sq": [0, 0, 0]], adam).contains("non-finite"))
        XCTAssertTrue(message(["step": [2], "exp_avg": [0, 0, 0], "exp_avg_sq": [0, -1, 0]], adam).contains("negative"))
        XCTAssertEqual(adam.stepCount, 0, "a rejected state changes nothing")
        let sgd = Optimizer(config: .sgd(lr: 1, momentum: 0.9), parameterCount: 3)
        XCTAssertTrue(message(["step": [4]], sgd).contains("momentum_buffer"))
    }

    // MARK: - Validation

    func testValidation() {
        func message(_ c: OptimizerConfig) -> String? {
            do { try c.validate(); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(message(.adam()))
        XCTAssertNil(message(.sgd(lr: 0.05, momentum: 0.9, nesterov: true)))
        XCTAssertTrue(message(.sgd(lr: 0))!.contains("learning rate"))
        XCTAssertTrue(message(.adam(lr: -1))!.contains("learning rate"))
        XCTAssertTrue(message(.adam(lr: .infinity))!.contains("learning rate"))
        XCTAssertTrue(message(.adam(lr: .nan))!.contains("learning rate"))
        XCTAssertTrue(message(.adam(beta1: 1))!.contains("beta1"))
        XCTAssertTrue(message(.adam(beta2: -0.1))!.contains("beta2"))
        XCTAssertTrue(message(.adam(eps: 0))!.contains("eps"))
        XCTAssertTrue(message(.sgd(lr: 1, momentum: -0.1))!.contains("momentum"))
        XCTAssertTrue(message(.sgd(lr: 1, nesterov: true))!.contains("Nesterov"))
        XCTAssertTrue(message(.sgd(lr: 1, momentum: 0.9, dampening: 0.1, nesterov: true))!.contains("Nesterov"))
        XCTAssertTrue(message(.sgd(lr: 1, weightDecay: -1))!.contains("weight-decay"))
        for m in [message(.sgd(lr: 0)), message(.adam(eps: 0))] { XCTAssertFalse(m!.contains("\n")) }
    }

    func testConfigDecodesWithDefaultsAndRoundTrips() throws {
        let decoded = try JSONDecoder().decode(OptimizerConfig.self, from: Data(#"{"kind":"adam","lr":0.002}"#.utf8))
        XCTAssertEqual(decoded, .adam(lr: 0.002))
        let c = OptimizerConfig.sgd(lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4)
        XCTAssertEqual(try JSONDecoder().decode(OptimizerConfig.self, from: try JSONEncoder().encode(c)), c)
    }
}
