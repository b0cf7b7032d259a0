/// What goes wrong with a run file, in one line.
public struct RunFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
