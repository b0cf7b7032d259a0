import HDF5

extension RunReader {
    /// Opens a run file for reading whatever state its writer left it in, as a resume needs: a file nobody writes
    /// opens normally; a live (SWMR) file whose writer was killed still carries its writer mark and is read as a
    /// follower; one killed after creating a live file but before its first snapshot switched it to SWMR is marked
    /// open for writing yet not for SWMR, so it cannot be followed: its mark is cleared (as `h5clear -s` does, and
    /// as `RunWriter.reopen` would anyway) and it opens normally.
    public static func recovering(path: String) throws -> RunReader {
        guard writerState(path: path) == .writingLive else { return try RunReader(path: path) }
        do {
            return try RunReader(path: path, following: true)
        } catch {
            try H5File.open(path, writable: true, clearingWriterMark: true).close()
            return try RunReader(path: path)
        }
    }
}
