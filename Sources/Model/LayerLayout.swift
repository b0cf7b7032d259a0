import LinearAlgebra

/// Where one weight block lives in the flat parameter vector.
///
/// The block is `rows × cols` row-major with `rows` = fanOut and `cols` = fanIn + 1: row j is
/// neuron j's input weight (w̄_j, b_j), **bias in the last column**.
public struct LayerLayout: Equatable, Sendable {
    /// Index of element (0, 0) in the flat vector.
    public let offset: Int
    /// fanOut: neurons computed by this block.
    public let rows: Int
    /// fanIn + 1: incoming weights plus the bias column.
    public let cols: Int
    /// Whether the bias column is trainable; when false it stays exactly 0.
    public let hasBias: Bool

    public var fanIn: Int { cols - 1 }
    public var count: Int { rows * cols }
    /// The flat index range of the block.
    public var range: Range<Int> { offset..<(offset + count) }
}
