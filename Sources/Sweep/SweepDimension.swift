/// One dimension of a sweep: a grid axis (one option), a group of zipped options that step together, or the
/// seeds. Position k of the dimension sets every option in `options` to its k-th value.
public struct SweepDimension: Codable, Equatable, Sendable {
    public var name: String
    public var options: [String]
    /// values[o][k]: option `options[o]` at position k.
    public var values: [[SweepValue]]

    public var size: Int { values.first?.count ?? 0 }

    public init(name: String, options: [String], values: [[SweepValue]]) {
        self.name = name; self.options = options; self.values = values
    }
}
