import LinearAlgebra

/// Preallocated buffers for one `Network` and batches of up to `capacity` rows; forward and
/// backward allocate nothing. All matrices are row-major over one owned allocation.
///
/// For hidden layer l (0-based, width m_l): `z[l]` and `derivative[l]` are n×(m_l+1) (pre-activation
/// and σ'; rows as long as the augmented rows, so that σ maps the whole block straight into
/// `augmented[l+1]`; their last column is not used), `mask[l]` n×m_l (0 or 1/(1−rate); only for layers
/// with dropout > 0).
/// `augmented[k]` is n×(width_k+1) with a last column of ones: k = 0 is the input, k = l+1 the
/// output of hidden layer l. `output` and `outputGradient` are n×outputDim.
///
/// Small layers with a short inner dimension (`ownKernel[l]`: fanIn_l+1 ≤ `kernelInnerLimit`) get `panel[l]`,
/// scratch for the packed weights of `SmallProducts`, which computes their forward product and weight gradient.
/// Other small layers (`smallProduct[l]`: capacity·m_l·(fanIn_l+1) ≤ `smallProductLimit`) get `transposed[l]`,
/// (fanIn_l+1)×m_l: forward puts W_lᵀ there and backward ∂W_lᵀ (see `Network.forward`).
public final class Workspace: @unchecked Sendable {
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
    /// The threads that share each large layer's products and activations (nil: the calling thread alone).
    public let team: WorkerTeam?
    /// Whether hidden layer l's forward product and weight gradient are `SmallProducts`' register-blocked kernels
    /// rather than BLAS calls (see `kernelInnerLimit`).
    let ownKernel: [Bool]
    /// Per `ownKernel` layer, scratch of (fanIn+1)·m rounded up to whole panels of 8 neurons: a block of neurons
    /// starting at neuron lo packs its weights at offset lo·(fanIn+1) (blocks start 16 neurons apart at least, so
    /// blocks that run at once on a team never share it); nil otherwise.
    let panel: [UnsafeMutablePointer<Double>?]
    /// Whether hidden layer l (not an `ownKernel` one) has products small enough for OpenBLAS's small-matrix
    /// kernels, which take the forward product as A·(Wᵀ) from a transposed copy and the weight gradient as
    /// (∂W)ᵀ = Aᵀ·δ.
    let smallProduct: [Bool]
    /// Per small hidden layer, a (fanIn+1)×m buffer for Wᵀ (forward) and then ∂Wᵀ (backward); nil otherwise.
    let transposed: [UnsafeMutablePointer<Double>?]

    /// The largest n·m·(fanIn+1) for which `smallProduct` holds: OpenBLAS 0.3's limit (100³) for its
    /// small-matrix kernels, which skip packing and, for β = 0, the clearing pass. Below it the transposed forms
    /// A·(Wᵀ) and Aᵀ·δ are the ones those kernels accept (they refuse A·Wᵀ from W for K < 32), and they are
    /// faster than A·Wᵀ and δᵀ·A even counting the transposed copy (`tools/bench/results.md`).
    static let smallProductLimit = 1_000_000

    /// The largest inner dimension fanIn+1 for which a small layer (capacity·m·(fanIn+1) ≤ `smallProductLimit`) has
    /// its forward product and weight gradient computed by `SmallProducts`' kernels. Such a product is a few
    /// multiply–adds per entry, where a BLAS call spends more on packing its operands, clearing C and the transposed
    /// copies than on arithmetic; the kernels keep a tile of C in registers and stream the inner dimension. Measured
    /// against both BLAS forms, they win clearly up to this inner dimension and draw level by about twice it; above
    /// `smallProductLimit` their weight gradient, which streams all n rows once per 8 neurons, falls behind on large
    /// batches (`tools/bench/results.md`). Like `smallProduct`, the choice depends on the architecture and the
    /// capacity only, never on the team or the batch of a pass, so a workspace gives the same bits on any team.
    static let kernelInnerLimit = 16

