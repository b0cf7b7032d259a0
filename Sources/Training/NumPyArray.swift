import Foundation
import Model
import RunFormat

/// One NumPy `.npy` array (format versions 1–3): little-endian float64 `<f8`, float32 `<f4`, uint8 `|u1` or int64
/// `<i8`, C order, converted to Float64. Fortran order, big-endian and other types are refused in one line.
struct NumPyArray {
    let shape: [Int]
    let values: [Double]

    /// Parses the bytes of one `.npy`; `what` names it in errors ("data file a.npz, array 'x'").
    static func parse(_ b: [UInt8], what: String) throws -> NumPyArray {
        guard b.count >= 10, b.starts(with: [0x93] + Array("NUMPY".utf8)) else {
            throw TrainingError.data("\(what) is not a NumPy .npy array (no \\x93NUMPY signature)")
        }
        let major = b[6]
        let headerLength: Int, start: Int
        switch major {
        case 1: headerLength = Int(b[8]) | Int(b[9]) << 8; start = 10
        case 2, 3:
            guard b.count >= 12 else { throw TrainingError.data("\(what): .npy header truncated") }
            headerLength = (8..<12).reduce(0) { $0 | Int(b[$1]) << (8 * ($1 - 8)) }; start = 12
        default: throw TrainingError.data("\(what): .npy format version \(major) is not supported (1–3 are)")
        }
        guard b.count >= start + headerLength else { throw TrainingError.data("\(what): .npy header truncated") }
        let header = String(decoding: b[start..<(start + headerLength)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrText = field("descr"), let q = descrText.dropFirst().firstIndex(of: "'") else {
            throw TrainingError.data("\(what): .npy header has no descr")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<q])
        if field("fortran_order")?.hasPrefix("True") == true {
            throw TrainingError.data("\(what) is in Fortran order; save it with numpy.ascontiguousarray")
        }
        guard let shapeText = field("shape"), let open = shapeText.firstIndex(of: "("),
              let close = shapeText.firstIndex(of: ")") else { throw TrainingError.data("\(what): .npy header has no shape") }
        let shape = try shapeText[shapeText.index(after: open)..<close].split(separator: ",").map { part -> Int in
            guard let v = Int(part.trimmingCharacters(in: .whitespaces)), v >= 0 else {
                throw TrainingError.data("\(what): .npy shape '\(shapeText[open...close])' is not a list of sizes")
            }
            return v
        }
        // In floating point first: a corrupt shape can overflow Int.
        guard shape.reduce(1.0, { $0 * Double($1) }) <= Double(b.count) else {
            throw TrainingError.data("\(what): shape \(shape) needs more values than the file has bytes (truncated)")
        }
        let count = shape.reduce(1, *)
        let width: Int
        switch descr {
        case "<f8", "<i8": width = 8
        case "<f4": width = 4
        case "|u1", "<u1", "|b1": width = 1
        default:
            throw TrainingError.data("\(what) has dtype '\(TextExcerpt.of(descr))'; little-endian float64, float32, uint8 or int64 are read")
        }
        let data = start + headerLength
        guard b.count - data == count * width else {
            throw TrainingError.data("\(what): shape \(shape) needs \(count * width) bytes of data but the file has \(b.count - data)"
                                + (b.count - data < count * width ? " (truncated)" : ""))
        }
        var values = [Double](repeating: 0, count: count)
        b.withUnsafeBytes { raw in
            let p = raw.baseAddress! + data
            for i in 0..<count {
                switch descr {
                case "<f8": values[i] = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                case "<i8": values[i] = Double(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case "<f4": values[i] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                default: values[i] = Double(p.load(fromByteOffset: i, as: UInt8.self))
                }
            }
        }
        return NumPyArray(shape: shape, values: values)
    }

    /// As a (rows, cols) matrix: (n,) is one column, (n, d1, d2, …) is flattened per sample.
    func matrix(_ what: String) throws -> (values: [Double], rows: Int, cols: Int) {
        guard !shape.isEmpty else { throw TrainingError.data("\(what) is a scalar; expected (n,) or (n, d)") }
        return (values, shape[0], shape.dropFirst().reduce(1, *))
    }
}

/// `.npy` and `.npz` data files: x and y from one archive (arrays named by --x-cols / --y-cols, default "x" and
/// "y"), or x from a `.npy` and y from the `.npy` that --y-cols names.
enum NumPyData {
    static func load(_ path: String, x xName: String?, y yName: String?) throws -> Dataset {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw TrainingError.data("data file \(path) cannot be read (\(error.localizedDescription))")
        }
        let x: (values: [Double], rows: Int, cols: Int), y: (values: [Double], rows: Int, cols: Int)
        let xWhat: String, yWhat: String
        if (path as NSString).pathExtension.lowercased() == "npz" {
            let zip = try ZipArchive(bytes, what: "data file \(path)")
            func array(_ name: String, flag: String) throws -> (values: [Double], rows: Int, cols: Int) {
                let what = "data file \(path), array '\(TextExcerpt.of(name))'"
                guard let member = zip.member(named: name + ".npy") ?? zip.member(named: name) else {
                    let names = zip.names.map { $0.hasSuffix(".npy") ? String($0.dropLast(4)) : $0 }.joined(separator: ", ")
                    throw TrainingError.data("data file \(path) has no array '\(TextExcerpt.of(name))' (it holds: "
                                        + "\(names.isEmpty ? "nothing" : names)); name it with \(flag)")
                }
                return try NumPyArray.parse(try zip.contents(member), what: what).matrix(what)
            }
            xWhat = "'\(xName ?? "x")'"; yWhat = "'\(yName ?? "y")'"
            x = try array(xName ?? "x", flag: "--x-cols"); y = try array(yName ?? "y", flag: "--y-cols")
        } else {
            guard let yName else {
                throw TrainingError.data("data file \(path) is one .npy array (the inputs): give the targets' .npy with --y-cols FILE")
            }
            x = try NumPyArray.parse(bytes, what: "data file \(path)").matrix("data file \(path)")
            let yBytes: [UInt8]
            do { yBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: yName))) } catch {
                throw TrainingError.data("target file \(yName) (--y-cols) cannot be read (\(error.localizedDescription))")
            }
            y = try NumPyArray.parse(yBytes, what: "target file \(yName)").matrix("target file \(yName)")
            xWhat = path; yWhat = yName
        }
        guard x.rows == y.rows else {
            throw TrainingError.data("data file \(path): inputs \(xWhat) have \(x.rows) rows but targets \(yWhat) have \(y.rows)")
        }
        return Dataset(x: x.values, y: y.values, n: x.rows, inputDim: x.cols, outputDim: y.cols)
    }
}
