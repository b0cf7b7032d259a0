import Model

/// A Slurm memory request (`sbatch --mem`): a whole number with an optional unit K, M, G or T (Slurm's default
/// unit is megabytes; 0 asks for all of a node's memory). Checked before the script is written, like the time limit.
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
}
