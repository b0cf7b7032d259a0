import Foundation

extension H5File {
    /// The "open for writing" mark HDF5 keeps in a superblock of version 2 or later (its file-consistency flags),
    /// read from the file's first bytes without HDF5.
    public enum WriterMark: Equatable, Sendable {
        /// No mark: nobody has the file open for writing (or the superblock is older, and has none).
        case none
        /// Marked by a writer that was not in SWMR mode (a writable session; left by one that was killed): SWMR
        /// readers cannot open the file, and HDF5 1.10.8 was seen to corrupt its heap trying (abort on a double
        /// free in a release build), so no SWMR open is tried.
        case plain
        /// Marked by a SWMR writer (alive, or killed): SWMR readers open it.
        case singleWriterMultipleReaders
    }

    /// The writer mark of the HDF5 file at `path`, or nil when its superblock is not at offset 0 (a user block)
    /// or the file cannot be read. Superblock 2 and 3: signature (8 bytes), version, sizes of offsets and
    /// lengths, then the flags byte (bit 0 write access, bit 2 SWMR write access).
    public static func writerMark(_ path: String) -> WriterMark? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 12), head.count == 12 else { return nil }
        let bytes = [UInt8](head)
        guard bytes[0..<8] == [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] else { return nil }
        guard bytes[8] >= 2 else { return WriterMark.none }
        let flags = bytes[11]
        if flags & 0x04 != 0 { return .singleWriterMultipleReaders }
        return flags & 0x01 != 0 ? .plain : WriterMark.none
    }
}
