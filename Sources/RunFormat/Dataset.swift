/// Inputs and targets of n samples, row-major: `x` is n × inputDim, `y` is n × outputDim; the run file stores a
/// data set in the same shape under `/data/train` and `/data/test`, and training (the `Training` module, which
/// adds loaders and `validate(_:)`) uses the same type. The initializers do not check the shapes.
public struct Dataset: Equatable, Sendable {
    public var x: [Double]
    public var y: [Double]
    public var n: Int
    public var inputDim: Int
    public var outputDim: Int
    /// Where the data came from (data set or files, sizes, preprocessing) as JSON text, stored as the `provenance`
    /// attribute of `/data/train` and `/data/test`; nil for generated targets.
    public var provenance: String?
    public init(x: [Double], y: [Double], n: Int, inputDim: Int, outputDim: Int) {
        self.x = x; self.y = y; self.n = n; self.inputDim = inputDim; self.outputDim = outputDim
    }
    public init(x: [Double], y: [Double], n: Int, inputDim: Int, outputDim: Int, provenance: String?) {
        self.init(x: x, y: y, n: n, inputDim: inputDim, outputDim: outputDim)
        self.provenance = provenance
    }
}
