import Foundation
import Model
import XCTest
@testable import Training

/// Softmax cross-entropy against PyTorch (`nn.CrossEntropyLoss()`, mean reduction, float64) from the same initial
/// parameters: a 4-5-3 tanh network (hidden bias, no readout bias) on 6 points and 3 classes, 8 full-batch Adam
/// steps (lr 0.05). The reference was recorded with torch 2.13.0+cpu from `script` below, so CI needs no torch;
/// `testAgainstLivePyTorchIfAvailable` runs the script again where torch imports.
final class CrossEntropyTests: XCTestCase {
    static let script = """
        import math, torch
        torch.set_default_dtype(torch.float64)
        n, d, h, k = 6, 4, 5, 3
        X = torch.tensor([[math.sin(1.3 * (i * d + j) + 0.2) * 2 for j in range(d)] for i in range(n)])
        labels = [0, 2, 1, 2, 0, 1]
        # The same starting parameters as the Swift side: entry e of our flat layout (hidden block (h, d+1) with the
        # bias in the last column, then the readout (k, h+1) whose bias column stays 0) is 0.7 sin(0.37 e + 0.1).
        vals = [0.7 * math.sin(0.37 * e + 0.1) for e in range(h * (d + 1) + k * (h + 1))]
        W1 = torch.tensor([[vals[r * (d + 1) + c] for c in range(d)] for r in range(h)])
        b1 = torch.tensor([vals[r * (d + 1) + d] for r in range(h)])
        o = h * (d + 1)
        W2 = torch.tensor([[vals[o + r * (h + 1) + c] for c in range(h)] for r in range(k)])
        l1 = torch.nn.Linear(d, h); l2 = torch.nn.Linear(h, k, bias=False)
        with torch.no_grad():
            l1.weight.copy_(W1); l1.bias.copy_(b1); l2.weight.copy_(W2)
        net = torch.nn.Sequential(l1, torch.nn.Tanh(), l2)
        opt = torch.optim.Adam(net.parameters(), lr=0.05)
        lossf = torch.nn.CrossEntropyLoss()
        target = torch.tensor(labels)
        losses = []
        for step in range(8):
            opt.zero_grad()
            loss = lossf(net(X), target)
            loss.backward()
            if step == 0:
                g0 = torch.cat([torch.cat([l1.weight.grad, l1.bias.grad[:, None]], 1).flatten(),
                                torch.cat([l2.weight.grad, torch.zeros(k, 1)], 1).flatten()])
            losses.append(loss.item())
            opt.step()
        with torch.no_grad():
            final = torch.cat([torch.cat([l1.weight, l1.bias[:, None]], 1).flatten(), torch.cat([l2.weight, torch.zeros(k, 1)], 1).flatten()])
            acc = (net(X).argmax(1) == target).double().mean().item()
        print(" ".join(v.hex() for v in losses))
        print(" ".join(v.hex() for v in g0.tolist()))
        print(" ".join(v.hex() for v in final.tolist()))
        print(acc.hex())
        """

    /// torch 2.13.0+cpu, `script`: the loss before each step, the gradient at the start, the parameters after 8
    /// steps (our layout, bias columns included), the final accuracy.
    static let recordedLosses: [Double] = [
            0x1.f688dc51afec3p-1, 0x1.9cdda8052f168p-1, 0x1.6faf439337ea8p-1, 0x1.58f8ba6f65c83p-1,
            0x1.46993922c5a64p-1, 0x1.326efbd5caadfp-1, 0x1.1d1bd33acdfccp-1, 0x1.089adad52647cp-1,
    ]
    static let recordedGradient: [Double] = [
            0x1.0e213c74fce73p-3, 0x1.0e89269f563d6p-2, 0x1.357973c6040e8p-7, -0x1.095c9b2bf243ap-2,
            0x1.13a84b33a89d0p-6, 0x1.77f242f9e1a18p-3, 0x1.d12321f77108cp-7, -0x1.6864b44dc2f0ep-3,
            -0x1.bbc2e9b4878a4p-4, -0x1.9079da27bc16fp-6, 0x1.0623c06c7406ep-3, 0x1.ffee235e98236p-3,
            0x1.77bcf7aebeb7cp-8, -0x1.f9a5fc642ed84p-3, -0x1.7af601789f520p-8, 0x1.6f414dd48f60fp-3,
            0x1.5299984e4a720p-3, -0x1.7435b5259f6f7p-4, -0x1.b62a68fd365a3p-3, 0x1.046d2ed5b0776p-3,
            0x1.9eff7eece78efp-3, 0x1.21f21be91b867p-4, -0x1.5170193cd7db9p-3, -0x1.4580584a01020p-3,
            -0x1.ee8b3f3ea1ff9p-6, 0x1.4e69cc1603138p-4, -0x1.516675172ff11p-3, -0x1.99d674c7e5139p-6,
            0x1.6d7c8953d0cf4p-3, -0x1.be66a7667610dp-5, 0x0.0p+0, 0x1.e4e7054cfd380p-9,
            -0x1.f7fd41dacf7d0p-8, 0x1.26b74114a3afep-4, 0x1.7ea9cf457ae80p-6, -0x1.8783901cfc9e2p-5,
            0x0.0p+0, -0x1.5d9104406afd6p-4, 0x1.61265f26066cfp-3, -0x1.808347c554d5ep-5,
            -0x1.9d51c33c802c4p-3, 0x1.a2f51bc1b9577p-4, 0x0.0p+0,
    ]
    static let recordedFinal: [Double] = [
            -0x1.e0d63f90ebf1bp-3, 0x1.e0eb65e9f483dp-5, 0x1.289d57a36e698p-1, 0x1.da79a291cc7a5p-1,
            0x1.a1eb455361b6cp-1, 0x1.97ec783996783p-2, 0x1.5cb72f01ad570p-1, 0x1.3a7f10d23f7d2p-1,
            0x1.6061f5a53febcp-3, -0x1.ba5f446e7acacp-3, -0x1.d7f924526ae6dp-2, -0x1.a027c39a53d69p-1,
            -0x1.103037fd7d014p+0, -0x1.104818caed62cp-1, -0x1.a51a045de380ap-1, -0x1.838acce535227p-1,
            -0x1.083181dc4b22ap-1, 0x1.b2923e9b91fedp-2, 0x1.51940c72906f1p-1, 0x1.7dca99d0a6beap-3,
            0x1.0f4ba3d9553e3p-1, 0x1.6d63c577706d8p-1, 0x1.ab18934bfa424p-1, 0x1.261d45b092965p-1,
            0x1.672d61c0f0c43p-1, -0x1.0e32d36286d0fp-2, 0x1.3cdd8fe1b2e9dp-4, -0x1.1ac24638a8fa8p-4,
            -0x1.f0c4465c558dep-1, -0x1.b87d2daad4266p-2, 0x0.0p+0, -0x1.6405383d2d7cdp-1,
            -0x1.5062d936ff7bbp-1, -0x1.23f1c068ce0b6p-1, 0x1.fb473a9aef060p-3, 0x1.696be0ac59104p-1,
            0x0.0p+0, 0x1.f39136d498ba8p-1, 0x1.1c4e78d5e7490p-1, 0x1.07a6b78874074p+0,
            0x1.a3c297a8e2b3cp-1, -0x1.b7a15e791cd8fp-5, 0x0.0p+0,
    ]
    static let recordedAccuracy: Double = 0x1.aaaaaaaaaaaabp-1

