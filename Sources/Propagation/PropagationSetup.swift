import Foundation
import Model

/// What to propagate: an architecture, an activation, an initialization (drawn only through Model's `InitScheme`),
/// the input angle and the number of simulated networks.
///
/// Inputs: x_α = √n₀ e₁ and x_β = √n₀ (cos θ₀ e₁ + sin θ₀ e₂), so ‖x‖² = n₀ (mean square 1 per coordinate, as for
/// standardised data) and the angle between them is θ₀. Layer l = 1 … L is hidden layer l; the readout (the last
/// width) is part of the architecture but is not propagated (no activation follows it), and not drawn.
public struct PropagationSetup: Sendable, Equatable {
    /// n₀ (input), n₁ … n_L (hidden), n_out (readout).
    public var widths: [Int]
    /// An activation spec `Activation(parsing:)` accepts (one for every hidden layer).
    public var activation: String
    /// The weight scheme of every hidden layer.
    public var initScheme: InitScheme
    /// When set, every hidden bias is redrawn from `InitScheme.gaussian(std: biasStd)` (0: no bias); when nil the
    /// scheme's own biases are kept (gaussian and uniform draw them, the fan-scaled schemes set them to 0).
    public var biasStd: Double?
    /// θ₀ ∈ (0, π).
    public var theta0: Double
    /// Simulated networks (0: predictions only).
    public var networks: Int
    public var seed: UInt64
    /// Worker threads for the simulation (nil: all cores). Results do not depend on it.
    public var threads: Int?

    public init(widths: [Int], activation: String = "relu", initScheme: InitScheme = .heNormal(slope: 0),
                biasStd: Double? = nil, theta0: Double = Double.pi / 2, networks: Int = 0, seed: UInt64 = 1,
                threads: Int? = nil) {
        self.widths = widths
        self.activation = activation
        self.initScheme = initScheme
        self.biasStd = biasStd
        self.theta0 = theta0
        self.networks = networks
        self.seed = seed
        self.threads = threads
    }

    public var inputWidth: Int { widths.first ?? 0 }
    /// n₁ … n_L.
    public var hiddenWidths: [Int] { Array(widths.dropFirst().dropLast()) }
    public var depth: Int { max(0, widths.count - 2) }

    /// The Model architecture the networks are drawn for (hidden biases on; the readout has none).
    public var architecture: Architecture {
        Architecture(inputDim: widths.first ?? 0, hiddenWidths: hiddenWidths, outputDim: widths.last ?? 0,
                     activations: Array(repeating: activation, count: depth))
    }

    /// Checks every parameter; the error is one line.
    public func validate() throws {
        func fail(_ s: String) -> PropagationError { .setup(s) }
        guard widths.count >= 3 else {
            throw fail("widths must list input, at least one hidden layer and output (e.g. 784,100,10); got \(widths.count) value(s)")
        }
        if let w = widths.first(where: { $0 < 1 }) { throw fail("every width must be ≥ 1, got \(w)") }
        guard widths[0] >= 2 else { throw fail("the input width must be ≥ 2 to hold two signals at an angle, got \(widths[0])") }
        guard theta0 > 0 && theta0 < Double.pi else { throw fail("θ₀ must be in (0, π), got \(theta0)") }
        guard networks >= 0 else { throw fail("the number of simulated networks must be ≥ 0, got \(networks)") }
        if let b = biasStd, !(b.isFinite && b >= 0) { throw fail("bias std must be ≥ 0 and finite, got \(b)") }
        if let t = threads, t < 1 { throw fail("threads must be ≥ 1, got \(t)") }
        _ = try Activation(parsing: activation)
        try architecture.validate()
        let bytes = estimatedBytes, memory = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= memory else {
            let gib = { (b: Double) in String(format: "%.1f GiB", b / Double(1 << 30)) }
            throw fail("this needs about \(gib(bytes)) of memory (per simulated network and layer, the weights of "
                       + "each worker), more than the \(gib(memory)) this machine has: simulate fewer networks or "
                       + "narrower or fewer layers")
        }
    }

    /// Bytes the prediction and the simulation hold: every network's values per layer, and each worker's weights
    /// and signals. In floating point, since absurd widths or counts overflow `Int`.
    public var estimatedBytes: Double {
        let layers = Double(depth + 1), quantities = Double(PropagationQuantity.allCases.count)
        let prediction = 2 * Double(PredictionModel.allCases.count) * layers * quantities
        guard networks > 0 else { return 8 * prediction }
        var weights = 0.0
        for l in 1..<widths.count { weights += Double(widths[l]) * (Double(widths[l - 1]) + 1) }
        let scratch = biasStd == nil ? 0 : hiddenWidths.reduce(0.0) { $0 + 3 * Double($1) }
        let workers = Double(max(1, min(networks, threads ?? ProcessInfo.processInfo.activeProcessorCount)))
        let perWorker = weights + scratch + 4 * Double(widths.dropLast().max() ?? 0)
        return 8 * (prediction + Double(networks) * layers * quantities + workers * perWorker)
    }
}
