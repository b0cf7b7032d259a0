import ArgumentParser
import Foundation
import Model
import Propagation

/// `condense propagate`'s options and how they resolve into a `PropagationSetup`.
struct PropagateOptions: ParsableArguments {
    @Option(help: "Every width: input, hidden…, output, e.g. 784,100,100,10.")
    var widths: String?

    @Option(parsing: .unconditional, help: "Hidden width, with --depth (and --input-width, --output-width), instead of --widths.")
    var hidden: Int?

    @Option(parsing: .unconditional, help: "Number of hidden layers, with --hidden.")
    var depth: Int?

    @Option(parsing: .unconditional, help: "Input width with --hidden/--depth (default 784).")
    var inputWidth: Int = 784

    @Option(parsing: .unconditional, help: "Output width with --hidden/--depth (default 10).")
    var outputWidth: Int = 10

    @Option(help: "A named setting: degeneracy (the degeneracy paper's six architectures), one of 85x2, 100x10, 30x15, 15x30, 75x35, 50x50 (784-…-10), anti-correlated (κ sweep at σ_w² = 2π/(π+κ)), lyapunov (deep narrow leaky ReLU).")
    var preset: String?

    @Option(help: "Activation of every hidden layer: relu (default; leaky_relu(0.1) for --preset lyapunov), leaky_relu(α), linear, or any other condense activation (simulation only).")
    var activation: String?

    /// The activation spec, with the preset's default.
    var activationSpec: String { activation ?? (preset?.lowercased() == "lyapunov" ? "leaky_relu(0.1)" : "relu") }

    @Option(name: .customLong("init"), help: "Weight scheme (Model's registry), e.g. he_normal, orthogonal(gain=1.4), anti_correlated(kappa=-0.5). Default: he_normal(slope=α) for leaky ReLU, he_normal otherwise.")
    var initSpec: String?

    @Option(parsing: .unconditional, help: "Within-row weight correlation κ ≥ −1: draws with anti_correlated(kappa=κ) (instead of --init); --kappa -0.5 and --kappa=-0.5 both work.")
    var kappa: Double?

    @Option(parsing: .unconditional, help: "Redraw every hidden bias from N(0, s²) (0 turns biases off; default: the scheme's own biases).")
    var biasStd: Double?

    @Option(parsing: .unconditional, help: "Angle θ₀ between the two inputs, in (0, π) (default π/2).")
    var theta0: Double = Double.pi / 2

    @Option(parsing: .unconditional, help: "Simulate N random networks and compare (default 0: predictions only).")
    var simulate: Int = 0

    @Option(parsing: .unconditional, help: "Seed of the simulated networks (network k uses stream 16 + k).")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Worker threads for the simulation (default: all cores; results do not depend on it).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Density grid cells per 15 units of ln sin²θ (default 601).")
    var densityPoints: Int = 601

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(name: [.short, .long], help: "Write the propagation file (FORMAT.md) to this path.")
    var output: String?

    @Flag(help: "Overwrite the -o file if it exists.")
    var force = false

    /// The paper's example architectures (hidden width × depth; input 784, output 10).
    static let degeneracyArchitectures: [(name: String, width: Int, depth: Int)] = [
        ("85x2", 85, 2), ("100x10", 100, 10), ("30x15", 30, 15), ("15x30", 15, 30), ("75x35", 75, 35), ("50x50", 50, 50),
    ]

    func validateCommon() throws {
        if let k = kappa, !(k.isFinite && k >= -1) { throw UsageError.option("--kappa must be ≥ −1 (κ = −1 makes every row sum to 0), got \(k)") }
        guard theta0 > 0 && theta0 < Double.pi else { throw UsageError.option("--theta0 must be in (0, π), got \(theta0)") }
        guard simulate >= 0 else { throw UsageError.option("--simulate must be ≥ 0, got \(simulate)") }
        if let b = biasStd, !(b.isFinite && b >= 0) { throw UsageError.option("--bias-std must be ≥ 0, got \(b)") }
        if let threads { try WorkerCount.check(threads, option: "--threads") }
        guard densityPoints >= 20 && densityPoints <= 100_000 else { throw UsageError.option("--density-points must be 20…100000, got \(densityPoints)") }
        if kappa != nil && initSpec != nil { throw UsageError.option("give either --kappa or --init, not both (--init anti_correlated(kappa=K) says both)") }
        if let a = leakySlopeIfLeaky(), !(a > 0 && a <= 1) && activationIsLeaky {
            throw UsageError.option("leaky_relu slope α must be in (0, 1], got \(a)")
        }
    }

