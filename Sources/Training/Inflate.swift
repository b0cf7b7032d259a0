import CZlib
import Foundation

/// Decompression through zlib: gzip files (IDX data sets ship as `.gz`) and raw deflate streams (the members of a
/// `.npz`, which is a zip archive). Errors are one-line `TrainingError`s naming `what`.
enum Inflate {
    /// The bytes of a gzip stream (several concatenated members are read as one, like `gzip -d`).
    static func gunzip(_ input: [UInt8], what: String) throws -> [UInt8] {
        try run(input, windowBits: 15 + 32, expected: nil, what: what)
    }

    /// The bytes of a raw deflate stream that must expand to exactly `size` bytes.
    static func inflateRaw(_ input: ArraySlice<UInt8>, size: Int, what: String) throws -> [UInt8] {
        let out = try run(Array(input), windowBits: -15, expected: size, what: what)
        guard out.count == size else { throw TrainingError.data("\(what): inflates to \(out.count) bytes, expected \(size)") }
        return out
    }

    /// windowBits as zlib's `inflateInit2`: 15 + 32 detects gzip or zlib headers, −15 is raw deflate.
    private static func run(_ input: [UInt8], windowBits: Int32, expected: Int?, what: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TrainingError.data("\(what): zlib cannot start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expected ?? input.count * 4, 1024))
        var produced = 0
        var consumed = 0
        return try input.withUnsafeBufferPointer { inBuf -> [UInt8] in
            while true {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                let status: Int32 = output.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + consumed)
                    stream.avail_in = UInt32(min(inBuf.count - consumed, Int(UInt32.max)))
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = UInt32(min(outBuf.count - produced, Int(UInt32.max)))
                    let inBefore = Int(stream.avail_in), outBefore = Int(stream.avail_out)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    consumed += inBefore - Int(stream.avail_in)
                    produced += outBefore - Int(stream.avail_out)
                    return s
                }
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (concatenated .gz files).
                    if windowBits > 0 && consumed < inBuf.count && inBuf[consumed] == 0x1f {
                        inflateReset(&stream); continue
                    }
                    output.removeSubrange(produced...)
                    return output
                case Z_OK: continue
                case Z_BUF_ERROR:
                    if consumed >= inBuf.count { throw TrainingError.data("\(what): the compressed data is truncated") }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw TrainingError.data("\(what): the compressed data is corrupt (\(message))")
                }
            }
        }
    }
}
