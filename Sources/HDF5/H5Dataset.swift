import CHDF5

/// An open HDF5 dataset. Keeps its file alive; closed in `deinit`.
public final class H5Dataset: H5AttributeHolder, @unchecked Sendable {
    /// Full path inside the file, e.g. "/run/samples".
    public let name: String
    public let file: H5File
    public let objectID: Int64

    init(file: H5File, id: hid_t, name: String) {
        self.file = file
        self.objectID = id
        self.name = name
    }

    deinit {
        if objectID >= 0 && H5Iis_valid(objectID) > 0 { H5Dclose(objectID) }
    }

    /// "dataset '/g/x' in 'file.h5'", for messages.
    var label: String { "dataset '\(name)' in '\(file.path)'" }

    /// The current extent (re-queried each time); `[]` for a scalar or when the dataset cannot be queried.
    public var shape: [Int] { (try? extent().current) ?? [] }

    /// The maximum extent per dimension, nil meaning unlimited; `[]` for a scalar or on error.
    public var maxShape: [Int?] { (try? extent().maximum) ?? [] }

    /// The chunk dimensions of a chunked dataset; nil for a contiguous or compact one, or when it cannot be queried.
    public var chunkShape: [Int]? {
        guard let id = try? openObjectID() else { return nil }
        let dcpl = H5Dget_create_plist(id)
        guard dcpl >= 0 else { _ = H5Eclear2(ch5_e_default()); return nil }
        defer { H5Pclose(dcpl) }
        guard H5Pget_layout(dcpl) == H5D_CHUNKED else { return nil }
        var dims = [hsize_t](repeating: 0, count: 32)
        let rank = H5Pget_chunk(dcpl, 32, &dims)
        guard rank > 0 else { _ = H5Eclear2(ch5_e_default()); return nil }
        return dims.prefix(Int(rank)).map { Int($0) }
    }

    /// The element type, or nil for types this layer does not map (fixed-length strings map to `.string`).
    public var elementType: H5ElementType? {
        guard let id = try? openObjectID() else { return nil }
        let type = H5Dget_type(id)
        guard type >= 0 else { _ = H5Eclear2(ch5_e_default()); return nil }
        defer { H5Tclose(type) }
        return H5ElementType(typeID: type)
    }

    /// Changes the current extent (`H5Dset_extent`), larger or smaller (shrinking drops the cut-off elements);
    /// only within `maxShape`, only for chunked datasets.
    public func extend(to shape: [Int]) throws {
        let id = try openObjectID()
        try requireWritable("extend")
        let current = try extent().current
        guard shape.count == current.count else {
            throw HDF5Error.value("cannot extend \(label) to \(shape): it has \(current.count) dimensions")
        }
        let sizes = try hsizes(shape, "the new shape of \(label)")
        try h5check(H5Dset_extent(id, sizes), "cannot extend \(label) from \(current) to \(shape)")
    }

    /// Re-reads this dataset's metadata from the file (`H5Drefresh`), so a SWMR reader sees the writer's appends.
    public func refresh() throws {
        let id = try openObjectID()
        try h5check(H5Drefresh(id), "cannot refresh \(label)")
    }

    // MARK: internal

    func requireWritable(_ action: @autoclosure () -> String) throws {
        guard file.isWritable else { throw HDF5Error.access("cannot \(action()) \(label): the file is open read-only") }
    }

    /// Current and maximum extents.
    func extent() throws -> (current: [Int], maximum: [Int?]) {
        let id = try openObjectID()
        let space = try h5check(H5Dget_space(id), "cannot get the dataspace of \(label)")
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        if rank < 0 { throw HDF5Error.capture("cannot get the rank of \(label)") }
        guard rank > 0 else { return ([], []) }
        var current = [hsize_t](repeating: 0, count: Int(rank))
        var maximum = [hsize_t](repeating: 0, count: Int(rank))
        try h5check(H5Sget_simple_extent_dims(space, &current, &maximum), "cannot get the extent of \(label)")
        let unlimited = ch5_unlimited()
        return (current.map { Int($0) }, maximum.map { $0 == unlimited ? nil : Int($0) })
    }

    /// The dataset's type class, checked against what a reader accepts.
    func requireClass(_ accepted: [H5T_class_t], _ what: String) throws {
        let id = try openObjectID()
        let type = try h5check(H5Dget_type(id), "cannot get the type of \(label)")
        defer { H5Tclose(type) }
        let typeClass = H5Tget_class(type)
        guard accepted.contains(typeClass) else {
            throw HDF5Error.member("\(label) holds \(typeClassName(typeClass)) elements, not \(what)")
        }
    }
}
