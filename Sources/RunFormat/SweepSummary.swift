/// The values of a sweep's summary file (FORMAT.md, "The sweep summary file"): one entry per run, laid out
/// row-major over the sweep's axes (the last axis fastest), per-layer values with a trailing layer index.
/// Missing runs (not done, or not analyzable) hold NaN / −1 / "" and a reason.
public struct SweepSummary: Sendable {
    /// A coordinate: numbers when every value is a number, strings otherwise.
    public enum Coordinate: Sendable, Equatable {
        case float([Double])
        case int([Int64])
        case string([String])

        public var count: Int {
            switch self {
            case .float(let v): return v.count
            case .int(let v): return v.count
            case .string(let v): return v.count
            }
        }
    }

    /// One dimension: its index coordinate, plus the other options that step along it (zipped axes).
    public struct Axis: Sendable {
        public var name: String
        public var values: Coordinate
        public var companions: [(name: String, values: Coordinate)]
        public init(name: String, values: Coordinate, companions: [(name: String, values: Coordinate)] = []) {
            self.name = name; self.values = values; self.companions = companions
        }
        public var size: Int { values.count }
    }

    /// S_w per combination of the axes other than the width and the seed.
    public struct PhaseDiagram: Sendable {
        /// Indices into `axes` of the dimensions the slopes are indexed by.
        public var axes: [Int]
        public var widthAxis: String
        public var tolerance: Double
        public var slope: [Double]
        public var slopeError: [Double]
        public var points: [Int64]
        public var regime: [String]
        public init(axes: [Int], widthAxis: String, tolerance: Double, slope: [Double], slopeError: [Double],
                    points: [Int64], regime: [String]) {
            self.axes = axes; self.widthAxis = widthAxis; self.tolerance = tolerance; self.slope = slope
            self.slopeError = slopeError; self.points = points; self.regime = regime
        }
    }

    public var name: String
    public var axes: [Axis]
    /// Hidden-layer names (`layer_1` …), the `layer` dimension.
    public var layers: [String]

    public var runID: [String]
    public var status: [String]
    public var reason: [String]
    public var finalLoss: [Double]
    /// Per run and layer (runs × layers).
    public var initialOrientations: [Int64]
    public var initialLines: [Int64]
    public var finalOrientations: [Int64]
    public var finalLines: [Int64]
    public var effectiveRatio: [Double]
    public var relativeDistance: [Double]
    public var verdict: [String]
    public var initialVerdict: [String]
    public var phaseDiagram: PhaseDiagram?

    /// Empty values (every run missing) for these axes and layers.
    public init(name: String, axes: [Axis], layers: [String]) {
        self.name = name; self.axes = axes; self.layers = layers
        let runs = axes.reduce(1) { $0 * $1.size }, cells = runs * layers.count
        runID = Array(repeating: "", count: runs); status = Array(repeating: "pending", count: runs)
        reason = Array(repeating: "", count: runs); finalLoss = Array(repeating: .nan, count: runs)
        initialOrientations = Array(repeating: -1, count: cells); initialLines = initialOrientations
        finalOrientations = initialOrientations; finalLines = initialOrientations
        effectiveRatio = Array(repeating: .nan, count: cells); relativeDistance = effectiveRatio
        verdict = Array(repeating: "", count: cells); initialVerdict = verdict
    }

    public var runCount: Int { runID.count }
}
