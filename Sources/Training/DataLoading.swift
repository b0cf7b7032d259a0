import Foundation
import HDF5

/// Turns a `DataSource` into training and test sets.
public enum DataLoading {
    public static func load(_ source: DataSource, seed: UInt64) throws -> (train: Dataset, test: Dataset?) {
        switch source {
        case .builtin(let target, let n, let nTest, let d):
            return try target.generate(n: n, nTest: nTest, inputDim: d, seed: seed)
        case .file(let path, let testPath, let xColumns, let yColumns):
            let train = try loadFile(path, xColumns: xColumns, yColumns: yColumns)
            let test = try testPath.map { try loadFile($0, xColumns: xColumns, yColumns: yColumns) }
            if let test, test.inputDim != train.inputDim || test.outputDim != train.outputDim {
                throw TrainingError("test data \(testPath!) has \(test.inputDim) input and \(test.outputDim) target columns, the training data \(train.inputDim) and \(train.outputDim)")
            }
            return (train, test)
        }
    }

    /// A CSV file, or an HDF5 file (by extension .h5 / .hdf5 / .he5 or by its signature).
    public static func loadFile(_ path: String, xColumns: String?, yColumns: String?) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw TrainingError("data file \(path) does not exist")
        }
        guard FileManager.default.isReadableFile(atPath: path) else { throw TrainingError("data file \(path) is not readable") }
        let ext = (path as NSString).pathExtension.lowercased()
        let data: Dataset
        if ["h5", "hdf5", "he5"].contains(ext) || H5File.isHDF5(path) {
            data = try HDF5Data.load(path, x: xColumns ?? "x", y: yColumns ?? "y")
        } else {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw TrainingError("data file \(path) cannot be read as UTF-8 text")
            }
            data = try CSVData.parse(text, name: path, xColumns: xColumns, yColumns: yColumns)
        }
        try data.validate("data file \(path)")
        return data
    }
}

/// Comma-separated numbers, one sample per line, an optional header line of column names.
enum CSVData {
    static func parse(_ text: String, name: String, xColumns: String?, yColumns: String?) throws -> Dataset {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
        guard let first = lines.first else { throw TrainingError("data file \(name) is empty") }
        let cells = { (s: String) in s.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) } }
        var header: [String]? = nil
        let firstCells = cells(first.1)
        if firstCells.contains(where: { Double($0) == nil }) && firstCells.allSatisfy({ Double($0) == nil }) {
            header = firstCells
            lines.removeFirst()
        }
        guard !lines.isEmpty else { throw TrainingError("data file \(name) has a header but no rows") }
        let width = header?.count ?? cells(lines[0].1).count
        guard width >= 2 else { throw TrainingError("data file \(name) needs at least two columns (inputs and a target)") }
        let xs = try select(xColumns, header: header, width: width, default: Array(0..<(width - 1)), name: name, flag: "--x-cols")
        let ys = try select(yColumns, header: header, width: width, default: [width - 1], name: name, flag: "--y-cols")
        var x: [Double] = [], y: [Double] = []
        x.reserveCapacity(lines.count * xs.count); y.reserveCapacity(lines.count * ys.count)
        for (number, line) in lines {
            let row = cells(line)
            guard row.count == width else {
                throw TrainingError("data file \(name), line \(number): \(row.count) columns where the file has \(width)")
            }
            var values = [Double](repeating: 0, count: width)
            for (c, cell) in row.enumerated() {
                guard let v = Double(cell) else {
                    throw TrainingError("data file \(name), line \(number), column \(c + 1): '\(cell)' is not a number")
                }
                guard v.isFinite else {
                    throw TrainingError("data file \(name), line \(number), column \(c + 1): '\(cell)' is not a finite number")
                }
                values[c] = v
            }
            for c in xs { x.append(values[c]) }
            for c in ys { y.append(values[c]) }
        }
        return Dataset(x: x, y: y, n: lines.count, inputDim: xs.count, outputDim: ys.count)
    }

    /// Column list: indices (0-based) and ranges `0-4`, or header names, comma-separated.
    static func select(_ spec: String?, header: [String]?, width: Int, default d: [Int], name: String,
                       flag: String) throws -> [Int] {
        guard let spec else { return d }
        var out: [Int] = []
        for item in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let i = Int(item) {
                out.append(i)
            } else if let dash = item.firstIndex(of: "-"), let a = Int(item[..<dash]),
                      let b = Int(item[item.index(after: dash)...]), a <= b {
                out += Array(a...b)
            } else if let header, let i = header.firstIndex(of: item) {
                out.append(i)
            } else {
                throw TrainingError("\(flag) '\(item)' is not a column index, range (0-4) or header name of \(name)")
            }
        }
        if let bad = out.first(where: { $0 < 0 || $0 >= width }) {
            throw TrainingError("\(flag): column \(bad) does not exist in \(name) (columns 0…\(width - 1))")
        }
        return out
    }
}

/// Datasets `x` (n, d) or (n,) and `y` (n,) or (n, k) of an HDF5 file (other names by `--x-cols` / `--y-cols`).
enum HDF5Data {
    static func load(_ path: String, x xName: String, y yName: String) throws -> Dataset {
        let file: H5File
        do { file = try H5File.open(path) } catch { throw TrainingError("data file \(path): \(error)") }
        defer { try? file.close() }
        func matrix(_ name: String) throws -> (values: [Double], rows: Int, cols: Int) {
            guard file.root.isDataset(name) else {
                throw TrainingError("data file \(path) has no dataset '\(name)' (name it with --x-cols / --y-cols)")
            }
            let ds = try file.root.openDataset(name)
            let shape = ds.shape
            guard shape.count == 1 || shape.count == 2 else {
                throw TrainingError("data file \(path): '\(name)' has shape \(shape); expected (n,) or (n, d)")
            }
            return (try ds.read(), shape[0], shape.count == 2 ? shape[1] : 1)
        }
        let x = try matrix(xName), y = try matrix(yName)
        guard x.rows == y.rows else {
            throw TrainingError("data file \(path): '\(xName)' has \(x.rows) rows but '\(yName)' has \(y.rows)")
        }
        return Dataset(x: x.values, y: y.values, n: x.rows, inputDim: x.cols, outputDim: y.cols)
    }
}
