import LinearAlgebra

/// A fully connected network built from an `Architecture`: the description plus its parsed
/// activations. It holds no weights (they live in `Parameters`) and no buffers (they live in a
/// `Workspace`), so one `Network` can serve several workspaces, e.g. one per thread.
///
/// With A₀ = (X, 1) the n×(d+1) ones-augmented input and W_l the (m_l × (m_{l−1}+1)) block of
/// `Parameters` (bias last):
///
///     Z_l = A_{l−1}·W_lᵀ                                  (one gemm; the ones column adds the bias)
///     H_l = σ_l(Z_l) ⊙ M_l                                (M_l: inverted-dropout mask, training only)
///     A_l = (H_l + [residual] A_{l−1}[:, :m_{l−1}], 1)    (residual only where `isResidual`)
///     Y   = (1/α)·A_L·W_outᵀ                              (no activation on the readout)
public final class Network {
    public let architecture: Architecture
    /// One activation per hidden layer.
    public let activations: [Activation]

    /// Validates `architecture` and parses its activation specs with `Activation(parsing:)`.
    public convenience init(architecture: Architecture) throws {
        try architecture.validate()
        var acts: [Activation] = []
        for (i, spec) in architecture.activations.enumerated() {
            do { acts.append(try Activation(parsing: spec)) } catch {
                throw ModelError.architecture("hidden layer \(i + 1): \(error)")
            }
        }
        try self.init(architecture: architecture, activations: acts)
    }

    /// Uses the given activations (one per hidden layer) instead of parsing the specs.
    public init(architecture: Architecture, activations: [Activation]) throws {
        try architecture.validate()
        guard activations.count == architecture.depth else {
            throw ModelError.architecture("\(activations.count) activation(s) for \(architecture.depth) hidden layer(s)")
        }
        self.architecture = architecture
        self.activations = activations
    }

    /// Zero parameters shaped for this network.
    public func makeParameters() -> Parameters { Parameters(architecture: architecture) }

    /// Buffers for batches of up to `batchSize` rows. With a `team` of more than one member, forward and backward
    /// passes on this workspace split each large layer's neurons across it (each member calls BLAS on its own
    /// block, so BLAS itself should then run on one thread); the results are the same bits for any team size.
    public func makeWorkspace(batchSize: Int, team: WorkerTeam? = nil) -> Workspace {
        Workspace(architecture: architecture, capacity: batchSize, team: team)
    }
}
