import Model

/// A Slurm memory request (`sbatch --mem`): a whole number with an optional unit K, M, G or T (Slurm's default
/// unit is megabytes; 0 asks for all of a node's memory). Checked before the script is written, like the time limit;
/// `scaled(by:)` is a task's request for a group of runs.
public struct SlurmMemory: Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(parsing text: String) throws {
        var digits = Substring(text)
        if let unit = digits.last, "KMGTkmgt".contains(unit) { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw SweepError.option("--mem '\(TextExcerpt.of(text))' is not a Slurm memory size: use a whole number "
                             + "with an optional unit K, M, G or T (e.g. 2G or 500M)")
        }
        description = text
    }

    private init(description: String) { self.description = description }

    /// `factor` times this size in the same unit (`2G` × 4 = `8G`; `0`, all of a node's memory, stays `0`): what a
    /// Slurm array task training `factor` networks at once asks for when this is one run's memory.
    public func scaled(by factor: Int) -> SlurmMemory {
        guard factor > 1 else { return self }
        var digits = Substring(description), unit = ""
        if let last = digits.last, !last.isNumber { unit = String(last); digits = digits.dropLast() }
        // At most 12 digits: times a factor of at most a few thousand this cannot overflow.
        return SlurmMemory(description: "\(Int(digits)! * max(1, factor))" + unit)
    }
}
