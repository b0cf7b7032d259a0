import Foundation

/// What a path names, from `stat` (symbolic links followed).
///
/// Inputs are read only from regular files: opening a FIFO for reading blocks until someone writes to it (a FIFO
/// given as `--data` or as a run file hung the command, or was misreported as "not UTF-8 text"), and a device or
/// socket is no file of ours either. Every reader of user paths asks this first and refuses the rest in one line.
public enum FileKind: Equatable, Sendable {
    case missing
    case regular
    case directory
    /// Anything else, named for messages: "a FIFO", "a character device", "a block device", "a socket".
    case other(String)

    public init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { self = .missing; return }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .other("a FIFO")
        case S_IFCHR: self = .other("a character device")
        case S_IFBLK: self = .other("a block device")
        case S_IFSOCK: self = .other("a socket")
        default: self = .other("not a regular file")
        }
    }

    /// For `.other`: "is a FIFO, not a regular file"; nil for the other kinds.
    public var notRegularDescription: String? {
        guard case .other(let what) = self else { return nil }
        return "is \(what), not a regular file"
    }
}
