import ArgumentParser
import Foundation
import Model
import Propagation
import RunFormat
import Theory

/// `condense propagate`: signal propagation through deep random networks, predicted and simulated.
struct PropagateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propagate",
        abstract: "Predict signal propagation through deep random networks (mean field, finite-width angle law, Lyapunov) and check it against simulation.",
        discussion: """
        Two inputs at angle θ₀ (x_α = √n₀ e₁, x_β = √n₀ (cos θ₀ e₁ + sin θ₀ e₂)) go through the hidden layers of \
        random networks drawn from --init. Per layer: log‖x_l‖, the pre-activation correlation c (what the mean-field \
        map iterates), the post-activation angle θ and ln sin²θ, and q = ‖h_l‖²/n_l. Predictions: finite_width (the \
        §C.2 angle law as a density, and the exact E[q]), linearised (§C.3), infinite_width (arc-cosine map), \
        mean_field (§A.2 with κ and bias), lyapunov (λ and CLT variance of log‖x_l‖, leaky ReLU). With --simulate N \
        each prediction is shown next to the simulated mean ± standard error and its z-score. (§: sections of \
        docs/theory.md.)

        Presets: --preset degeneracy (predicted ln sin²θ at the last hidden layer of 85x2 … 50x50, 784 in, 10 out; \
        finite vs infinite width, and the notebook's Algorithm 1), --preset 100x10 (one of them, full tables), \
        --preset anti-correlated (κ sweep at σ_w² = 2π/(π+κ)), --preset lyapunov (deep narrow leaky ReLU).
        """)

    @OptionGroup var options: PropagateOptions

    func run() throws {
        try options.validateCommon()
        let commandLine = CommandLine.arguments.map(TrainCommand.shellQuote).joined(separator: " ")
        if let out = options.output { try TrainCommand.checkOutput(out, force: options.force) }
        switch options.preset?.lowercased() {
        case "degeneracy":
            try degeneracyPreset()
        case "anti-correlated", "anti_correlated", "anticorrelated":
            try antiCorrelatedPreset()
        case "lyapunov":
            try lyapunovPreset()
        case let name?:
            guard let a = PropagateOptions.degeneracyArchitectures.first(where: { $0.name == name }) else {
                let names = PropagateOptions.degeneracyArchitectures.map(\.name).joined(separator: ", ")
                throw UsageError.option("unknown preset '\(TextExcerpt.of(name))'; known: degeneracy, anti-correlated, lyapunov, \(names)")
            }
            try single(options.setup(widths: options.resolvedWidths(preset: (a.width, a.depth))), commandLine: commandLine)
        case nil:
            try single(options.setup(widths: options.resolvedWidths()), commandLine: commandLine)
        }
    }

    /// One setup: predictions (and the comparison), as tables or JSON, and the file.
    func single(_ setup: PropagationSetup, commandLine: String) throws {
        let prediction = try PropagationPrediction(setup: setup, densityPoints: options.densityPoints)
        let simulation = setup.networks > 0 ? try PropagationSimulator.run(setup) : nil
        if let out = options.output {
            let record = PropagationRecord(setup: setup, prediction: prediction, simulation: simulation, commandLine: commandLine)
            try PropagationFile.write(record, to: out, overwrite: options.force)
        }
        if options.json {
            print(Self.json(setup: setup, prediction: prediction, simulation: simulation))
        } else {
            print(Self.table(setup: setup, prediction: prediction, simulation: simulation), terminator: "")
            if let out = options.output { print("propagation file written: \(out)") }
        }
    }
}
