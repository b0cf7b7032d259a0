import CHDF5
import Foundation

/// An open HDF5 file. Closing is idempotent and also happens in `deinit`.
///
/// Files are opened with the "strong" close degree: `close()` really closes the file (and every object opened
/// through it), so another process can open it at once. Groups and datasets keep their file alive; using one
/// after its file was closed throws an `HDF5Error`.
public final class H5File: @unchecked Sendable {
    /// How `create` treats an existing file.
    public enum CreateMode: Sendable {
        /// Overwrite an existing file.
        case truncate
        /// Fail if the file exists.
        case exclusive
    }

    /// The path the file was created or opened with.
    public let path: String
    /// Whether the file was opened for writing.
    public let isWritable: Bool

    private let lock = NSLock()
    private var fileID: hid_t
    /// The one-writer lock of a writable file, held until `close()`.
    private var writerLock: H5WriterLock?

    /// Whether `create` made this file (else `open` opened it).
    private let createdHere: Bool
    /// Where a file created with `publishingLater` is until `publish()`; the lock of the file it replaces, held
    /// until then; whether it replaces one.
    private var unpublishedPath: String?
    private var replacedLock: H5WriterLock?
    private var replacing = false

    private init(path: String, id: hid_t, writable: Bool, writerLock: H5WriterLock? = nil, created: Bool = false) {
        self.createdHere = created
        self.path = path
        self.fileID = id
        self.isWritable = writable
        self.writerLock = writerLock
    }

    deinit {
        try? close()
    }

