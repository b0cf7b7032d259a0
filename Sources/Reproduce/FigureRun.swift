/// A run file worth drawing, and what it is (e.g. "activation=tanh lr=0.001, seed 1").
public struct FigureRun: Sendable, Codable, Equatable {
    public var label: String
    public var path: String
    public init(label: String, path: String) { self.label = label; self.path = path }
}
