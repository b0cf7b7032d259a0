/// A zip archive in memory, as NumPy's `savez` / `savez_compressed` write it: the central directory is read from the
/// end-of-central-directory record (ZIP64 sizes included), members are stored or deflated. Enough for `.npz`; no
/// encryption, no multi-disk archives.
struct ZipArchive {
    struct Member { let name: String; let method: Int; let compressedSize: Int; let size: Int; let localOffset: Int }

    private let bytes: [UInt8]
    private let what: String
    let members: [Member]
    var names: [String] { members.map(\.name) }

    init(_ bytes: [UInt8], what: String) throws {
        self.bytes = bytes; self.what = what
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> Int { u32(o) | u32(o + 4) << 32 }
        // The end-of-central-directory record: the last "PK\5\6" within 64 KiB + 22 bytes of the end.
        guard bytes.count >= 22,
              let eocd = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 65_535), by: -1)
                .first(where: { u32($0) == 0x0605_4b50 }) else {
            throw TrainingError.data("\(what) is not a zip archive (.npz): no end of central directory")
        }
        var count = u16(eocd + 10), offset = u32(eocd + 16)
        // ZIP64: the locator just before points at the ZIP64 end record with the real count and offset.
        if (count == 0xFFFF || offset == 0xFFFF_FFFF), eocd >= 20, u32(eocd - 20) == 0x0706_4b50 {
            let record = u64(eocd - 12)
            guard record + 56 <= bytes.count, u32(record) == 0x0606_4b50 else { throw TrainingError.data("\(what): broken ZIP64 record") }
            count = u64(record + 32); offset = u64(record + 48)
        }
        var members: [Member] = []
        var o = offset
        for _ in 0..<count {
            guard o + 46 <= bytes.count, u32(o) == 0x0201_4b50 else { throw TrainingError.data("\(what): zip central directory is truncated or corrupt") }
            let nameLength = u16(o + 28), extraLength = u16(o + 30), commentLength = u16(o + 32)
            guard o + 46 + nameLength + extraLength <= bytes.count else { throw TrainingError.data("\(what): zip central directory is truncated") }
            var compressed = u32(o + 20), size = u32(o + 24), local = u32(o + 42)
            // ZIP64 extra field (id 1): the 64-bit values of the fields that are 0xFFFFFFFF, in this order.
            var e = o + 46 + nameLength
            while e + 4 <= o + 46 + nameLength + extraLength {
                let id = u16(e), length = u16(e + 2)
                if id == 1 {
                    var p = e + 4
                    if size == 0xFFFF_FFFF { size = u64(p); p += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = u64(p); p += 8 }
                    if local == 0xFFFF_FFFF { local = u64(p) }
                }
                e += 4 + length
            }
            let name = String(decoding: bytes[(o + 46)..<(o + 46 + nameLength)], as: UTF8.self)
            members.append(Member(name: name, method: u16(o + 10), compressedSize: compressed, size: size, localOffset: local))
            o += 46 + nameLength + extraLength + commentLength
        }
        self.members = members
    }

    func member(named name: String) -> Member? { members.first { $0.name == name } }

    /// The uncompressed bytes of a member (stored or deflated).
    func contents(_ m: Member) throws -> [UInt8] {
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        let o = m.localOffset
        guard o + 30 <= bytes.count, u16(o) | u16(o + 2) << 16 == 0x0403_4b50 else {
            throw TrainingError.data("\(what): member '\(m.name)' has no local header (corrupt zip)")
        }
        let start = o + 30 + u16(o + 26) + u16(o + 28)
        guard start + m.compressedSize <= bytes.count else { throw TrainingError.data("\(what): member '\(m.name)' is truncated") }
        let data = bytes[start..<(start + m.compressedSize)]
        switch m.method {
        case 0: return Array(data)
        case 8: return try Inflate.inflateRaw(data, size: m.size, what: "\(what), member '\(m.name)'")
        default: throw TrainingError.data("\(what): member '\(m.name)' uses zip method \(m.method); stored or deflate are read")
        }
    }
}