    /// `ownKernels: false` keeps every layer on BLAS (tests compare the two paths).
    init(architecture: Architecture, capacity: Int, team: WorkerTeam?, ownKernels: Bool = true) {
        precondition(capacity >= 1, "Workspace needs a capacity of at least one row")
        self.architecture = architecture
        self.capacity = capacity
        self.team = team.flatMap { $0.size > 1 ? $0 : nil }
        let widths = architecture.hiddenWidths
        let maxWidth = widths.max() ?? 0
        var sizes: [Int] = []
        sizes.append(capacity * (architecture.inputDim + 1))
        for m in widths { sizes.append(capacity * (m + 1)) }          // augmented[1...L]
        for m in widths { sizes.append(capacity * (m + 1)) }          // z
        for m in widths { sizes.append(capacity * (m + 1)) }          // derivative
        for (m, rate) in zip(widths, architecture.dropout) { sizes.append(rate > 0 ? capacity * m : 0) }
        // δ has room for 8 more neurons than the widest layer: `SmallProducts`' weight gradient takes a panel of 8·n
        // doubles there (see `Network.backward`).
        let lanes = SmallProducts.lanes
        let deltaWidth = maxWidth + lanes
        sizes += [capacity * architecture.outputDim, capacity * architecture.outputDim,
                  capacity * deltaWidth, capacity * maxWidth, capacity * maxWidth]
        let fanIns = [architecture.inputDim] + widths.dropLast()
        let own = zip(widths, fanIns).map { m, d in
            ownKernels && d + 1 <= Self.kernelInnerLimit && capacity * m * (d + 1) <= Self.smallProductLimit
        }
        let small = zip(widths, fanIns).enumerated().map { l, layer in
            !own[l] && capacity * layer.0 * (layer.1 + 1) <= Self.smallProductLimit
        }
        for (l, m) in widths.enumerated() { sizes.append(small[l] ? (fanIns[l] + 1) * m : 0) }
        for (l, m) in widths.enumerated() {
            sizes.append(own[l] ? SmallProducts.panelCount(m: m, k: fanIns[l] + 1) : 0)
        }
        storage = HugePageMemory.zeroedDoubles(sizes.reduce(0, +))
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
        smallProduct = small
        transposed = (0..<L).map { small[$0] ? pointers[4 * L + 6 + $0] : nil }
        ownKernel = own
        panel = (0..<L).map { own[$0] ? pointers[5 * L + 6 + $0] : nil }
    }

    deinit { storage.deallocate() }

    /// Hidden layers whose products have at least this many multiply–adds (n·m·(fanIn+1)) are computed in blocks of
    /// neurons that the team shares; smaller ones in one piece by the calling thread (there the join would cost
    /// more than a second thread saves).
    static let blockWorkThreshold = 1 << 18

    /// The widest block of neurons, and the multiple every block width is rounded up to.
    static let blockWidth = 512, blockAlignment = 16

    /// The neuron blocks of hidden layer l for a batch of n rows: one block for a small layer, else an even number
    /// of blocks of at most `blockWidth` neurons (a multiple of `blockAlignment`; the last one takes the rest).
    ///
    /// The blocks depend on the layer and the batch, never on the team: each block is its own BLAS call whoever
    /// runs it, so a run gives the same bits on any number of threads.
    func blocks(layer l: Int, rows n: Int) -> NeuronBlocks { Self.blocks(architecture, layer: l, rows: n) }

    /// Whether some hidden layer of `architecture` is cut into blocks for a batch of `n` rows, i.e. whether a
    /// `WorkerTeam` would share any product of a forward or backward pass over such a batch.
    public static func sharesWork(_ architecture: Architecture, rows n: Int) -> Bool {
        architecture.hiddenWidths.indices.contains { blocks(architecture, layer: $0, rows: n).count > 1 }
    }

    static func blocks(_ architecture: Architecture, layer l: Int, rows n: Int) -> NeuronBlocks {
        let m = architecture.hiddenWidths[l]
        let fanIn = l == 0 ? architecture.inputDim : architecture.hiddenWidths[l - 1]
        guard n * m * (fanIn + 1) >= Self.blockWorkThreshold, m > Self.blockAlignment else {
            return NeuronBlocks(neurons: m, width: m)
        }
        var count = (m + Self.blockWidth - 1) / Self.blockWidth
        count += count % 2
        let a = Self.blockAlignment
        return NeuronBlocks(neurons: m, width: ((m + count - 1) / count + a - 1) / a * a)
    }