    /// Creates a file with link and attribute creation order tracked and indexed, and library-version bounds
    /// (V18, latest), so attributes over 64 KiB work and the file stays readable by HDF5 ≥ 1.8, h5py and netCDF.
    ///
    /// `singleWriterMultipleReaders` raises the lower version bound to "latest" (superblock v3), which SWMR needs:
    /// after `startSingleWriterMultipleReaders()` other processes can follow the file with
    /// `open(_:followingWriter: true)` while this one appends.
    ///
    /// The file's `H5WriterLock` is taken first (on a new file made exclusively, or on the existing one that
    /// `.truncate` replaces), so a file another writer holds is refused before anything in it changes; a file
    /// this call made is removed again when HDF5 fails to create it.
    ///
    /// `publishingLater` creates the file under a hidden name beside `path` (`.NAME.creating-PID`) and leaves
    /// `path` as it is (absent, or the file being replaced, locked) until `publish()` links the new file in with
    /// one atomic step: a writer killed before then leaves no half-made file at `path`, only the hidden one, which
    /// the next `publishingLater` creation in that directory removes (`removeStaleCreations`).
    public static func create(_ path: String, mode: CreateMode = .exclusive,
                              singleWriterMultipleReaders: Bool = false, publishingLater: Bool = false) throws -> H5File {
        HDF5Library.prepare()
        let existed = FileManager.default.fileExists(atPath: path)
        if mode == .exclusive && existed {
            throw HDF5Error.file("cannot create HDF5 file '\(path)': it already exists (remove it or use mode .truncate)")
        }
        var replacedLock: H5WriterLock? = nil
        var target = path
        if publishingLater {
            if existed { replacedLock = try H5WriterLock.acquire(path, creating: false) }
            removeStaleCreations(besides: path)   // what killed writers left beside it
            target = creationPath(for: path)
            if FileManager.default.fileExists(atPath: target) { unlink(target) }   // our own pid: a dead predecessor's
        }
        let writerLock = try H5WriterLock.acquire(target, creating: publishingLater || !existed)
        let fcpl = try h5check(H5Pcreate(ch5_p_file_create()), "cannot create a file-creation property list")
        defer { H5Pclose(fcpl) }
        let order = UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)
        try h5check(H5Pset_link_creation_order(fcpl, order), "cannot track link creation order")
        try h5check(H5Pset_attr_creation_order(fcpl, order), "cannot track attribute creation order")
        let fapl = try makeAccessList(writable: true, latestFormat: singleWriterMultipleReaders)
        defer { H5Pclose(fapl) }
        // Truncation: the path is now either the empty file the lock made or the locked file being replaced.
        let id = H5Fcreate(target, ch5_acc_trunc(), fcpl, fapl)
        if id < 0 {
            let failure = HDF5Error.capture("cannot create HDF5 file '\(path)'")
            if writerLock.createdFile { writerLock.removeFile() }
            throw failure
        }
        let file = H5File(path: path, id: id, writable: true, writerLock: writerLock, created: true)
        if publishingLater {
            file.unpublishedPath = target
            file.replacedLock = replacedLock
            file.replacing = existed
        }
        return file
    }

    /// Whether the file is at `path` (always, unless it was created with `publishingLater` and not yet published).
    public var isPublished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return unpublishedPath == nil
    }

    /// Puts a file created with `publishingLater` at `path`: a new name is linked in (`link`, failing if a file
    /// appeared there meanwhile), a replaced file is replaced (`rename`, atomic). Call it after a flush, once the
    /// file holds what a reader needs. Does nothing for a file already at `path`.
    public func publish() throws {
        lock.lock()
        let hidden = unpublishedPath, replacing = self.replacing
        lock.unlock()
        guard let hidden else { return }
        if replacing {
            guard rename(hidden, path) == 0 else {
                throw HDF5Error.file("cannot replace '\(path)': \(String(cString: strerror(errno)))")
            }
        } else {
            guard link(hidden, path) == 0 else {
                let code = errno
                throw HDF5Error.file(code == EEXIST ? "cannot create HDF5 file '\(path)': it already exists (another process has just created it)"
                                               : "cannot create HDF5 file '\(path)': \(String(cString: strerror(code)))")
            }
            unlink(hidden)
        }
        lock.lock()
        unpublishedPath = nil
        writerLock?.path = path
        let old = replacedLock
        replacedLock = nil
        lock.unlock()
        old?.release()
    }

    /// Reserves disk space for `growth` more bytes of this writable file (`H5WriterLock.reserve`): a writer that
    /// reserves what it is about to write finds a full disk here, before HDF5 has changed anything, instead of in
    /// the middle of a flush (which left metadata pointing past the stored end of the file, so readers failed
    /// with "addr overflow" until the next writer opened it).
    public func reserveSpace(growth: Int) throws {
        lock.lock()
        let held = writerLock
        lock.unlock()
        try held?.reserve(growth: growth)
    }

    /// Opens an existing file, read-only unless `writable`.
    ///
    /// Fails with a message naming the path when the file does not exist, is not HDF5, or is locked by a
    /// process that has it open for writing. `followingWriter` opens read-only in SWMR mode, for a file whose
    /// writer called `startSingleWriterMultipleReaders()`: call `H5Dataset.refresh()` to see its appends.
    ///
    /// `clearingWriterMark` (with `writable`) first clears the "open for writing" mark that a killed SWMR writer
    /// leaves in the superblock, as `h5clear -s` does, so its flushed state can be appended to again.
    public static func open(_ path: String, writable: Bool = false, followingWriter: Bool = false,
                            clearingWriterMark: Bool = false) throws -> H5File {
        HDF5Library.prepare()
        switch FileKind(path: path) {
        case .missing: throw HDF5Error.file("cannot open HDF5 file '\(path)': no such file")
        case .directory: throw HDF5Error.file("cannot open HDF5 file '\(path)': it is a directory")
        case .other(let what): throw HDF5Error.file("cannot open HDF5 file '\(path)': it is \(what), not a regular file")
        case .regular: break
        }
        // A SWMR open of a file a plain writer marked fails, and HDF5 1.10.8 was seen to corrupt its heap doing so.
        if followingWriter && !writable && writerMark(path) == .plain {
            throw HDF5Error.busy("cannot open HDF5 file '\(path)' as a SWMR reader: it is marked open for writing by a writer not in SWMR mode (if that writer was killed, a condense command or `h5clear -s --increment=0` clears the mark)")
        }
        // A writer takes the file's lock before HDF5 opens it (and before a writer mark is cleared).
        let writerLock = writable ? try H5WriterLock.acquire(path, creating: false) : nil
        // A creator killed between linking its file in and unlinking the hidden name leaves the hidden name too:
        // the next writer of the file (a resume, an in-place analyze) removes it, as the next creation would.
        if writable { removeStaleCreations(besides: path) }
        let fapl = try makeAccessList(writable: writable)
        defer { H5Pclose(fapl) }
        if clearingWriterMark && writable {
            // The library's own (unexported-name) file-access property behind h5clear.
            var clear: hbool_t = true
            try h5check(H5Pset(fapl, "clear_status_flags", &clear), "cannot ask HDF5 to clear the writer mark")
        }
        let flags = writable ? ch5_acc_rdwr() : (followingWriter ? ch5_acc_rdonly() | ch5_acc_swmr_read() : ch5_acc_rdonly())
        let id = H5Fopen(path, flags, fapl)
        if id < 0 {
            let failure = HDF5Error.capture("cannot open HDF5 file '\(path)'")
            if !isHDF5(path) {
                throw HDF5Error.file("cannot open '\(path)': it is not an HDF5 file (no HDF5 signature)",
                                stack: failure.stack)
            }
            if failure.stack.contains(where: { $0.contains("unable to lock file") }) {
                throw HDF5Error.busy("cannot open HDF5 file '\(path)': another process has it open for writing "
                                + "(wait for it to finish, or set HDF5_USE_FILE_LOCKING=FALSE to read the last "
                                + "flushed state)", stack: failure.stack)
            }
            if failure.stack.contains(where: { $0.contains("already open for write") }) {
                throw HDF5Error.busy("cannot open HDF5 file '\(path)': it is open for writing in SWMR mode (follow it "
                                + "as a SWMR reader; if its writer was killed, `h5clear -s --increment=0` clears the mark)",
                                stack: failure.stack)
            }
            throw failure
        }
        if writable { extendEndToTheWrittenEnd(id, path: path) }
        return H5File(path: path, id: id, writable: writable, writerLock: writerLock)
    }

    /// A writer that ran out of disk in the middle of a flush can leave metadata pointing past the end of the file
    /// stored in the superblock (its EOA), which was not written: every later access there fails with "addr
    /// overflow" (an analysis killed so could not even be renamed aside). A writer that opens such a file moves the
    /// stored end to the file's actual end first, as `h5clear --increment=0` does; what lies between was written
    /// by the failed writer and is only reachable from what it left half-done.
    private static func extendEndToTheWrittenEnd(_ id: hid_t, path: String) {
        var eoa: haddr_t = 0
        var info = stat()
        guard H5Fget_eoa(id, &eoa) >= 0, stat(path, &info) == 0, UInt64(info.st_size) > eoa else {
            _ = H5Eclear2(ch5_e_default())
            return
        }
        if H5Fincrement_filesize(id, 0) < 0 { _ = H5Eclear2(ch5_e_default()) }
    }

    /// True when `path` exists and carries an HDF5 signature; false otherwise (never throws).
    public static func isHDF5(_ path: String) -> Bool {
        HDF5Library.prepare()
        // Only a regular file: opening a FIFO would block.
        guard FileKind(path: path) == .regular else { return false }
        let result = H5Fis_hdf5(path)
        if result < 0 { _ = H5Eclear2(ch5_e_default()) }
        return result > 0
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return fileID >= 0
    }

    /// The root group "/". On a closed file, every operation on the returned group throws.
    public var root: H5Group {
        HDF5Library.prepare()
        let id = currentID.map { H5Gopen2($0, "/", ch5_p_default()) } ?? -1
        if id < 0 { _ = H5Eclear2(ch5_e_default()) }
        return H5Group(file: self, id: id, name: "/")
    }

    /// Writes buffered data of this file to disk (`H5Fflush`, local scope). Not an fsync.
    public func flush() throws {
        HDF5Library.prepare()
        let id = try requireOpen()
        try h5check(H5Fflush(id, H5F_SCOPE_LOCAL), "cannot flush HDF5 file '\(path)'")
    }

    /// Whether the file can be switched to SWMR writing: its superblock is version 3 or later (made with HDF5's
    /// latest format, as `create(singleWriterMultipleReaders: true)` does). Files of the older plain format
    /// (superblock 0 or 2) cannot: they are only appended to as they are.
    public var supportsSingleWriterMultipleReaders: Bool {
        HDF5Library.prepare()
        guard let id = currentID else { return false }
        var info = H5F_info2_t()
        guard H5Fget_info2(id, &info) >= 0 else {
            _ = H5Eclear2(ch5_e_default())
            return false
        }
        return info.super.version >= 3
    }

    /// Switches a file created with `singleWriterMultipleReaders` into SWMR writing (`H5Fstart_swmr_write`):
    /// from now on only existing datasets may be extended and written, and readers that open the file with
    /// `followingWriter` see every flushed append. Create every group, dataset and attribute first.
    public func startSingleWriterMultipleReaders() throws {
        HDF5Library.prepare()
        let id = try requireOpen()
        try h5check(H5Fstart_swmr_write(id), "cannot start SWMR writing on '\(path)' (was it created for it?)")
    }

    /// Closes the file and every object still open in it. Calling it again does nothing.
    public func close() throws {
        HDF5Library.prepare()
        lock.lock()
        let id = fileID
        fileID = -1
        lock.unlock()
        guard id >= 0 else { return }
        defer { releaseWriterLock() }
        try h5check(H5Fclose(id), "cannot close HDF5 file '\(path)'")
    }

    /// Closes a file that `create` made (or truncated) and removes it, while still holding its writer lock, so
    /// never a file another writer has since put at the path. A file opened with `open` is only closed.
    public func closeRemovingFile() {
        lock.lock()
        let held = writerLock
        writerLock = nil      // kept by this call until the file is removed
        lock.unlock()
        try? close()
        if let held, createdHere { held.removeFile() }
        held?.release()
        lock.lock()
        let old = replacedLock
        replacedLock = nil
        lock.unlock()
        old?.release()
    }

    private func releaseWriterLock() {
        lock.lock()
        let held = writerLock
        writerLock = nil
        lock.unlock()
        held?.release()
    }

    // MARK: internal

    /// The open file id, or nil after `close()`.
    var currentID: hid_t? {
        lock.lock()
        defer { lock.unlock() }
        return fileID >= 0 ? fileID : nil
    }

    /// The open file id; throws when the file was closed.
    func requireOpen() throws -> hid_t {
        guard let id = currentID else {
            throw HDF5Error.access("HDF5 file '\(path)' is closed")
        }
        return id
    }

    private static func makeAccessList(writable: Bool, latestFormat: Bool = false) throws -> hid_t {
        let fapl = try h5check(H5Pcreate(ch5_p_file_access()), "cannot create a file-access property list")
        do {
            try h5check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "cannot set the file close degree")
            if writable {
                // Objects of 1 MiB or more (large chunks) start on a page boundary, so that
                // `H5DirectChunkWriter` can write them with direct I/O; smaller ones are packed as usual.
                try h5check(H5Pset_alignment(fapl, 1 << 20, 4096), "cannot set the file alignment")
                try h5check(H5Pset_libver_bounds(fapl, latestFormat ? ch5_libver_latest() : H5F_LIBVER_V18, ch5_libver_latest()),
                            "cannot set library-version bounds")
            }
            return fapl
        } catch {
            H5Pclose(fapl)
            throw error
        }
    }
}
