import Foundation

/// Small data files written byte by byte, for the loaders' tests: IDX, `.npy` and stored (uncompressed) zip archives.
enum DataFileBytes {
    /// An IDX file of unsigned bytes: magic 0x0000 08 rank, big-endian dimensions, the values.
    static func idx(shape: [Int], values: [UInt8], magic: [UInt8]? = nil) -> Data {
        var d = Data(magic ?? [0, 0, 0x08, UInt8(shape.count)])
        for s in shape { d.append(contentsOf: [24, 16, 8, 0].map { UInt8((s >> $0) & 0xFF) }) }
        d.append(contentsOf: values)
        return d
    }

    /// A version-1 `.npy` of little-endian float64 values (`descr` "<f8"), C order.
    static func npy(shape: [Int], values: [Double]) -> Data {
        npy(descr: "<f8", shape: shape, payload: values.flatMap { v in (0..<8).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } })
    }

    /// A version-1 `.npy` with the given dtype text and raw payload bytes; the header padded to 64 bytes as numpy does.
    static func npy(descr: String, shape: [Int], payload: [UInt8]) -> Data {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        d.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: payload)
        return d
    }

    /// A zip archive of stored members (method 0), as `numpy.savez` writes them (CRC left 0: our reader does not check it).
    static func zip(_ members: [(name: String, data: Data)]) -> Data {
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var out = Data(), central = Data()
        for m in members {
            let offset = out.count, name = Array(m.name.utf8)
            out.append(contentsOf: le(0x0403_4b50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
                       + le(m.data.count, 4) + le(m.data.count, 4) + le(name.count, 2) + le(0, 2) + name)
            out.append(m.data)
            central.append(contentsOf: le(0x0201_4b50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4)
                           + le(0, 4) + le(m.data.count, 4) + le(m.data.count, 4) + le(name.count, 2) + le(0, 2)
                           + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name)
        }
        let centralOffset = out.count
        out.append(central)
        out.append(contentsOf: le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(members.count, 2) + le(members.count, 2)
                   + le(central.count, 4) + le(centralOffset, 4) + le(0, 2))
        return out
    }

    /// `data` compressed by the system's gzip (present on every Debian system), or nil when it cannot run.
    static func gzip(_ data: Data, in directory: URL) throws -> Data? {
        let plain = directory.appendingPathComponent("gz-\(UUID().uuidString)")
        try data.write(to: plain)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", plain.path]
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz"))
    }
}
