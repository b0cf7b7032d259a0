import CHDF5

/// An HDF5 object that carries attributes: `H5Group` and `H5Dataset`.
///
/// The readers convert between compatible types (any integer to `Int64`, any number to `Double`, variable- or
/// fixed-length strings to `String`). A missing attribute or an incompatible type throws an `HDF5Error` naming
/// the attribute and the object.
public protocol H5AttributeHolder: AnyObject {
    /// Full path of the object inside its file, e.g. "/layers/hidden_1".
    var name: String { get }
    /// The file the object lives in.
    var file: H5File { get }
    /// The raw HDF5 object identifier (valid while the object and its file are open).
    var objectID: Int64 { get }
}

extension H5AttributeHolder {
    /// "attribute 'x' of '/g' in 'file.h5'", for messages.
    func attributeLabel(_ attribute: String) -> String {
        "attribute '\(attribute)' of '\(name)' in '\(file.path)'"
    }

    /// The object id after checking that the file is still open.
    func openObjectID() throws -> hid_t {
        HDF5Library.prepare()
        _ = try file.requireOpen()
        guard objectID >= 0 else { throw HDF5Error.access("'\(name)' in '\(file.path)' is not open") }
        return objectID
    }

    /// True when the object has an attribute called `name` (false on any error).
    public func hasAttribute(_ name: String) -> Bool {
        guard let id = try? openObjectID() else { return false }
        let result = H5Aexists(id, name)
        if result < 0 { _ = H5Eclear2(ch5_e_default()) }
        return result > 0
    }

    /// Names of all attributes, in creation order when the file tracks it, else alphabetically.
    public func attributeNames() throws -> [String] {
        let id = try openObjectID()
        var names: [String] = []
        let callback: H5A_operator2_t = { _, attributeName, _, context in
            guard let attributeName, let context else { return -1 }
            context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: attributeName))
            return 0
        }
        let index = try tracksAttributeCreationOrder(id) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME
        var position: hsize_t = 0
        let status = withUnsafeMutablePointer(to: &names) {
            H5Aiterate2(id, index, H5_ITER_INC, &position, callback, $0)
        }
        try h5check(status, "cannot list the attributes of '\(name)' in '\(file.path)'")
        return names
    }

    /// Whether the object's creation properties track attribute creation order.
    private func tracksAttributeCreationOrder(_ id: hid_t) throws -> Bool {
        let plist: hid_t
        switch H5Iget_type(id) {
        case H5I_GROUP: plist = H5Gget_create_plist(id)
        case H5I_DATASET: plist = H5Dget_create_plist(id)
        default: return false
        }
        try h5check(plist, "cannot read the creation properties of '\(name)' in '\(file.path)'")
        defer { H5Pclose(plist) }
        var flags: UInt32 = 0
        try h5check(H5Pget_attr_creation_order(plist, &flags), "cannot read the attribute order of '\(name)'")
        return flags & UInt32(H5P_CRT_ORDER_TRACKED) != 0
    }

    /// Deletes attribute `name`; throws if it does not exist.
    public func removeAttribute(_ name: String) throws {
        let id = try openObjectID()
        guard hasAttribute(name) else { throw HDF5Error.member("cannot remove \(attributeLabel(name)): no such attribute") }
        try h5check(H5Adelete(id, name), "cannot remove \(attributeLabel(name))")
    }
}
