/// Why `condense reproduce` drew no figures for an experiment, in one line (a warning: the tables stand).
enum FigureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The Python plotting package ran and failed; the text is its last non-empty output line.
    case plotting(String)
    /// The Python helper could not be run at all.
    case helper(String)

    var description: String {
        switch self {
        case .plotting(let line), .helper(let line): return line
        }
    }
}
