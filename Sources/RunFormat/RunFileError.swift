/// What goes wrong with a run file (or a propagation file), in one line, by what a caller can do about it.
public enum RunFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path cannot be opened as such a file: missing, a directory or special file, not HDF5, not written by
    /// condense, or HDF5 refuses to open it.
    case open(String)
    /// A training run still writes the file; following it (`--follow`) or waiting helps.
    case busy(String)
    /// The file's format version is not one this condense reads.
    case version(String)
    /// The file opens but a part is missing, misshapen or inconsistent (layers, /step, /data, /analysis, a record).
    case malformed(String)
    /// A snapshot index outside the file's snapshots.
    case snapshotRange(String)
    /// The file cannot be written as asked: opened read-only, not writable live (SWMR), or /analysis cannot be
    /// replaced.
    case write(String)

    /// The whole line; it names the file.
    public var description: String {
        switch self {
        case .open(let line), .busy(let line), .version(let line), .malformed(let line), .snapshotRange(let line),
             .write(let line):
            return line
        }
    }
}
