/// Preallocated buffers for one `Network` and batches of up to `capacity` rows; forward and
/// backward allocate nothing. All matrices are row-major over one owned allocation.
///
/// For hidden layer l (0-based, width m_l): `z[l]` and `derivative[l]` are n×(m_l+1) (pre-activation
/// and σ'; rows as long as the augmented rows, so that σ maps the whole block straight into
/// `augmented[l+1]`; their last column is not used), `mask[l]` n×m_l (0 or 1/(1−rate); only for layers
/// with dropout > 0).
/// `augmented[k]` is n×(width_k+1) with a last column of ones: k = 0 is the input, k = l+1 the
/// output of hidden layer l. `output` and `outputGradient` are n×outputDim.
public final class Workspace {
    public let architecture: Architecture
    /// The largest batch this workspace holds.
    public let capacity: Int
    /// Rows in the last forward pass.
    public internal(set) var batchSize: Int = 0

    private let storage: UnsafeMutableBufferPointer<Double>
    let augmented: [UnsafeMutablePointer<Double>]
    let z: [UnsafeMutablePointer<Double>]
    let derivative: [UnsafeMutablePointer<Double>]
    let mask: [UnsafeMutablePointer<Double>?]
    let output: UnsafeMutablePointer<Double>
    let outputGradient: UnsafeMutablePointer<Double>
    let delta: UnsafeMutablePointer<Double>
    let backprop: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>)
    /// Whether the last forward pass applied layer l's dropout mask (backward needs the same).
    var maskApplied: [Bool]

    init(architecture: Architecture, capacity: Int) {
        precondition(capacity >= 1, "Workspace needs a capacity of at least one row")
        self.architecture = architecture
        self.capacity = capacity
        let widths = architecture.hiddenWidths
        let maxWidth = widths.max() ?? 0
        var sizes: [Int] = []
        sizes.append(capacity * (architecture.inputDim + 1))
        for m in widths { sizes.append(capacity * (m + 1)) }          // augmented[1...L]
        for m in widths { sizes.append(capacity * (m + 1)) }          // z
        for m in widths { sizes.append(capacity * (m + 1)) }          // derivative
        for (m, rate) in zip(widths, architecture.dropout) { sizes.append(rate > 0 ? capacity * m : 0) }
        sizes += [capacity * architecture.outputDim, capacity * architecture.outputDim,
                  capacity * maxWidth, capacity * maxWidth, capacity * maxWidth]
        storage = .allocate(capacity: sizes.reduce(0, +))
        storage.initialize(repeating: 0)
        var cursor = storage.baseAddress!
        var pointers: [UnsafeMutablePointer<Double>] = []
        for s in sizes { pointers.append(cursor); cursor += s }
        let L = widths.count
        augmented = Array(pointers[0...L])
        z = Array(pointers[(L + 1)..<(2 * L + 1)])
        derivative = Array(pointers[(2 * L + 1)..<(3 * L + 1)])
        mask = (0..<L).map { architecture.dropout[$0] > 0 ? pointers[3 * L + 1 + $0] : nil }
        output = pointers[4 * L + 1]
        outputGradient = pointers[4 * L + 2]
        delta = pointers[4 * L + 3]
        backprop = (pointers[4 * L + 4], pointers[4 * L + 5])
        maskApplied = Array(repeating: false, count: L)
    }

    deinit { storage.deallocate() }

    /// The ones-augmented representation k of the last forward pass (k = 0: input, k = l+1:
    /// output of hidden layer l), batchSize × (width+1) row-major.
    public func augmentedRepresentation(_ k: Int) -> UnsafeBufferPointer<Double> {
        let width = k == 0 ? architecture.inputDim : architecture.hiddenWidths[k - 1]
        return UnsafeBufferPointer(start: augmented[k], count: batchSize * (width + 1))
    }

    /// Pre-activations of hidden layer l from the last forward pass, batchSize × m_l row-major (a copy).
    public func preActivation(_ l: Int) -> [Double] {
        let m = architecture.hiddenWidths[l]
        var values: [Double] = []
        values.reserveCapacity(batchSize * m)
        for i in 0..<batchSize { values.append(contentsOf: UnsafeBufferPointer(start: z[l] + i * (m + 1), count: m)) }
        return values
    }

    /// The network output of the last forward pass, batchSize × outputDim.
    public var lastOutput: UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: output, count: batchSize * architecture.outputDim)
    }
}
