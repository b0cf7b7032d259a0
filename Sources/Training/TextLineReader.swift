import Foundation

/// The lines of a text file, read block by block, each at most `maximumLineBytes` long.
///
/// A data file is read this way rather than whole into one `String`: a CSV holding one 1 GB line took more than a
/// minute and 2 GB of memory before its first cell was looked at. Here a line over the limit fails as soon as the
/// limit is passed, having read little more than it. Lines end at "\n", "\r\n" or "\r"; each must be UTF-8.
struct TextLineReader {
    /// The longest line accepted (bytes, without its line break): 1 MiB, some 50 000 numeric cells.
    static let maximumLineBytes = 1 << 20
    static let blockBytes = 1 << 16

    let name: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Start of the unread part of `buffer`.
    private var head = 0
    private var atEnd = false
    /// 1-based number of the line returned last.
    private(set) var lineNumber = 0

    /// Opens `path` (which the caller has checked is a regular file); `name` is how errors call it.
    init(path: String, name: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TrainingError.data("data file \(name) cannot be opened") }
        self.handle = handle
        self.name = name
    }

    func close() { try? handle.close() }

    /// The next line (without its line break) and its 1-based number, or nil at the end of the file.
    mutating func next() throws -> (number: Int, text: String)? {
        var scanned = head
        while true {
            // Look for a line break in what is buffered.
            while scanned < buffer.count {
                let byte = buffer[scanned]
                if byte == 0x0A || byte == 0x0D {
                    // "\r" may be the first half of "\r\n": decide once the next byte is known.
                    if byte == 0x0D && scanned + 1 == buffer.count && !atEnd { break }
                    let line = buffer[head..<scanned]
                    head = scanned + (byte == 0x0D && scanned + 1 < buffer.count && buffer[scanned + 1] == 0x0A ? 2 : 1)
                    return try finish(line)
                }
                scanned += 1
            }
            if scanned - head > Self.maximumLineBytes { throw tooLong() }
            if atEnd {
                guard head < buffer.count else { return nil }
                let line = buffer[head...]
                head = buffer.count
                return try finish(line)
            }
            // Keep the unread part only, then append a block.
            if head > 0 {
                buffer.removeSubrange(0..<head)
                scanned -= head
                head = 0
            }
            let block: Data
            do { block = try handle.read(upToCount: Self.blockBytes) ?? Data() } catch {
                throw TrainingError.data("data file \(name) cannot be read (\(error.localizedDescription))")
            }
            if block.isEmpty { atEnd = true } else { buffer.append(contentsOf: block) }
        }
    }

    private mutating func finish(_ line: ArraySlice<UInt8>) throws -> (number: Int, text: String) {
        lineNumber += 1
        guard line.count <= Self.maximumLineBytes else { throw tooLong() }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw TrainingError.data("data file \(name), line \(lineNumber) is not UTF-8 text (a CSV file must be; "
                                + "an HDF5 file needs the .h5 extension or its signature)")
        }
        return (lineNumber, text)
    }

    private func tooLong() -> TrainingError {
        TrainingError.data("data file \(name), line \(lineNumber + 1) is longer than \(Self.maximumLineBytes) bytes, the limit "
                      + "of one CSV line")
    }
}
