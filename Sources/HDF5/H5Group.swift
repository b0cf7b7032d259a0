import CHDF5

/// An open HDF5 group. Keeps its file alive; closed in `deinit`.
///
/// Names passed to the methods are relative to this group and may contain "/" (e.g. "layers/hidden_1");
/// a name starting with "/" is absolute within the file.
public final class H5Group: H5AttributeHolder, @unchecked Sendable {
    /// Full path inside the file, e.g. "/layers/hidden_1".
    public let name: String
    public let file: H5File
    public let objectID: Int64

    init(file: H5File, id: hid_t, name: String) {
        self.file = file
        self.objectID = id
        self.name = name
    }

    deinit {
        if objectID >= 0 && H5Iis_valid(objectID) > 0 { H5Gclose(objectID) }
    }

    /// The full in-file path of member `name`.
    func path(of member: String) -> String {
        if member.hasPrefix("/") { return member }
        return name == "/" ? "/" + member : name + "/" + member
    }

    /// "'x' in group '/g' of 'file.h5'", for messages.
    func memberLabel(_ member: String) -> String {
        "'\(member)' in group '\(name)' of '\(file.path)'"
    }

    // MARK: groups

    /// Creates a group (and any missing intermediate groups) with link and attribute creation order tracked.
    public func createGroup(_ name: String) throws -> H5Group {
        let id = try openObjectID()
        try requireWritable("create group \(memberLabel(name))")
        if contains(name) { throw HDF5Error.member("cannot create group \(memberLabel(name)): the name is taken") }
        let lcpl = try makeLinkCreationList()
        defer { H5Pclose(lcpl) }
        let gcpl = try h5check(H5Pcreate(ch5_p_group_create()), "cannot create a group-creation property list")
        defer { H5Pclose(gcpl) }
        let order = UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)
        try h5check(H5Pset_link_creation_order(gcpl, order), "cannot track link creation order")
        try h5check(H5Pset_attr_creation_order(gcpl, order), "cannot track attribute creation order")
        let group = try h5check(H5Gcreate2(id, name, lcpl, gcpl, ch5_p_default()),
                                "cannot create group \(memberLabel(name))")
        return H5Group(file: file, id: group, name: path(of: name))
    }

    /// Opens an existing group.
    public func openGroup(_ name: String) throws -> H5Group {
        let id = try openObjectID()
        guard contains(name) else { throw HDF5Error.member("no group \(memberLabel(name))") }
        guard isGroup(name) else { throw HDF5Error.member("\(memberLabel(name)) is not a group") }
        let group = try h5check(H5Gopen2(id, name, ch5_p_default()), "cannot open group \(memberLabel(name))")
        return H5Group(file: file, id: group, name: path(of: name))
    }

    // MARK: members

    /// True when a link `name` exists; each "/"-separated part is checked in turn. False on any error.
    public func contains(_ name: String) -> Bool {
        guard let id = try? openObjectID() else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { return name.hasPrefix("/") }
        var prefix = name.hasPrefix("/") ? "" : nil as String?
        for part in parts {
            let next = prefix.map { $0 + "/" + part } ?? String(part)
            let result = H5Lexists(id, next, ch5_p_default())
            if result <= 0 {
                if result < 0 { _ = H5Eclear2(ch5_e_default()) }
                return false
            }
            prefix = next
        }
        return true
    }

    /// Member names (links) of this group, in creation order when tracked, else by name.
    public func memberNames() throws -> [String] {
        let id = try openObjectID()
        var names: [String] = []
        let callback: H5L_iterate_t = { _, memberName, _, context in
            guard let memberName, let context else { return -1 }
            context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: memberName))
            return 0
        }
        let index = try tracksCreationOrder(id) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME
        var position: hsize_t = 0
        let status = withUnsafeMutablePointer(to: &names) {
            H5Literate(id, index, H5_ITER_INC, &position, callback, $0)
        }
        try h5check(status, "cannot list the members of group '\(name)' in '\(file.path)'")
        return names
    }

    /// True when `name` exists and is a group.
    public func isGroup(_ name: String) -> Bool { objectType(name) == H5I_GROUP }

    /// True when `name` exists and is a dataset.
    public func isDataset(_ name: String) -> Bool { objectType(name) == H5I_DATASET }

    /// Removes the link `name` (`H5Ldelete`). The space is not reclaimed inside the file.
    public func remove(_ name: String) throws {
        let id = try openObjectID()
        try requireWritable("remove \(memberLabel(name))")
        guard contains(name) else { throw HDF5Error.member("cannot remove \(memberLabel(name)): no such member") }
        try h5check(H5Ldelete(id, name, ch5_p_default()), "cannot remove \(memberLabel(name))")
    }

    // MARK: internal

    func requireWritable(_ action: @autoclosure () -> String) throws {
        guard file.isWritable else { throw HDF5Error.access("cannot \(action()): the file is open read-only") }
    }

    /// A link-creation property list that creates missing intermediate groups.
    func makeLinkCreationList() throws -> hid_t {
        let lcpl = try h5check(H5Pcreate(ch5_p_link_create()), "cannot create a link-creation property list")
        if H5Pset_create_intermediate_group(lcpl, 1) < 0 {
            let error = HDF5Error.capture("cannot request intermediate groups")
            H5Pclose(lcpl)
            throw error
        }
        return lcpl
    }

    private func tracksCreationOrder(_ id: hid_t) throws -> Bool {
        let gcpl = try h5check(H5Gget_create_plist(id), "cannot read the creation properties of '\(name)'")
        defer { H5Pclose(gcpl) }
        var flags: UInt32 = 0
        try h5check(H5Pget_link_creation_order(gcpl, &flags), "cannot read the link creation order of '\(name)'")
        return flags & UInt32(H5P_CRT_ORDER_TRACKED) != 0
    }

    private func objectType(_ name: String) -> H5I_type_t? {
        guard contains(name), let id = try? openObjectID() else { return nil }
        let object = H5Oopen(id, name, ch5_p_default())
        guard object >= 0 else {
            _ = H5Eclear2(ch5_e_default())
            return nil
        }
        defer { H5Oclose(object) }
        return H5Iget_type(object)
    }
}
