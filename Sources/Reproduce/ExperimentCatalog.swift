/// Every experiment `condense reproduce` knows, in the order `reproduce list` and `reproduce all` use.
public enum ExperimentCatalog {
    public static let all: [Experiment] = [
        p1Fig2, p1Fig3, p1Fig4a, p1Fig4b, p1Fig5, p2Fig3, p2Fig5, growth, lyapunov, degeneracy, jnTraining, lyapunovTraining,
    ]

    public static var ids: [String] { all.map(\.id) }

    public static func experiment(_ id: String) -> Experiment? { all.first { $0.id == id } }

    /// The papers, as the tables cite them.
    static let p1 = "P1"
    static let p2 = "P2"
}
