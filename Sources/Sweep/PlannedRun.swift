/// One planned run: its place in the sweep's dimensions and the `condense train` arguments that make it.
public struct PlannedRun: Codable, Equatable, Sendable {
    /// Position in the manifest (row-major over the dimensions, the last one fastest): the `--index` of the run.
    public var index: Int
    /// Derived from the run's full resolved configuration (see `RunIdentity`); names its directory.
    public var id: String
    /// One position per dimension.
    public var coordinates: [Int]
    /// `condense train` arguments, without the output options the runner adds.
    public var arguments: [String]
}
