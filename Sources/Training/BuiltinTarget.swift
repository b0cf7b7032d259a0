import Foundation
import Model

/// The targets of the papers' experiments. Data depends only on (target, sizes, seed): it is drawn from
/// `Xoshiro256(seed: seed, stream: 2)` in this order — the teacher's weights (teacher only), the training inputs
/// row-major, then the test inputs row-major. Grids (1-D targets) draw nothing for their training points.
public enum BuiltinTarget: String, CaseIterable, Codable, Sendable {
    /// P1 Fig. 2: y = Σ_{k=1}^5 3.5 sin(5x_k + 1), x ~ U[−4, 2]^5, 80 points.
    case sin5d
    /// P1 Fig. 3: y = Σ_{k=1}^3 4 sin(12x_k + 1), x ~ U[−4, 2]^3, 80 points.
    case sin3d
    /// P1 Fig. 5: y = sin(3x) + sin(6x)/2 at 40 evenly spaced points of [−1, 1.5].
    case sin1d
    /// The public notebook: y = 0.2 ReLU(x − 1/3) + 0.2 ReLU(−x − 1/3) at 4 evenly spaced points of [−1, 1].
    case tworelu1d
    /// Teacher–student: y = Σ_j a_j tanh(w_j · x), a teacher of width 1 with N(0, 1) weights, x ~ N(0, I_d),
    /// d = 10 by default, 100 points.
    case teacher

    public static let dataStream: UInt64 = 2

    public var defaultTrainSize: Int {
        switch self { case .sin5d, .sin3d: 80; case .sin1d: 40; case .tworelu1d: 4; case .teacher: 100 }
    }

    public var defaultTestSize: Int { 1000 }

    public var defaultInputDim: Int {
        switch self { case .sin5d: 5; case .sin3d: 3; case .sin1d, .tworelu1d: 1; case .teacher: 10 }
    }

    /// The training and test sets (the test set is nil when `nTest` is 0).
    public func generate(n: Int? = nil, nTest: Int? = nil, inputDim: Int? = nil,
                         seed: UInt64) throws -> (train: Dataset, test: Dataset?) {
        let n = n ?? defaultTrainSize, nTest = nTest ?? defaultTestSize
        guard n >= 1 else { throw TrainingError("--n-train must be ≥ 1 (got \(n))") }
        guard nTest >= 0 else { throw TrainingError("--n-test must be ≥ 0 (got \(nTest))") }
        if inputDim != nil && self != .teacher {
            throw TrainingError("--input-dim applies to the teacher target only (\(rawValue) is \(defaultInputDim)-D)")
        }
        let d = inputDim ?? defaultInputDim
        guard d >= 1 else { throw TrainingError("--input-dim must be ≥ 1 (got \(d))") }
        var rng = Xoshiro256(seed: seed, stream: Self.dataStream)
        var teacher: [Double] = []
        if self == .teacher {
            teacher = (0..<(d + 1)).map { _ in rng.nextNormal() }   // w (d entries), then a
        }
        func inputs(_ count: Int) -> [Double] {
            switch self {
            case .sin5d, .sin3d:
                return (0..<(count * d)).map { _ in -4 + 6 * rng.nextUniform() }
            case .sin1d:
                return Self.linspace(-1, 1.5, count)
            case .tworelu1d:
                return Self.linspace(-1, 1, count)
            case .teacher:
                return (0..<(count * d)).map { _ in rng.nextNormal() }
            }
        }
        func make(_ x: [Double], _ count: Int) -> Dataset {
            var y = [Double](repeating: 0, count: count)
            for i in 0..<count {
                let row = x[(i * d)..<((i + 1) * d)]
                switch self {
                case .sin5d: y[i] = row.reduce(0) { $0 + 3.5 * sin(5 * $1 + 1) }
                case .sin3d: y[i] = row.reduce(0) { $0 + 4 * sin(12 * $1 + 1) }
                case .sin1d: let t = row.first!; y[i] = sin(3 * t) + sin(6 * t) / 2
                case .tworelu1d: let t = row.first!; y[i] = 0.2 * max(t - 1.0 / 3, 0) + 0.2 * max(-t - 1.0 / 3, 0)
                case .teacher:
                    var z = 0.0
                    for (k, v) in row.enumerated() { z += teacher[k] * v }
                    y[i] = teacher[d] * tanh(z)
                }
            }
            return Dataset(x: x, y: y, n: count, inputDim: d, outputDim: 1)
        }
        let train = make(inputs(n), n)
        let test = nTest > 0 ? make(inputs(nTest), nTest) : nil
        return (train, test)
    }

    /// `count` evenly spaced points from `a` to `b` inclusive (numpy.linspace).
    static func linspace(_ a: Double, _ b: Double, _ count: Int) -> [Double] {
        if count == 1 { return [a] }
        let h = (b - a) / Double(count - 1)
        return (0..<count).map { i in i == count - 1 ? b : a + Double(i) * h }
    }
}