    var activationIsLeaky: Bool { activationSpec.lowercased().replacingOccurrences(of: " ", with: "").hasPrefix("leaky") }

    /// The slope written in a leaky_relu spec, whatever its value (for the range check).
    func leakySlopeIfLeaky() -> Double? {
        guard activationIsLeaky else { return nil }
        guard let a = try? Activation(parsing: activationSpec) else { return nil }
        let s = a.spec
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else { return nil }
        return Double(s[s.index(after: open)..<s.index(before: s.endIndex)])
    }

    /// The deepest network `--depth` asks for (its widths are listed before anything else is checked).
    static let maximumDepth = 1_000_000

    /// The widths from --widths, --hidden/--depth or an architecture preset.
    func resolvedWidths(preset architecture: (width: Int, depth: Int)? = nil) throws -> [Int] {
        if let a = architecture {
            if widths != nil || hidden != nil || depth != nil { throw UsageError.option("--preset \(preset ?? "") sets the widths; drop --widths/--hidden/--depth") }
            return [784] + Array(repeating: a.width, count: a.depth) + [10]
        }
        if let text = widths {
            if hidden != nil || depth != nil { throw UsageError.option("give either --widths or --hidden/--depth, not both") }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var out: [Int] = []
            for p in parts {
                guard let v = Int(p) else { throw UsageError.option("--widths: '\(TextExcerpt.of(p))' is not an integer (write e.g. 784,100,100,10)") }
                guard v >= 1 else { throw UsageError.option("--widths: every width must be ≥ 1, got \(v)") }
                out.append(v)
            }
            guard out.count >= 3 else { throw UsageError.option("--widths needs input, at least one hidden width and output (e.g. 784,100,10)") }
            return out
        }
        guard let h = hidden, let d = depth else {
            if hidden != nil || depth != nil { throw UsageError.option("--hidden and --depth go together") }
            throw UsageError.option("give --widths, --hidden with --depth, or --preset")
        }
        guard h >= 1 else { throw UsageError.option("--hidden must be ≥ 1, got \(h)") }
        guard d >= 1 else { throw UsageError.option("--depth must be ≥ 1 (zero depth has no hidden layer to propagate through), got \(d)") }
        guard d <= Self.maximumDepth else {
            throw UsageError.option("--depth must be at most \(Self.maximumDepth), got \(d)")
        }
        guard inputWidth >= 1, outputWidth >= 1 else { throw UsageError.option("--input-width and --output-width must be ≥ 1") }
        return [inputWidth] + Array(repeating: h, count: d) + [outputWidth]
    }

    /// The weight scheme: --kappa → anti_correlated(kappa=κ); --init; else He matched to the activation.
    func resolvedScheme() throws -> InitScheme {
        if let k = kappa { return try InitScheme(parsing: "anti_correlated(kappa=\(k))") }
        if let s = initSpec { return try InitScheme(parsing: s) }
        return .heNormal(slope: leakySlope(ofActivation: activationSpec) ?? 0)
    }

    func setup(widths: [Int], scheme: InitScheme? = nil, activation: String? = nil) throws -> PropagationSetup {
        let s = PropagationSetup(widths: widths, activation: activation ?? activationSpec,
                                 initScheme: try scheme ?? resolvedScheme(), biasStd: biasStd, theta0: theta0,
                                 networks: simulate, seed: seed, threads: threads)
        do { try s.validate() } catch let e as PropagationError { throw UsageError.option(e.description) }
        return s
    }
}
