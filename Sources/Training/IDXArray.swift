import Foundation
import RunFormat

/// One IDX file, the format of the MNIST family (MNIST, Fashion-MNIST, KMNIST), gzip-compressed or not: a 4-byte
/// magic number (two zero bytes, the element type 0x08 = unsigned byte, the number of dimensions), the dimensions as
/// big-endian 32-bit integers, then the values row-major. Labels are 0x0801 (n,), images 0x0803 (n, rows, cols).
struct IDXArray {
    /// Dimensions, the first one the samples.
    let shape: [Int]
    let values: [UInt8]

    /// Elements per sample: the product of the dimensions after the first (images are flattened, since the networks
    /// here are fully connected).
    var sampleSize: Int { shape.dropFirst().reduce(1, *) }

    /// Whether the file starts like an IDX file of unsigned bytes (after gunzip when `.gz`).
    static func looksLikeIDX(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        return name.contains("idx1") || name.contains("idx3") || name.hasSuffix(".idx")
    }

    /// Reads and checks the whole file: magic number, dimensions, and that the data is exactly as long as they say.
    static func read(_ path: String) throws -> IDXArray {
        let raw: [UInt8]
        do { raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw TrainingError.data("data file \(path) cannot be read (\(error.localizedDescription))")
        }
        let bytes = raw.starts(with: [0x1f, 0x8b]) ? try Inflate.gunzip(raw, what: "data file \(path)") : raw
        guard bytes.count >= 4 else { throw TrainingError.data("data file \(path) is too short for an IDX file (\(bytes.count) bytes)") }
        let magic = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08, (1...3).contains(bytes[3]) else {
            throw TrainingError.data(String(format: "data file %@: magic number 0x%08x is not an IDX file of unsigned bytes "
                                       + "(0x00000801 labels, 0x00000803 images)", path, magic))
        }
        let rank = Int(bytes[3])
        guard bytes.count >= 4 + 4 * rank else { throw TrainingError.data("data file \(path): IDX header truncated") }
        let shape = (0..<rank).map { k in bytes[(4 + 4 * k)..<(8 + 4 * k)].reduce(0) { $0 << 8 | Int($1) } }
        // In floating point: three 32-bit dimensions can overflow Int.
        let count = shape.reduce(1.0) { $0 * Double($1) }
        let have = bytes.count - 4 - 4 * rank
        guard Double(have) == count else {
            throw TrainingError.data("data file \(path): the IDX header says \(shape.map(String.init).joined(separator: "×")) = "
                                + "\(String(format: "%.0f", count)) values but the file holds \(have)"
                                + (Double(have) < count ? " (truncated)" : " (trailing bytes)"))
        }
        try ResourceEstimate.checkData(values: count, what: "data file \(path)")
        return IDXArray(shape: shape, values: Array(bytes[(4 + 4 * rank)...]))
    }

    /// An image file and its label file as one data set: x the flattened images as Float64 (0…255), y the labels
    /// (one column). The counts must agree. `limit`: only the first that many samples are converted.
    static func load(images: String, labels: String, limit: Int? = nil) throws -> Dataset {
        let x = try read(images), y = try read(labels)
        guard y.shape.count == 1 else {
            throw TrainingError.data("label file \(labels) has shape \(y.shape) (magic 0x0803?): give the 0x0801 label file with --y-cols")
        }
        guard x.shape[0] == y.shape[0] else {
            throw TrainingError.data("data file \(images) has \(x.shape[0]) images but label file \(labels) has \(y.shape[0]) labels")
        }
        let n = min(limit ?? x.shape[0], x.shape[0])
        return Dataset(x: x.values[0..<(n * x.sampleSize)].map(Double.init), y: y.values[0..<n].map(Double.init), n: n,
                       inputDim: x.sampleSize, outputDim: 1)
    }
}