    /// Our side of `script`: losses, initial gradient, final parameters, final accuracy.
    static func ours() throws -> (losses: [Double], gradient: [Double], final: [Double], accuracy: Double) {
        let (n, d, h, k) = (6, 4, 5, 3)
        let x = (0..<(n * d)).map { 2 * sin(1.3 * Double($0) + 0.2) }
        var y = [Double](repeating: 0, count: n * k)
        for (i, label) in [0, 2, 1, 2, 0, 1].enumerated() { y[i * k + label] = 1 }
        let net = try Network(architecture: Architecture(inputDim: d, hiddenWidths: [h], outputDim: k, activations: ["tanh"]))
        let p = net.makeParameters(), g = net.makeParameters()
        for e in 0..<p.values.count { p.values[e] = 0.7 * sin(0.37 * Double(e) + 0.1) }
        for l in p.layout where !l.hasBias { for r in 0..<l.rows { p.values[l.offset + r * l.cols + l.fanIn] = 0 } }
        let ws = net.makeWorkspace(batchSize: n)
        let opt = Optimizer(config: .adam(lr: 0.05), parameterCount: p.values.count)
        var rng = Xoshiro256(seed: 1, stream: 4)
        var losses: [Double] = [], gradient: [Double] = []
        for step in 0..<8 {
            let loss = x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    net.lossAndGradient(x: xp, y: yp, n: n, loss: .crossEntropy, parameters: p, gradient: g,
                                        workspace: ws, training: false, rng: &rng)
                }
            }
            losses.append(loss)
            if step == 0 { gradient = Array(g.values) }
            opt.step(parameters: p.values, gradient: g.values, learningRate: 0.05)
        }
        let out = x.withUnsafeBufferPointer { Array(net.forward($0, n: n, parameters: p, workspace: ws)) }
        return (losses, gradient, Array(p.values), Accuracy.share(output: out, target: y, n: n, outputDim: k))
    }

    /// The largest |a − b| / max(|a|, |b|) (0 where both are 0).
    static func worstRelative(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
        return zip(a, b).map { $0 == $1 ? 0 : abs($0 - $1) / max(abs($0), abs($1)) }.max() ?? 0
    }

    func testMatchesRecordedPyTorch() throws {
        let o = try Self.ours()
        let worst = [Self.worstRelative(o.losses, Self.recordedLosses), Self.worstRelative(o.gradient, Self.recordedGradient),
                     Self.worstRelative(o.final, Self.recordedFinal)]
        print("cross-entropy vs recorded torch: worst relative difference losses \(worst[0]), gradient \(worst[1]), "
              + "parameters after 8 Adam steps \(worst[2])")
        XCTAssertLessThanOrEqual(worst.max()!, 1e-10)
        XCTAssertEqual(o.accuracy, Self.recordedAccuracy)
        // The loss falls: the test would notice a gradient of the wrong sign that torch's numbers happened to hide.
        XCTAssertLessThan(o.losses.last!, o.losses.first! * 0.6)
    }

    func testAgainstLivePyTorchIfAvailable() throws {
        guard let python = OptimizerTests.pythonWithTorch() else {
            throw XCTSkip("torch does not import in tools/bench/.venv, /usr/bin/python3 or python3; the recorded reference is checked instead")
        }
        let lines = try OptimizerTests.runPython(python, Self.script).split(separator: "\n")
            .map { $0.split(separator: " ").map { Double(String($0))! } }
        XCTAssertEqual(lines.count, 4)
        let o = try Self.ours()
        let worst = max(Self.worstRelative(o.losses, lines[0]), Self.worstRelative(o.gradient, lines[1]),
                        Self.worstRelative(o.final, lines[2]))
        print("cross-entropy vs live torch: worst relative difference \(worst)")
        XCTAssertLessThanOrEqual(worst, 1e-10)
        XCTAssertEqual(o.accuracy, lines[3][0])
    }
}
