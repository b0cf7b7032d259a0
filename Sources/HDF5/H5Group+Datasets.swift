import CHDF5

extension H5Group {
    /// Creates a dataset.
    ///
    /// - Parameters:
    ///   - maxShape: per-dimension maximum extent, nil entries meaning unlimited; nil means fixed at `shape`.
    ///   - chunk: chunk shape. Required by HDF5 for unlimited dimensions and filters; when omitted in those cases
    ///     it defaults to `shape` with 1 on unlimited dimensions (and at least 1 everywhere).
    ///   - deflate: when given, adds shuffle + deflate at this level (0…9) and chunks the dataset.
    ///   - allocateOnExtend: for a chunked dataset, allocate each chunk's file space when an extension creates it,
    ///     and never write fill values (`H5D_ALLOC_TIME_EARLY`, `H5D_FILL_TIME_NEVER`), so that
    ///     `H5DirectChunkWriter` can fill whole chunks itself. Every chunk must then be written after extending:
    ///     an unwritten one holds whatever the file held there.
    ///
    /// float64 and float32 datasets get fill value NaN and a `_FillValue` attribute of the same type (NaN), so
    /// xarray and netCDF see unwritten elements as missing. Attribute creation order is tracked.
    public func createDataset(_ name: String, type: H5ElementType, shape: [Int], maxShape: [Int?]? = nil,
                              chunk: [Int]? = nil, deflate: Int? = nil,
                              allocateOnExtend: Bool = false) throws -> H5Dataset {
        let id = try openObjectID()
        let label = "dataset \(memberLabel(name))"
        try requireWritable("create \(label)")
        if contains(name) { throw HDF5Error.member("cannot create \(label): the name is taken") }
        let rank = shape.count
        let current = try hsizes(shape, "the shape of \(label)")
        let unlimited = ch5_unlimited()
        var maximum = current
        if let maxShape {
            guard maxShape.count == rank else {
                throw HDF5Error.value("cannot create \(label): maxShape \(maxShape) has \(maxShape.count) entries but the "
                                + "shape \(shape) has \(rank)")
            }
            for (axis, limit) in maxShape.enumerated() {
                guard let limit else { maximum[axis] = unlimited; continue }
                guard limit >= shape[axis] else {
                    throw HDF5Error.value("cannot create \(label): maxShape \(maxShape) is smaller than shape \(shape)")
                }
                maximum[axis] = hsize_t(limit)
            }
        }
        let hasUnlimited = maximum.contains(unlimited)
        if let deflate, !(0...9).contains(deflate) {
            throw HDF5Error.value("cannot create \(label): deflate level \(deflate) is outside 0...9")
        }

        var chunkSizes: [hsize_t]? = nil
        if let chunk {
            guard chunk.count == rank, chunk.allSatisfy({ $0 >= 1 }) else {
                throw HDF5Error.value("cannot create \(label): chunk \(chunk) must have \(rank) entries, each at least 1")
            }
            chunkSizes = chunk.map { hsize_t($0) }
        } else if hasUnlimited || deflate != nil {
            chunkSizes = zip(current, maximum).map { size, limit in limit == unlimited ? 1 : max(size, 1) }
        }
        if chunkSizes != nil && rank == 0 {
            throw HDF5Error.value("cannot create \(label): a scalar dataset cannot be chunked, extended or compressed")
        }

        let space: hid_t
        if rank == 0 {
            space = try h5check(H5Screate(H5S_SCALAR), "cannot make the dataspace of \(label)")
        } else {
            space = try h5check(H5Screate_simple(Int32(rank), current, maximum), "cannot make the dataspace of \(label)")
        }
        defer { H5Sclose(space) }

        let dcpl = try h5check(H5Pcreate(ch5_p_dataset_create()), "cannot create a dataset-creation property list")
        defer { H5Pclose(dcpl) }
        let order = UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)
        try h5check(H5Pset_attr_creation_order(dcpl, order), "cannot track attribute creation order")
        if let chunkSizes {
            try h5check(H5Pset_chunk(dcpl, Int32(rank), chunkSizes), "cannot set chunk \(chunkSizes) for \(label)")
        }
        if allocateOnExtend && chunkSizes != nil {
            try h5check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "cannot set the allocation time of \(label)")
            try h5check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "cannot set the fill time of \(label)")
        }
        if let deflate {
            try h5check(H5Pset_shuffle(dcpl), "cannot add the shuffle filter to \(label)")
            try h5check(H5Pset_deflate(dcpl, UInt32(deflate)), "cannot add the deflate filter to \(label)")
        }
        let isFloat = type == .float64 || type == .float32
        if isFloat {
            var fill = Double.nan
            try h5check(H5Pset_fill_value(dcpl, ch5_native_double(), &fill), "cannot set the fill value of \(label)")
        }

        let fileType = try type.makeFileType()
        defer { H5Tclose(fileType) }
        let lcpl = try makeLinkCreationList()
        defer { H5Pclose(lcpl) }
        let datasetID = try h5check(H5Dcreate2(id, name, fileType, space, lcpl, dcpl, ch5_p_default()),
                                    "cannot create \(label)")
        let dataset = H5Dataset(file: file, id: datasetID, name: path(of: name))
        if type == .float64 {
            try dataset.setAttribute("_FillValue", Double.nan)
        } else if type == .float32 {
            try dataset.setAttribute("_FillValue", Float.nan)
        }
        return dataset
    }

    /// Opens an existing dataset.
    public func openDataset(_ name: String) throws -> H5Dataset {
        let id = try openObjectID()
        guard contains(name) else { throw HDF5Error.member("no dataset \(memberLabel(name))") }
        guard isDataset(name) else { throw HDF5Error.member("\(memberLabel(name)) is not a dataset") }
        let datasetID = try h5check(H5Dopen2(id, name, ch5_p_default()), "cannot open dataset \(memberLabel(name))")
        return H5Dataset(file: file, id: datasetID, name: path(of: name))
    }

    /// Creates a float64 dataset of `shape` (default `[data.count]`) and writes `data`.
    @discardableResult
    public func write(_ name: String, _ data: [Double], shape: [Int]? = nil) throws -> H5Dataset {
        try checkCount(data.count, shape: shape ?? [data.count], name)
        let dataset = try createDataset(name, type: .float64, shape: shape ?? [data.count])
        try dataset.write(data)
        return dataset
    }

    /// Creates an int64 dataset of `shape` (default `[data.count]`) and writes `data`.
    @discardableResult
    public func write(_ name: String, _ data: [Int64], shape: [Int]? = nil) throws -> H5Dataset {
        try checkCount(data.count, shape: shape ?? [data.count], name)
        let dataset = try createDataset(name, type: .int64, shape: shape ?? [data.count])
        try dataset.write(data)
        return dataset
    }

    /// Creates a 1-D variable-length UTF-8 string dataset and writes `data`.
    @discardableResult
    public func write(_ name: String, _ data: [String]) throws -> H5Dataset {
        let dataset = try createDataset(name, type: .string, shape: [data.count])
        try dataset.write(data)
        return dataset
    }

    private func checkCount(_ count: Int, shape: [Int], _ name: String) throws {
        guard elementCount(shape) == count else {
            throw HDF5Error.value("cannot write dataset \(memberLabel(name)): \(count) values do not fill shape \(shape)")
        }
    }
}
