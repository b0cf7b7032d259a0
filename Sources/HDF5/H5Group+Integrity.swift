import CHDF5

extension H5Group {
    /// Renames (moves) the link `name` to `newName`, both relative to this group (`H5Lmove`). Only links change:
    /// the object itself is neither read through nor freed, which is what makes a move the cheap, safe step for
    /// switching a new group in and an old or damaged one out.
    public func move(_ name: String, to newName: String) throws {
        let id = try openObjectID()
        try requireWritable("rename \(memberLabel(name))")
        guard contains(name) else { throw HDF5Error.member("cannot rename \(memberLabel(name)): no such member") }
        if contains(newName) { throw HDF5Error.member("cannot rename \(memberLabel(name)) to '\(newName)': the name is taken") }
        try h5check(H5Lmove(id, name, id, newName, ch5_p_default(), ch5_p_default()),
                    "cannot rename \(memberLabel(name)) to '\(newName)'")
    }

    /// Removes the link `name` without freeing the object it names: the object's reference count is raised first
    /// (`H5Oincr_refcount`), so `H5Ldelete` only drops the link and HDF5 never walks the object to free it. Its
    /// space stays unused in the file (`h5repack` reclaims it). For a group a killed writer left damaged, which
    /// HDF5 can crash freeing; the object's own header must open.
    public func unlinkKeepingStorage(_ name: String) throws {
        let id = try openObjectID()
        try requireWritable("unlink \(memberLabel(name))")
        let object = H5Oopen(id, name, ch5_p_default())
        guard object >= 0 else { throw HDF5Error.capture("cannot open \(memberLabel(name))") }
        defer { H5Oclose(object) }
        try h5check(H5Oincr_refcount(object), "cannot keep \(memberLabel(name)) while unlinking it")
        try h5check(H5Ldelete(id, name, ch5_p_default()), "cannot unlink \(memberLabel(name))")
    }

    /// Whether every object below this group opens and every dataset reads back whole (checksummed metadata and
    /// chunk indices included). False at the first failure, without throwing. Deleting a group walks all of this
    /// and frees it; HDF5 can crash deleting one that a killed writer left half-written, so a group is deleted
    /// only after this walk has passed.
    public func isReadableThroughout() -> Bool {
        guard let names = try? memberNames() else { return false }
        for member in names {
            if isGroup(member) {
                guard let g = try? openGroup(member), g.isReadableThroughout() else { return false }
            } else if isDataset(member) {
                guard let ds = try? openDataset(member) else { return false }
                switch ds.elementType {
                case .string?: if (try? ds.readStrings()) == nil { return false }
                case .int64?, .int32?, .uint8?: if (try? ds.readInt64()) == nil { return false }
                case .float64?, .float32?: if (try? ds.read()) == nil { return false }
                case nil: return false
                }
            } else {
                return false
            }
        }
        return true
    }
}
