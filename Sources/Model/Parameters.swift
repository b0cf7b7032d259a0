import LinearAlgebra

/// All weights of a network (or a gradient / optimizer moment with the same shape) in ONE
/// contiguous flat `Double` vector, so that optimizers work on a single vector.
///
/// Layout: blocks for hidden layers 1…L, then the readout, back to back (`layout[l].offset`).
/// Block l is `(fanOut, fanIn + 1)` row-major with the bias in the last column; the network
/// augments each layer's input with a column of ones, so `Z = A_aug·Wᵀ` is one gemm and the
/// weight gradient `δᵀ·A_aug` includes the bias gradient.
public final class Parameters {
    public let architecture: Architecture
    public let layout: [LayerLayout]
    /// The flat storage, owned by this object (valid for its lifetime).
    public let values: UnsafeMutableBufferPointer<Double>

    /// All-zero parameters for `architecture` (not validated here; `Network` validates).
    public convenience init(architecture: Architecture) {
        self.init(architecture: architecture, pageAlignedLayer: nil)
    }

    /// All-zero parameters whose block of layer `pageAlignedLayer` starts on a page boundary (4096 bytes) in
    /// memory, so that direct I/O writes it from where it is, without a copy (the snapshot slots use it for their
    /// largest layer). The flat layout is the same.
    public init(architecture: Architecture, pageAlignedLayer: Int?) {
        self.architecture = architecture
        var layout: [LayerLayout] = []
        var offset = 0
        for l in 0..<architecture.layerCount {
            let block = LayerLayout(offset: offset, rows: architecture.fanOut(layer: l),
                                    cols: architecture.fanIn(layer: l) + 1,
                                    hasBias: architecture.hasBias(layer: l))
            layout.append(block)
            offset += block.count
        }
        self.layout = layout
        let perPage = Self.pageBytes / MemoryLayout<Double>.size
        let shift = pageAlignedLayer.map { (perPage - layout[$0].offset % perPage) % perPage } ?? 0
        allocation = HugePageMemory.allocate(byteCount: max(1, offset + shift) * MemoryLayout<Double>.size,
                                             alignment: pageAlignedLayer == nil ? MemoryLayout<Double>.alignment
                                                                                : Self.pageBytes)
        values = UnsafeMutableBufferPointer(start: allocation.bindMemory(to: Double.self, capacity: offset + shift) + shift,
                                            count: offset)
        values.initialize(repeating: 0)
    }

    private static let pageBytes = 4096
    /// What `values` lives in (it may start a little after it, see `init(architecture:pageAlignedLayer:)`).
    private let allocation: UnsafeMutableRawPointer

    deinit { allocation.deallocate() }

    /// Number of scalars in the flat vector.
    public var count: Int { values.count }

    /// A deep copy.
    public func copy() -> Parameters {
        let p = Parameters(architecture: architecture)
        _ = p.values.update(fromContentsOf: values)
        return p
    }

    /// Overwrites every value from `other` (same architecture).
    public func assign(from other: Parameters) {
        precondition(other.layout == layout, "Parameters.assign: layouts differ")
        _ = values.update(fromContentsOf: other.values)
    }

    /// The flat vector as an array (allocates).
    public var array: [Double] {
        get { Array(values) }
        set {
            precondition(newValue.count == count, "Parameters.array: \(newValue.count) values for \(count)")
            _ = values.update(fromContentsOf: newValue)
        }
    }

    /// Sets every value to `value`.
    public func fill(_ value: Double) { values.update(repeating: value) }

    /// Pointer to element (0, 0) of block `layer`.
    public func pointer(layer: Int) -> UnsafeMutablePointer<Double> {
        values.baseAddress! + layout[layer].offset
    }

    /// Block `layer` as a buffer (rows·cols values).
    public func block(layer: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: values[layout[layer].range])
    }

    /// Block `layer` as a `Matrix` copy (fanOut × (fanIn+1), bias last).
    public func matrix(layer: Int) -> Matrix {
        Matrix(rows: layout[layer].rows, cols: layout[layer].cols, elements: Array(block(layer: layer)))
    }

    /// Overwrites block `layer` from a matrix of its shape.
    public func setMatrix(_ m: Matrix, layer: Int) {
        precondition(m.rows == layout[layer].rows && m.cols == layout[layer].cols,
                     "setMatrix: \(m.rows)×\(m.cols) for block \(layout[layer].rows)×\(layout[layer].cols)")
        _ = block(layer: layer).update(fromContentsOf: m.elements)
    }

    /// Element (row, col) of block `layer`; col == fanIn is the bias.
    public subscript(layer: Int, row: Int, col: Int) -> Double {
        get { values[layout[layer].offset + row * layout[layer].cols + col] }
        set { values[layout[layer].offset + row * layout[layer].cols + col] = newValue }
    }

    /// Zeroes the bias column of every block whose bias is disabled (call after any update that
    /// could have touched it; `Network.backward` already zeroes those gradient entries).
    public func zeroDisabledBiases() {
        for block in layout where !block.hasBias {
            for r in 0..<block.rows { values[block.offset + r * block.cols + block.cols - 1] = 0 }
        }
    }
}
