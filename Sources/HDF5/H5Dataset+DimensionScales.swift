import CHDF5

extension H5Dataset {
    /// Turns this dataset into a dimension scale named `dimensionName` (`H5DSset_scale`).
    ///
    /// For netCDF/xarray, put the scale in the same group as (or an ancestor of) the data and give the dataset
    /// the same name as the dimension.
    public func makeDimensionScale(_ dimensionName: String) throws {
        let id = try openObjectID()
        try requireWritable("make a dimension scale of")
        try h5check(H5DSset_scale(id, dimensionName), "cannot make \(label) a dimension scale '\(dimensionName)'")
    }

    /// Attaches `scale` to dimension `index` of this dataset (`H5DSattach_scale`).
    public func attach(scale: H5Dataset, toDimension index: Int) throws {
        let id = try openObjectID()
        let scaleID = try scale.openObjectID()
        try requireWritable("attach a dimension scale to")
        let rank = try extent().current.count
        guard (0..<rank).contains(index) else {
            throw HDF5Error.value("cannot attach scale '\(scale.name)' to dimension \(index) of \(label): it has \(rank) "
                            + "dimensions")
        }
        try h5check(H5DSattach_scale(id, scaleID, UInt32(index)),
                    "cannot attach scale '\(scale.name)' to dimension \(index) of \(label)")
    }

    /// Per dimension, the name (`NAME`) of the first attached dimension scale, or nil when none is attached.
    /// A 1-D dimension scale with nothing attached reports its own name.
    public func dimensionNames() throws -> [String?] {
        let id = try openObjectID()
        let rank = try extent().current.count
        var names = [String?](repeating: nil, count: rank)
        for dimension in 0..<rank {
            let attached = H5DSget_num_scales(id, UInt32(dimension))
            if attached < 0 { throw HDF5Error.capture("cannot count the scales of dimension \(dimension) of \(label)") }
            guard attached > 0 else { continue }
            var found: String? = nil
            let status = withUnsafeMutablePointer(to: &found) { pointer in
                H5DSiterate_scales(id, UInt32(dimension), nil, { _, _, scale, context in
                    guard let context else { return -1 }
                    context.assumingMemoryBound(to: String?.self).pointee = scaleName(scale)
                    return 1  // stop after the first scale
                }, pointer)
            }
            try h5check(status, "cannot read the scales of dimension \(dimension) of \(label)")
            names[dimension] = found
        }
        if rank == 1, names[0] == nil, isDimensionScale {
            names[0] = scaleName(id)
        }
        return names
    }

    /// True when this dataset is a dimension scale (`H5DSis_scale`).
    public var isDimensionScale: Bool {
        guard let id = try? openObjectID() else { return false }
        let result = H5DSis_scale(id)
        if result < 0 { _ = H5Eclear2(ch5_e_default()) }
        return result > 0
    }

    /// Sets the label of dimension `index` (`H5DSset_label`; h5py shows it as `dims[index].label`).
    public func setDimensionLabel(_ text: String, forDimension index: Int) throws {
        let id = try openObjectID()
        try requireWritable("label a dimension of")
        let rank = try extent().current.count
        guard (0..<rank).contains(index) else {
            throw HDF5Error.value("cannot label dimension \(index) of \(label): it has \(rank) dimensions")
        }
        try h5check(H5DSset_label(id, UInt32(index), text), "cannot label dimension \(index) of \(label)")
    }

    /// Per dimension, its label (`H5DSget_label`), or nil when unlabelled.
    public func dimensionLabels() throws -> [String?] {
        let id = try openObjectID()
        let rank = try extent().current.count
        return try (0..<rank).map { dimension in
            let length = H5DSget_label(id, UInt32(dimension), nil, 0)
            if length < 0 { throw HDF5Error.capture("cannot read the label of dimension \(dimension) of \(label)") }
            guard length > 0 else { return nil }
            var buffer = [CChar](repeating: 0, count: length + 1)
            _ = H5DSget_label(id, UInt32(dimension), &buffer, buffer.count)
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// The `NAME` of a dimension scale, else the last component of its path, else nil.
private func scaleName(_ scale: hid_t) -> String? {
    let length = H5DSget_scale_name(scale, nil, 0)
    if length > 0 {
        var buffer = [CChar](repeating: 0, count: length + 1)
        if H5DSget_scale_name(scale, &buffer, buffer.count) > 0 {
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
    _ = H5Eclear2(ch5_e_default())
    let pathLength = H5Iget_name(scale, nil, 0)
    guard pathLength > 0 else { _ = H5Eclear2(ch5_e_default()); return nil }
    var buffer = [CChar](repeating: 0, count: pathLength + 1)
    _ = H5Iget_name(scale, &buffer, buffer.count)
    let path = String(decoding: buffer.prefix(pathLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return path.split(separator: "/").last.map(String.init)
}
