import ArgumentParser
import Foundation
import Model
import Training

/// Initialization of the hidden layers (β₂ in the phase diagram) and of the readout (β₁).
struct InitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Hidden-layer scheme: gaussian(std=s), uniform(bound=b), xavier_normal, xavier_uniform, he_normal, \
        he_uniform, lecun_normal, orthogonal(gain=g), zeros, rai, anti_correlated(kappa=-0.5,sigma2=…), \
        anti_correlated_rai(kappa=-0.5), lyapunov_gaussian(slope=a), lyapunov_orthogonal(slope=a) (options in \
        parentheses, e.g. he_normal(slope=0.01); the lyapunov slope should be the leaky_relu slope).
        """, valueName: "scheme"),
            completion: .list(["gaussian", "uniform", "xavier_normal", "xavier_uniform", "he_normal", "he_uniform",
                               "lecun_normal", "orthogonal", "zeros", "rai", "anti_correlated", "anti_correlated_rai",
                               "lyapunov_gaussian", "lyapunov_orthogonal"]))
    var `init`: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Hidden weights and biases ~ N(0, m^-γ): variance m^-γ, m = first hidden width.",
                               valueName: "γ"))
    var gamma: Double?

    @Option(name: .customLong("init-std"), parsing: .unconditional, help: ArgumentHelp("Hidden weights and biases ~ N(0, s²) (default: 0.005, P1's).", valueName: "s"))
    var initStd: Double?

    @Option(name: .customLong("readout-init"), help: ArgumentHelp("Readout scheme (default: the hidden one).", valueName: "scheme"))
    var readoutInit: String?

    @Option(name: .customLong("readout-gamma"), parsing: .unconditional, help: ArgumentHelp("Readout weights ~ N(0, m^-γ').", valueName: "γ'"))
    var readoutGamma: Double?

    @Option(name: .customLong("readout-std"), parsing: .unconditional, help: ArgumentHelp("Readout weights ~ N(0, s²).", valueName: "s"))
    var readoutStd: Double?

    /// What can be checked without the network's width (the defaults', or `--from`'s): one way to give each
    /// scheme, finite values, scheme names that parse.
    func validate() throws {
        for (what, name, gamma, std) in [("", self.`init`, gamma, initStd), ("readout-", readoutInit, readoutGamma, readoutStd)] {
            let stdOption = what.isEmpty ? "--init-std" : "--\(what)std"
            guard [name != nil, gamma != nil, std != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("give only one of --\(what)init, --\(what)gamma and \(stdOption)")
            }
            if let std, !(std.isFinite && std >= 0) {
                throw ValidationError("\(stdOption) must be a finite number ≥ 0 (got \(std))")
            }
            if let gamma, !gamma.isFinite { throw ValidationError("--\(what)gamma must be a finite number (got \(gamma))") }
            if let name {
                do { _ = try InitScheme(parsing: name) } catch { throw ValidationError("\(error)") }
            }
        }
    }

    func apply(to c: inout TrainingConfig) throws {
        let m = c.architecture.hiddenWidths.first ?? 1
        let hidden = try Self.scheme(name: self.`init`, gamma: gamma, std: initStd, m: m, what: "")
        if let hidden {
            c.hiddenInit = hidden
            c.readoutInit = hidden       // the papers draw every layer from the same law unless told otherwise
        }
        if let readout = try Self.scheme(name: readoutInit, gamma: readoutGamma, std: readoutStd, m: m, what: "readout-") {
            c.readoutInit = readout
        }
    }

    static func scheme(name: String?, gamma: Double?, std: Double?, m: Int, what: String) throws -> InitScheme? {
        let given = [name != nil, gamma != nil, std != nil].filter { $0 }.count
        let stdOption = what.isEmpty ? "--init-std" : "--\(what)std"
        guard given <= 1 else {
            throw UsageError.option("give only one of --\(what)init, --\(what)gamma and \(stdOption)")
        }
        if let std {
            guard std.isFinite, std >= 0 else { throw UsageError.option("\(stdOption) must be a finite number ≥ 0 (got \(std))") }
            return .gaussian(std: std)
        }
        if let gamma {
            guard gamma.isFinite else { throw UsageError.option("--\(what)gamma must be a finite number (got \(gamma))") }
            // m^(-γ/2) underflowing to 0 silently made every weight 0 (--gamma 1e308), and overflowing made them
            // infinite, so the run "diverged" (exit 3) at once (--gamma -1e308): both are bad input.
            let std = pow(Double(m), -gamma / 2)
            guard std.isNormal else {
                let low = -2 * log(Double.greatestFiniteMagnitude) / log(Double(m))
                let high = -2 * log(Double.leastNormalMagnitude) / log(Double(m))
                throw UsageError.option("--\(what)gamma \(gamma) at width m = \(m) gives the standard deviation m^(-γ/2) = \(std), "
                                 + "so every weight would be \(std < 1 ? "0 or subnormal" : "infinite"): give γ between "
                                 + String(format: "%.0f and %.0f", low.rounded(.up), high.rounded(.down))
                                 + (std < 1 ? " (for all-zero weights: --\(what)init zeros)" : ""))
            }
            return InitScheme.powerLaw(gamma: gamma, width: m)
        }
        if let name { return try InitScheme(parsing: name) }
        return nil
    }
}
