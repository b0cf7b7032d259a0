import Foundation

/// The bad-input corpus's IDX, `.npy` and `.npz` files, written byte by byte (no numpy, no gzip needed).
enum RealDataFixtures {
    static func make(in dir: String) {
        func write(_ name: String, _ bytes: [UInt8]) { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
        let pixels: [UInt8] = [0, 255, 10, 20, 1, 2, 3, 4, 200, 100, 50, 25]
        write("images-idx3-ubyte", idx([3, 2, 2], pixels))
        write("labels-idx1-ubyte", idx([3], [7, 0, 3]))
        write("short-idx1-ubyte", idx([2], [7, 0]))
        write("badmagic-idx3-ubyte", [0, 0, 0x0D, 3] + idx([3, 2, 2], pixels).dropFirst(4))
        write("trunc-idx3-ubyte", Array(idx([3, 2, 2], pixels).dropLast(2)))
        write("corrupt-idx3-ubyte.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xFF, count: 40))
        let x = npy([3, 2], [1, 2, 3, 4, 5, 6]), y = npy([3], [1, 0, 1])
        write("x.npy", x)
        write("y.npy", y)
        write("nan.npy", npy([3, 2], [1, 2, .nan, 4, 5, 6]))
        write("good.npz", zip([("x.npy", x), ("y.npy", y)]))
        write("noarrays.npz", zip([("a.npy", x), ("b.npy", y)]))
        write("notazip.npz", Array("not a zip archive at all, just text".utf8))
    }

    /// An IDX file of unsigned bytes: magic 0x0000 08 rank, big-endian dimensions, the values.
    static func idx(_ shape: [Int], _ values: [UInt8]) -> [UInt8] {
        [0, 0, 0x08, UInt8(shape.count)] + shape.flatMap { s in [24, 16, 8, 0].map { UInt8((s >> $0) & 0xFF) } } + values
    }

    /// A version-1 `.npy` of little-endian float64 values.
    static func npy(_ shape: [Int], _ values: [Double]) -> [UInt8] {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            + values.flatMap { v in (0..<8).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } }
    }

    /// A zip archive of stored members (CRC left 0; the reader does not check it).
    static func zip(_ members: [(String, [UInt8])]) -> [UInt8] {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in members {
            let offset = out.count, n = Array(name.utf8)
            out += le(0x0403_4b50, 4) + le(20, 2) + le(0, 8) + le(0, 4) + le(data.count, 4) + le(data.count, 4)
                + le(n.count, 2) + le(0, 2) + n + data
            central += le(0x0201_4b50, 4) + le(20, 2) + le(20, 2) + le(0, 8) + le(0, 4) + le(data.count, 4)
                + le(data.count, 4) + le(n.count, 2) + le(0, 6) + le(0, 2) + le(0, 4) + le(offset, 4) + n
        }
        let centralOffset = out.count
        return out + central + le(0x0605_4b50, 4) + le(0, 4) + le(members.count, 2) + le(members.count, 2)
            + le(central.count, 4) + le(centralOffset, 4) + le(0, 2)
    }
}
