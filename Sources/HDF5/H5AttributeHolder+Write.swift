import CHDF5

extension H5AttributeHolder {
    /// Sets a scalar variable-length UTF-8 string attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: String) throws {
        try setStringAttribute(name, [value], dimensions: nil)
    }

    /// Sets a scalar int64 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: Int64) throws {
        try writeNumericAttribute(name, [value], fileType: ch5_std_i64le(), memoryType: ch5_native_int64(),
                                  dimensions: nil)
    }

    /// Sets a scalar int64 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: Int) throws {
        try setAttribute(name, Int64(value))
    }

    /// Sets a scalar float64 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: Double) throws {
        try writeNumericAttribute(name, [value], fileType: ch5_ieee_f64le(), memoryType: ch5_native_double(),
                                  dimensions: nil)
    }

    /// Sets a scalar float32 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: Float) throws {
        try writeNumericAttribute(name, [value], fileType: ch5_ieee_f32le(), memoryType: ch5_native_float(),
                                  dimensions: nil)
    }

    /// Sets a boolean attribute, stored as a scalar uint8 0 or 1, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: Bool) throws {
        try writeNumericAttribute(name, [UInt8(value ? 1 : 0)], fileType: ch5_std_u8le(),
                                  memoryType: ch5_native_uint8(), dimensions: nil)
    }

    /// Sets a 1-D float64 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: [Double]) throws {
        try writeNumericAttribute(name, value, fileType: ch5_ieee_f64le(), memoryType: ch5_native_double(),
                                  dimensions: [value.count])
    }

    /// Sets a 1-D int64 attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: [Int64]) throws {
        try writeNumericAttribute(name, value, fileType: ch5_std_i64le(), memoryType: ch5_native_int64(),
                                  dimensions: [value.count])
    }

    /// Sets a 1-D variable-length UTF-8 string attribute, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: [String]) throws {
        try setStringAttribute(name, value, dimensions: [value.count])
    }

    // MARK: internal

    /// Writes `values` as attribute `name` (scalar when `dimensions` is nil), replacing an existing one.
    func writeNumericAttribute<T>(_ name: String, _ values: [T], fileType: hid_t, memoryType: hid_t,
                                  dimensions: [Int]?) throws {
        try values.withUnsafeBytes { buffer in
            try writeAttribute(name, fileType: fileType, memoryType: memoryType, dimensions: dimensions,
                               data: buffer.baseAddress)
        }
    }

    func setStringAttribute(_ name: String, _ values: [String], dimensions: [Int]?) throws {
        let type = try makeVariableUTF8Type()
        defer { H5Tclose(type) }
        try withCStringPointers(values) { pointers in
            try pointers.withUnsafeBytes { buffer in
                try writeAttribute(name, fileType: type, memoryType: type, dimensions: dimensions,
                                   data: buffer.baseAddress)
            }
        }
    }

    /// Writes an attribute: in place when one of that name, type and shape exists, else created (after deleting
    /// an existing one of another type or shape).
    func writeAttribute(_ name: String, fileType: hid_t, memoryType: hid_t, dimensions: [Int]?,
                        data: UnsafeRawPointer?) throws {
        let id = try openObjectID()
        guard file.isWritable else {
            throw HDF5Error.access("cannot write \(attributeLabel(name)): the file is open read-only")
        }
        let space: hid_t
        if let dimensions {
            let sizes = try hsizes(dimensions, "attribute shape")
            space = try h5check(H5Screate_simple(Int32(sizes.count), sizes, nil),
                                "cannot make the dataspace for \(attributeLabel(name))")
        } else {
            space = try h5check(H5Screate(H5S_SCALAR), "cannot make the dataspace for \(attributeLabel(name))")
        }
        defer { H5Sclose(space) }
        if try h5bool(H5Aexists(id, name), "cannot look up \(attributeLabel(name))") {
            // Same type and shape: overwrite in place. Deleting and creating it again would use up the object's
            // attribute creation index (65 535 creations), which a run that rewrites its optimizer state's
            // attributes at every snapshot reached after ~22 000 snapshots ("attribute creation index can't be
            // incremented").
            let existing = try h5check(H5Aopen(id, name, ch5_p_default()), "cannot open \(attributeLabel(name))")
            let oldType = H5Aget_type(existing), oldSpace = H5Aget_space(existing)
            let sameKind = oldType >= 0 && oldSpace >= 0 && H5Tequal(oldType, fileType) > 0
                && H5Sextent_equal(oldSpace, space) > 0
            if oldType >= 0 { H5Tclose(oldType) }
            if oldSpace >= 0 { H5Sclose(oldSpace) }
            if sameKind {
                defer { H5Aclose(existing) }
                if let data, (dimensions.map { elementCount($0) ?? 0 } ?? 1) > 0 {
                    try h5check(H5Awrite(existing, memoryType, data), "cannot write \(attributeLabel(name))")
                }
                return
            }
            H5Aclose(existing)
            _ = H5Eclear2(ch5_e_default())
            try h5check(H5Adelete(id, name), "cannot replace \(attributeLabel(name))")
        }
        let attribute = try h5check(H5Acreate2(id, name, fileType, space, ch5_p_default(), ch5_p_default()),
                                    "cannot create \(attributeLabel(name))")
        defer { H5Aclose(attribute) }
        if let data, (dimensions.map { elementCount($0) ?? 0 } ?? 1) > 0 {
            try h5check(H5Awrite(attribute, memoryType, data), "cannot write \(attributeLabel(name))")
        }
    }
}
