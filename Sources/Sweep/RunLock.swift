import Foundation

/// An exclusive `flock` on `runs/<id>/lock`. The train process gets a copy of the descriptor, so the lock is
/// held while either the runner or its child lives: a runner killed with SIGKILL leaves the lock to the child,
/// and a new runner waits for it instead of starting the same run twice.
public final class RunLock {
    public let fd: Int32

    /// nil when another process holds the lock.
    public init?(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SweepError.system("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
        self.fd = fd
    }

    /// Whether some process holds the lock right now (without taking it for longer than the check).
    public static func isHeld(path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return true
    }

    public func release() { close(fd) }
}
