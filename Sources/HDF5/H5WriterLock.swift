import CHDF5
import Foundation

/// The one-writer lock every writable `H5File` holds on its file from before HDF5 touches it until it is closed:
/// an exclusive Linux open-file-description lock (`F_OFD_SETLK`) on a descriptor of its own.
///
/// Why not HDF5's own lock: HDF5 takes `flock()` when it opens a file, but only once the file is open (after
/// `--force`'s removal or truncation would already have happened in a careless caller) and it drops it when a
/// writer switches to SWMR, so a second writer could open a live run. An OFD lock is independent of `flock()`,
/// is not lost when HDF5 closes or reopens its own descriptors (a classic POSIX lock would be), conflicts
/// between two opens in one process as between two processes, and goes away with the process however it ends,
/// so a killed writer never leaves a stale lock. The descriptor is close-on-exec: child processes do not hold it.
public final class H5WriterLock: @unchecked Sendable {
    /// The path the locked file has (a published file's lock follows it to its name).
    public internal(set) var path: String
    /// Whether this lock created the file (then a failed creation may remove it again).
    public let createdFile: Bool
    private var descriptor: Int32

    private init(path: String, descriptor: Int32, createdFile: Bool) {
        self.path = path
        self.descriptor = descriptor
        self.createdFile = createdFile
    }

    deinit { release() }

    /// Takes the lock of `path`: with `creating`, on a new empty file made exclusively (failing if the path
    /// exists); otherwise on the existing file. Throws, naming the path, when another writer holds it.
    public static func acquire(_ path: String, creating: Bool) throws -> H5WriterLock {
        let flags = creating ? (O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC) : (O_RDWR | O_CLOEXEC)
        let fd = open(path, flags, 0o644)
        if fd < 0 {
            let code = errno
            if creating && code == EEXIST {
                throw HDF5Error.file("cannot create HDF5 file '\(path)': it already exists (another process may have just created it)")
            }
            throw HDF5Error.file(creating ? "cannot create HDF5 file '\(path)': \(String(cString: strerror(code)))"
                                     : "cannot open HDF5 file '\(path)' for writing: \(String(cString: strerror(code)))")
        }
        if ch5_ofd_try_lock(fd) != 0 {
            let code = errno
            if creating { unlink(path) }   // made just now, empty, and locked by nobody else: never a run
            close(fd)
            if code == EAGAIN || code == EACCES {
                throw HDF5Error.busy(busyMessage(path))
            }
            throw HDF5Error.file("cannot lock '\(path)' for writing: \(String(cString: strerror(code)))")
        }
        return H5WriterLock(path: path, descriptor: fd, createdFile: creating)
    }

    /// "another process is writing it", the one line every refused second writer prints.
    public static func busyMessage(_ path: String) -> String {
        "\(path): another process is writing it (a condense train or analyze still running); wait for it to finish, or write another file"
    }

    /// Whether a writer holds the lock of `path` now (tried with a lock of our own, released at once).
    public static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return ch5_ofd_try_lock(fd) != 0 && (errno == EAGAIN || errno == EACCES)
    }

    /// Removes the file, but only while `path` still names the file this lock holds (never another writer's).
    public func removeFile() {
        guard descriptor >= 0 else { return }
        var mine = stat(), named = stat()
        guard fstat(descriptor, &mine) == 0, stat(path, &named) == 0,
              mine.st_dev == named.st_dev, mine.st_ino == named.st_ino else { return }
        unlink(path)
    }

    /// Reserves disk blocks for `growth` bytes past the file's current end (without changing its size), so that
    /// writes there cannot fail for a full disk. Throws "No space left on device" when the disk cannot hold them;
    /// does nothing where the file system cannot reserve.
    public func reserve(growth: Int) throws {
        guard descriptor >= 0, growth > 0 else { return }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return }
        if ch5_reserve(descriptor, Int64(info.st_size) + Int64(growth)) != 0 && errno == ENOSPC {
            throw HDF5Error.file("cannot reserve \(growth) bytes for '\(path)': \(String(cString: strerror(ENOSPC)))")
        }
    }

    /// Gives the lock up (closing its descriptor). Calling it again does nothing.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
