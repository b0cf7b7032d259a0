/// A dense row-major matrix of `Double` over one contiguous array: element (i, j) is
/// `elements[i * cols + j]`. A convenience value type for setup code, analysis and tests; the
/// training hot path works on raw buffers through `BLAS`.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    public var elements: [Double]

    /// A rows×cols matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix: negative dimension")
        self.rows = rows
        self.cols = cols
        self.elements = Array(repeating: value, count: rows * cols)
    }

    /// A rows×cols matrix over `elements` in row-major order (`elements.count == rows * cols`).
    public init(rows: Int, cols: Int, elements: [Double]) {
        precondition(rows >= 0 && cols >= 0 && elements.count == rows * cols,
                     "Matrix: \(elements.count) elements do not fill \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// A rows×cols matrix with element (i, j) = `entry(i, j)`.
    public init(rows: Int, cols: Int, _ entry: (Int, Int) -> Double) {
        self.init(rows: rows, cols: cols)
        for i in 0..<rows { for j in 0..<cols { elements[i * cols + j] = entry(i, j) } }
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        Matrix(rows: n, cols: n) { i, j in i == j ? 1 : 0 }
    }

    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols, "Matrix index (\(i), \(j)) out of \(rows)×\(cols)")
            return elements[i * cols + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols, "Matrix index (\(i), \(j)) out of \(rows)×\(cols)")
            elements[i * cols + j] = newValue
        }
    }

    /// Row i as an array.
    public func row(_ i: Int) -> [Double] { Array(elements[(i * cols)..<((i + 1) * cols)]) }

    /// Column j as an array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { elements[$0 * cols + j] } }

    /// The transpose.
    public var transposed: Matrix {
        Matrix(rows: cols, cols: rows) { i, j in elements[j * cols + i] }
    }

    /// Largest absolute elementwise difference to `other` (same shape).
    public func maxAbsDifference(_ other: Matrix) -> Double {
        precondition(rows == other.rows && cols == other.cols, "maxAbsDifference: shapes differ")
        var m = 0.0
        for k in 0..<elements.count { m = Swift.max(m, abs(elements[k] - other.elements[k])) }
        return m
    }

    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}
