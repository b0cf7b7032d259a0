import Foundation
import Model
import RunFormat

/// The synthetic targets of the papers' experiments.
///
/// **Determinism.** The data depend only on (target, sizes, input dimension, seed):
/// - the training set is drawn from `Xoshiro256(seed: seed, stream: BuiltinTarget.dataStream)` (= 2): first the
///   teacher's weights (teacher only), then the training inputs row-major, sample by sample;
/// - the test set is drawn from `Xoshiro256(seed: seed, stream: BuiltinTarget.testStream)` (= 5), so it does not
///   change with the training size (the teacher's weights are shared).
///
/// 1-D targets use `numpy.linspace` grids for both sets and draw nothing. Other streams in use: 1 initialization,
/// 3 mini-batch shuffling, 4 dropout (see `Trainer`).
public enum BuiltinTarget: String, CaseIterable, Codable, Sendable {
    /// P1 Fig. 2: y = Σ_{k=1}^5 3.5·sin(5x_k + 1), x ~ U[−4, 2]^5 (drawn as −4 + 6u), 80 training points.
    case sin5d
    /// P1 Fig. 4(a): the low-frequency variant y = Σ_{k=1}^5 3.5·sin(2x_k + 1), x ~ U[−4, 2]^5, 80 training points
    /// (drawn exactly as `sin5d`'s, so one seed gives both targets the same inputs).
    case sin5dLow = "sin5d-low"
    /// P1 Fig. 3: y = Σ_{k=1}^3 4·sin(12x_k + 1), x ~ U[−4, 2]^3, 80 training points.
    case sin3d
    /// P1 Fig. 5: y = sin(3x) + sin(6x)/2 at 40 evenly spaced points of [−1, 1.5] (endpoints included).
    case sin1d
    /// The public notebook `condense.ipynb`: y = 0.2·ReLU(x − 1/3) + 0.2·ReLU(−x − 1/3) at 4 evenly spaced points
    /// of [−1, 1] (−1, −1/3, 1/3, 1).
    case tworelu1d
    /// Teacher–student: y = Σ_{j=1}^{m} a_j·tanh(w_j · x), no biases, w_j ∈ R^d and a_j drawn N(0, 1), inputs
    /// x ~ N(0, I_d); d = 10, m = 1 and 100 training points by default.
    case teacher

    /// The stream of the training inputs (and the teacher's weights).
    public static let dataStream: UInt64 = 2
    /// The stream of the random test inputs.
    public static let testStream: UInt64 = 5
    /// Default hidden width of the teacher network.
    public static let defaultTeacherWidth = 1

    /// Training points when `n` is not given: 80 (sin5d, sin5d-low, sin3d), 40, 4, 100.
    public var defaultTrainSize: Int {
        switch self {
        case .sin5d, .sin5dLow, .sin3d: return 80
        case .sin1d: return 40
        case .tworelu1d: return 4
        case .teacher: return 100
        }
    }

    /// Test points when `nTest` is not given: 1000 (random draws, or a linspace grid for the 1-D targets).
    public var defaultTestSize: Int { 1000 }

    /// Input dimension: 5 (sin5d, sin5d-low), 3, 1, 1, and 10 for the teacher (the only target where it can be changed).
    public var defaultInputDim: Int {
        switch self {
        case .sin5d, .sin5dLow: return 5
        case .sin3d: return 3
        case .sin1d, .tworelu1d: return 1
        case .teacher: return 10
        }
    }

    /// The interval of the 1-D grids, or of the uniform box.
    public var domain: ClosedRange<Double>? {
        switch self {
        case .sin5d, .sin5dLow, .sin3d: return -4...2
        case .sin1d: return -1...1.5
        case .tworelu1d: return -1...1
        case .teacher: return nil
        }
    }

