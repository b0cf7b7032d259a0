import CHDF5
import Foundation

extension H5File {
    /// The hidden name a file created with `publishingLater` has until `publish()`: `.NAME.creating-PID` beside
    /// `path`, PID the creating process.
    static func creationPath(for path: String, pid: Int32 = getpid()) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).creating-\(pid)").path
    }

    /// Removes the `.NAME.creating-PID` files in the directory of `path` that a killed writer left: those whose
    /// process is gone and whose writer lock nobody holds. A live writer's file is never touched: its process
    /// exists (the PID check covers the moment between making the file and locking it), and on a file system
    /// shared between machines, where the PID means nothing here, its lock is held. Returns the removed paths.
    @discardableResult
    public static func removeStaleCreations(besides path: String) -> [String] {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: ".creating-", options: .backwards),
                  range.lowerBound > name.index(after: name.startIndex),
                  let pid = Int32(name[range.upperBound...]), pid > 0, pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists (EPERM: it exists, someone else's).
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let hidden = (dir as NSString).appendingPathComponent(name)
            // Only a regular file (never follow a link somewhere else), and only one nobody writes.
            var info = stat()
            guard lstat(hidden, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, !H5WriterLock.isHeld(hidden) else { continue }
            if unlink(hidden) == 0 { removed.append(hidden) }
        }
        return removed
    }
}
