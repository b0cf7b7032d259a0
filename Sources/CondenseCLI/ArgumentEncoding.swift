import Foundation

/// Every argument must be valid UTF-8; the first one that is not is refused before anything is parsed or touched.
///
/// Swift decodes argv lossily (`CommandLine.arguments` turns each invalid byte into U+FFFD), so `-o $'x\xffy.h5'`
/// wrote a file named "x\u{FFFD}y.h5", `inspect` on the real name said "no such file", and `--resume`, `analyze`
/// and `--force` acted on the other file. Handling raw byte paths end to end is not possible here: run files store
/// the command line and the configuration (paths included) as UTF-8 strings, sweep manifests and records are JSON,
/// and Foundation's file APIs take `String`s, so a byte path could not be re-run with `--from` or resumed by a
/// sweep. Refusing such an argument in one line (exit 2) is the safe choice; rename the file to use it.
enum ArgumentEncoding {
    /// Throws a `UsageError` naming the first argument (1-based, after the program name) that is not UTF-8.
    static func check(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv,
                      count: Int = Int(CommandLine.argc)) throws {
        for i in 1..<max(count, 1) {
            guard let pointer = argv[i] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                            count: strlen(pointer))
            if String(validating: bytes, as: UTF8.self) == nil {
                throw UsageError.option("argument \(i) (\"\(escaped(bytes))\") is not valid UTF-8: condense takes paths and "
                                 + "values as UTF-8 text only (rename the file)")
            }
        }
    }

    /// The bytes with every one that is not printable ASCII as \xHH, at most 40 shown.
    static func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = ""
        for b in bytes.prefix(40) {
            out += (0x20..<0x7F).contains(b) && b != UInt8(ascii: "\\") && b != UInt8(ascii: "\"")
                ? String(UnicodeScalar(b)) : "\\x" + String(format: "%02X", b)
        }
        return bytes.count > 40 ? out + "…" : out
    }
}