    /// The training and test sets; the test set is nil when `nTest` is 0.
    /// Throws a one-line `TrainingError` for n < 1, nTest < 0, or an input dimension on a fixed-dimension target.
    public func generate(n: Int? = nil, nTest: Int? = nil, inputDim: Int? = nil, teacherWidth: Int? = nil,
                         seed: UInt64) throws -> (train: Dataset, test: Dataset?) {
        let n = n ?? defaultTrainSize, nTest = nTest ?? defaultTestSize
        guard n >= 1 else { throw TrainingError.option("--n-train must be ≥ 1 (got \(n))") }
        guard nTest >= 0 else { throw TrainingError.option("--n-test must be ≥ 0 (got \(nTest))") }
        if let inputDim, self != .teacher, inputDim != defaultInputDim {
            throw TrainingError.option("--input-dim applies to the teacher target only (\(rawValue) is \(defaultInputDim)-D)")
        }
        if teacherWidth != nil && self != .teacher {
            throw TrainingError.option("a teacher width applies to the teacher target only (not \(rawValue))")
        }
        let d = inputDim ?? defaultInputDim
        guard d >= 1 else { throw TrainingError.option("--input-dim must be ≥ 1 (got \(d))") }
        let width = teacherWidth ?? Self.defaultTeacherWidth
        guard width >= 1 else { throw TrainingError.option("the teacher width must be ≥ 1 (got \(width))") }

        var trainRNG = Xoshiro256(seed: seed, stream: Self.dataStream)
        var testRNG = Xoshiro256(seed: seed, stream: Self.testStream)
        let teacher = self == .teacher ? Teacher(inputDim: d, width: width, rng: &trainRNG) : nil
        let train = make(n, d, teacher, &trainRNG)
        let test = nTest > 0 ? make(nTest, d, teacher, &testRNG) : nil
        return (train, test)
    }

    /// The teacher network that `generate(…, seed:)` uses for this seed: `w` is width × d row-major, `a` has
    /// `width` entries.
    public static func teacherWeights(inputDim: Int = 10, width: Int = defaultTeacherWidth,
                                      seed: UInt64) -> (w: [Double], a: [Double]) {
        var rng = Xoshiro256(seed: seed, stream: dataStream)
        let t = Teacher(inputDim: inputDim, width: width, rng: &rng)
        return (t.w, t.a)
    }

    /// The target function at one input row (for the teacher: the teacher drawn for `seed`).
    func value(_ x: UnsafeBufferPointer<Double>, teacher: Teacher?) -> Double {
        switch self {
        case .sin5d:
            var s = 0.0
            for v in x { s += 3.5 * sin(5 * v + 1) }
            return s
        case .sin5dLow:
            var s = 0.0
            for v in x { s += 3.5 * sin(2 * v + 1) }
            return s
        case .sin3d:
            var s = 0.0
            for v in x { s += 4 * sin(12 * v + 1) }
            return s
        case .sin1d:
            return sin(3 * x[0]) + sin(6 * x[0]) / 2
        case .tworelu1d:
            return 0.2 * max(x[0] - 1.0 / 3, 0) + 0.2 * max(-x[0] - 1.0 / 3, 0)
        case .teacher:
            return teacher!.value(x)
        }
    }

    private func make(_ count: Int, _ d: Int, _ teacher: Teacher?, _ rng: inout Xoshiro256) -> Dataset {
        var x = [Double](repeating: 0, count: count * d)
        switch self {
        case .sin5d, .sin5dLow, .sin3d:
            for i in 0..<x.count { x[i] = -4 + 6 * rng.nextUniform() }
        case .sin1d, .tworelu1d:
            x = Self.linspace(domain!.lowerBound, domain!.upperBound, count)
        case .teacher:
            for i in 0..<x.count { x[i] = rng.nextNormal() }
        }
        var y = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { xs in
            for i in 0..<count {
                y[i] = value(UnsafeBufferPointer(rebasing: xs[(i * d)..<((i + 1) * d)]), teacher: teacher)
            }
        }
        return Dataset(x: x, y: y, n: count, inputDim: d, outputDim: 1)
    }

    /// `count` evenly spaced points from `a` to `b` inclusive, as `numpy.linspace`: a + i·(b − a)/(count − 1),
    /// with the last point exactly `b`.
    public static func linspace(_ a: Double, _ b: Double, _ count: Int) -> [Double] {
        if count <= 0 { return [] }
        if count == 1 { return [a] }
        let h = (b - a) / Double(count - 1)
        return (0..<count).map { i in i == count - 1 ? b : a + Double(i) * h }
    }
}

/// A two-layer tanh network without biases: f(x) = Σ_j a_j·tanh(w_j · x). Drawn w row by row, then a, all N(0, 1).
struct Teacher {
    let inputDim: Int
    let width: Int
    let w: [Double]
    let a: [Double]

    init(inputDim: Int, width: Int, rng: inout Xoshiro256) {
        self.inputDim = inputDim
        self.width = width
        var w = [Double](repeating: 0, count: width * inputDim)
        for i in 0..<w.count { w[i] = rng.nextNormal() }
        var a = [Double](repeating: 0, count: width)
        for j in 0..<width { a[j] = rng.nextNormal() }
        self.w = w
        self.a = a
    }

    func value(_ x: UnsafeBufferPointer<Double>) -> Double {
        var f = 0.0
        for j in 0..<width {
            var z = 0.0
            for k in 0..<inputDim { z += w[j * inputDim + k] * x[k] }
            f += a[j] * tanh(z)
        }
        return f
    }
}