    /// Runs `body` on every block, the team sharing them out in contiguous runs (one block: on this thread).
    ///
    /// `perNeuron` is the product's multiply–adds per neuron (rows × inner dimension). Without a team (and with
    /// OpenBLAS on one thread), a layer cut into blocks whose every product exceeds `smallProductLimit` runs as one
    /// product instead: each block's product packs the whole shared operand again for only its own columns, which
    /// on one thread costs more than it saves for a narrow layer on a wide input (784-30-1 on 128 rows:
    /// `tools/bench/results.md`). That is the same bits: OpenBLAS's blocked kernel, on one thread, sums every entry
    /// of C over the inner dimension in the same order however the columns are cut (`WorkspaceStagingTests`); only
    /// its small-matrix kernels, which a block at or below the limit may take, round differently, so such layers
    /// keep their blocks (see `runsAsOneProduct`).
    func forEach(_ blocks: NeuronBlocks, perNeuron: Int, _ body: (Range<Int>) -> Void) {
        guard blocks.count > 1, let team else {
            if runsAsOneProduct(blocks, perNeuron: perNeuron) {
                body(0..<blocks.neurons)
                return
            }
            for b in 0..<blocks.count { body(blocks[b]) }
            return
        }
        team.run { member in
            for b in WorkerTeam.share(of: blocks.count, member: member, of: team.size) { body(blocks[b]) }
        }
    }

    /// How many rows ahead `stageInput` asks for the lines of the rows it will copy.
    static let stageLead = 1

    /// Rows that `stageInput` put in place for `Network.forward(stagedRows:…)` (0: none, or overwritten since).
    public internal(set) var stagedRows = 0

    /// Gathers the rows `rows` of the row-major data `x` (rows of inputDim values), in order, straight into the input
    /// rows of the next pass, ones column included: `Network.forward(stagedRows:…)` and
    /// `Network.lossAndGradient(stagedRows:…)` then start from them. A shuffled mini-batch is thus copied once, not
    /// gathered into an array and copied in again (`tools/bench/results.md`). No allocation.
    public func stageInput<Rows: Collection<Int>>(rows: Rows, of x: UnsafeBufferPointer<Double>) {
        let n = rows.count, d = architecture.inputDim
        precondition(n >= 1 && n <= capacity, "stageInput: \(n) rows for a workspace of \(capacity)")
        guard let source = x.baseAddress else { preconditionFailure("stageInput: no data") }
        // Rows of a large data set come from memory, at addresses the hardware prefetcher cannot guess: the lines
        // of the row `stageLead` rows ahead are asked for while this one is copied (one ahead did better than three).
        func prefetch(_ f: Int) {
            guard f >= 0 && (f + 1) * d <= x.count else { return }
            let row = source + f * d
            for k in stride(from: 0, to: d, by: 8) { Prefetch.forReading(row + k) }
        }
        var ahead = rows.makeIterator()
        for _ in 0..<Self.stageLead { if let f = ahead.next() { prefetch(f) } }
        var target = augmented[0]
        for r in rows {
            precondition(r >= 0 && (r + 1) * d <= x.count, "stageInput: row \(r) is not in the data")
            if let f = ahead.next() { prefetch(f) }
            target.update(from: source + r * d, count: d)
            target[d] = 1
            target += d + 1
        }
        stagedRows = n
    }

    /// Whether `forEach` runs `blocks` (products of `perNeuron` multiply–adds per neuron) as one product: on a
    /// workspace without a team, with OpenBLAS on one thread (as `condense train` sets it), when every block's
    /// product is above `smallProductLimit`. OpenBLAS's own threads split a product by its shape, and then the
    /// bits do depend on the cut (on two, 1374 of the 23 550 entries of 784-30-1's weight gradient differ).
    func runsAsOneProduct(_ blocks: NeuronBlocks, perNeuron: Int) -> Bool {
        team == nil && blocks.count > 1 && blocks.narrowest * perNeuron > Self.smallProductLimit && BLAS.threads == 1
    }

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

/// A layer's neurons `0..<neurons` cut into consecutive blocks of `width` (the last one takes the rest).
struct NeuronBlocks {
    let neurons: Int, width: Int
    var count: Int { (neurons + width - 1) / width }
    /// The width of the narrowest block (the last).
    var narrowest: Int { neurons - (count - 1) * width }
    subscript(b: Int) -> Range<Int> { (b * width)..<min(neurons, (b + 1) * width) }
}
