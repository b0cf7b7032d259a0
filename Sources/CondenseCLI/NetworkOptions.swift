import ArgumentParser
import Model
import Training

/// The network: widths, activations, biases, residual connections, dropout, output scale.
struct NetworkOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Hidden-layer widths, comma-separated, e.g. 50 or 1000,1000 (default: 50).", valueName: "widths"))
    var hidden: String?

    @Option(name: .long, parsing: .unconditionalSingleValue,
            help: ArgumentHelp("""
                Activation of the hidden layers: one for all, or repeat once per layer. Built-ins: relu, \
                leaky_relu(slope), tanh, sigmoid, softplus, silu, gelu, xtanh, x2tanh, linear; or an expression in x \
                such as "x^3*tanh(x)" (default: tanh).
                """, valueName: "name"),
            completion: .list(Activation.builtinNames))
    var activation: [String] = []

    @Flag(inversion: .prefixedNo, help: "Biases in the hidden layers (default on).")
    var hiddenBias: Bool?

    @Flag(inversion: .prefixedNo, help: "A bias in the readout (default off, as in the papers).")
    var readoutBias: Bool?

    @Flag(inversion: .prefixedNo, help: "Residual connections h ← σ(Wh+b) + h between equal-width hidden layers.")
    var residual: Bool?

    @Option(parsing: .unconditional, help: ArgumentHelp("Dropout rate per hidden layer: one for all or comma-separated.", valueName: "rates"))
    var dropout: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Output scale α: f = (1/α)·W_out (h, 1) (default: 1).", valueName: "α"))
    var alpha: Double?

    /// What can be checked without the configuration the options change (the defaults, or `--from`'s): every
    /// value on its own, and the per-layer lists against --hidden when it is given.
    func validate() throws {
        do {
            let widths = try hiddenWidths()
            for spec in activation { _ = try Activation(parsing: spec) }
            let rates = try dropoutRates()
            if let depth = widths?.count { try Self.checkPerLayer(activations: activation.count, rates: rates?.count, depth: depth) }
        } catch let e as UsageError { throw ValidationError(e.description) } catch { throw ValidationError("\(error)") }
        if let alpha, !(alpha.isFinite && alpha > 0) { throw ValidationError("--alpha must be a positive number (got \(alpha))") }
    }

    /// --hidden's widths.
    func hiddenWidths() throws -> [Int]? {
        try hidden?.split(separator: ",", omittingEmptySubsequences: false).map { part -> Int in
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let w = Int(t) else { throw UsageError.option("--hidden: '\(TextExcerpt.of(t))' is not a whole number (widths like 50 or 1000,1000)") }
            guard w >= 1 else { throw UsageError.option("--hidden: widths must be ≥ 1 (got \(w))") }
            return w
        }
    }

    /// --dropout's rates.
    func dropoutRates() throws -> [Double]? {
        try dropout?.split(separator: ",").map { part -> Double in
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let r = Double(t), r >= 0, r < 1 else { throw UsageError.option("--dropout: '\(TextExcerpt.of(t))' is not a rate in [0, 1)") }
            return r
        }
    }

    /// One --activation and one --dropout rate for all hidden layers, or one per layer.
    static func checkPerLayer(activations: Int, rates: Int?, depth: Int) throws {
        if activations > 1 && activations != depth {
            throw UsageError.option("--activation given \(activations) times for \(depth) hidden layers: give one for all or one per layer")
        }
        if let rates, rates != 1 && rates != depth {
            throw UsageError.option("--dropout has \(rates) rates for \(depth) hidden layers")
        }
    }

    func apply(to c: inout TrainingConfig) throws {
        var a = c.architecture
        if let widths = try hiddenWidths() {
            if widths.count != a.hiddenWidths.count {
                // New depth: stretch per-layer lists that had one value for all.
                if Set(a.activations).count == 1, let only = a.activations.first {
                    a.activations = Array(repeating: only, count: widths.count)
                }
                if Set(a.dropout).count <= 1 {
                    a.dropout = Array(repeating: a.dropout.first ?? 0, count: widths.count)
                }
            }
            a.hiddenWidths = widths
        }
        let depth = a.hiddenWidths.count
        let rates = try dropoutRates()
        try Self.checkPerLayer(activations: activation.count, rates: rates?.count, depth: depth)
        if activation.count == 1 {
            a.activations = Array(repeating: try Activation(parsing: activation[0]).spec, count: depth)
        } else if !activation.isEmpty {
            a.activations = try activation.map { try Activation(parsing: $0).spec }
        }
        if let rates { a.dropout = rates.count == 1 ? Array(repeating: rates[0], count: depth) : rates }
        if a.dropout.count != depth { a.dropout = Array(repeating: 0, count: depth) }
        if let hiddenBias { a.hiddenBias = hiddenBias }
        if let readoutBias { a.readoutBias = readoutBias }
        if let residual { a.residual = residual }
        if let alpha { a.outputScale = alpha }
        if a.residual && !(0..<depth).contains(where: a.isResidual) {
            // Otherwise --residual would be a silent no-op.
            throw UsageError.option("--residual needs two consecutive hidden layers of the same width (got widths "
                             + "\(a.hiddenWidths.map(String.init).joined(separator: ","))), e.g. --hidden 100,100")
        }
        c.architecture = a
    }
}
