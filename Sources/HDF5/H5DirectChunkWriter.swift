import CHDF5
import Foundation

/// Writes whole chunks of float64 datasets straight to disk, past the operating system's page cache (Linux
/// `O_DIRECT`), so that appending megabytes per snapshot costs the writing thread almost no CPU.
///
/// Through the page cache, the kernel's copy of a multi-megabyte chunk costs the writing thread much CPU time;
/// written directly, the thread pays only the copy into an aligned buffer and sleeps while the disk works
/// (`tools/bench/results.md`).
///
/// A chunk qualifies when its dataset was created with `allocateOnExtend` and no filter (so HDF5 has allocated it
/// at its final size and will neither fill nor compress it), its file address is 4096-aligned (`H5File` aligns
/// objects of 1 MiB or more) and it is exactly as long as the data. The whole 4096-byte pages of the chunk go
/// through a second descriptor opened with `O_DIRECT`; the last partial page through HDF5's own descriptor, so
/// no page is ever written both ways. Anything else makes `writeChunk` return false, and the caller writes the
/// chunk through HDF5 as usual. The bytes are the chunk's little-endian IEEE doubles, the file type HDF5 would
/// write for `.float64` on this (little-endian) machine, so readers cannot tell the difference.
public final class H5DirectChunkWriter {
    private let file: H5File
    private let directDescriptor: Int32
    private var buffer: UnsafeMutableRawPointer?
    private var bufferBytes = 0
    /// Per dataset object: whether its creation properties allow direct chunk writes.
    private var qualifies: [ObjectIdentifier: Bool] = [:]

    static let pageSize = 4096

    /// A direct writer for `file` (writable, sec2 driver, no user block), or nil where direct I/O is unavailable:
    /// not Linux on x86-64 or arm64, a big-endian machine, another HDF5 driver, a user block (HDF5 addresses would
    /// not be file offsets), or a file system that refuses `O_DIRECT` (tmpfs).
    public init?(file: H5File) {
        guard file.isWritable, file.isPublished, 1.0.bitPattern.littleEndian == 1.0.bitPattern,
              let id = try? file.requireOpen(), ch5_sec2_descriptor(id) >= 0,
              ch5_userblock_size(id) == 0 else { return nil }   // chunk addresses are then file offsets
        let fd = ch5_open_direct(file.path)
        guard fd >= 0 else { return nil }
        self.file = file
        directDescriptor = fd
    }

    deinit {
        close(directDescriptor)
        buffer?.deallocate()
    }

    /// Writes `data` as the chunk of `dataset` whose first element is at `chunkOrigin` (the dataset already
    /// extended over it). Returns false, having written nothing, when the chunk does not qualify (see the type's
    /// documentation); throws when a write fails.
    public func writeChunk(_ data: UnsafeBufferPointer<Double>, of dataset: H5Dataset, at chunkOrigin: [Int]) throws
        -> Bool {
        HDF5Library.prepare()
        guard let base = data.baseAddress, data.count > 0, try datasetQualifies(dataset) else { return false }
        let id = try dataset.openObjectID()
        var origin = chunkOrigin.map { hsize_t($0) }
        var mask: UInt32 = 0
        var address: haddr_t = 0
        var size: hsize_t = 0
        guard H5Dget_chunk_info_by_coord(id, &origin, &mask, &address, &size) >= 0 else {
            _ = H5Eclear2(ch5_e_default())
            return false
        }
        let bytes = data.count * MemoryLayout<Double>.size
        let page = Self.pageSize
        guard address != haddr_t.max, mask == 0, size == hsize_t(bytes), address % haddr_t(page) == 0,
              let fileID = try? file.requireOpen() else { return false }
        let hdf5Descriptor = ch5_sec2_descriptor(fileID)
        guard hdf5Descriptor >= 0 else { return false }
        let whole = bytes / page * page
        if whole > 0 {
            // O_DIRECT wants page-aligned memory: a buffer that starts on a page goes as it is, others through a copy.
            var source = UnsafeRawPointer(base)
            if Int(bitPattern: source) % page != 0 {
                let staging = stagingBuffer(whole)
                staging.copyMemory(from: source, byteCount: whole)
                source = UnsafeRawPointer(staging)
            }
            try Self.writeAll(directDescriptor, source, whole, off_t(address), file.path)
        }
        if whole < bytes {
            try Self.writeAll(hdf5Descriptor, UnsafeRawPointer(base) + whole, bytes - whole, off_t(address) + off_t(whole),
                              file.path)
        }
        return true
    }

    private func datasetQualifies(_ dataset: H5Dataset) throws -> Bool {
        if let known = qualifies[ObjectIdentifier(dataset)] { return known }
        let id = try dataset.openObjectID()
        let dcpl = H5Dget_create_plist(id)
        guard dcpl >= 0 else { _ = H5Eclear2(ch5_e_default()); return false }
        defer { H5Pclose(dcpl) }
        let ok = dataset.elementType == .float64 && H5Pget_layout(dcpl) == H5D_CHUNKED
            && ch5_is_raw_preallocated(dcpl) != 0
        qualifies[ObjectIdentifier(dataset)] = ok
        return ok
    }

    /// A page-aligned buffer of at least `bytes`, reused between calls.
    private func stagingBuffer(_ bytes: Int) -> UnsafeMutableRawPointer {
        if let buffer, bufferBytes >= bytes { return buffer }
        buffer?.deallocate()
        let b = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.pageSize)
        buffer = b
        bufferBytes = bytes
        return b
    }

    private static func writeAll(_ fd: Int32, _ source: UnsafeRawPointer, _ count: Int, _ offset: off_t,
                                 _ path: String) throws {
        var done = 0
        while done < count {
            let n = pwrite(fd, source + done, count - done, offset + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw HDF5Error.file("cannot write a chunk of '\(path)' directly: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
