import CHDF5

extension H5AttributeHolder {
    /// Reads a string attribute (variable- or fixed-length, scalar or one element).
    public func stringAttribute(_ name: String) throws -> String {
        try single(stringArrayAttribute(name), name)
    }

    /// Reads an integer attribute of any integer type as `Int64`.
    public func int64Attribute(_ name: String) throws -> Int64 {
        try single(int64ArrayAttribute(name), name)
    }

    /// Reads a numeric attribute of any integer or floating-point type as `Double`.
    public func doubleAttribute(_ name: String) throws -> Double {
        try single(doubleArrayAttribute(name), name)
    }

    /// Reads a boolean attribute: any integer (nonzero is true) or an h5py/numpy boolean enum.
    public func boolAttribute(_ name: String) throws -> Bool {
        try withAttribute(name) { attribute, type, space, count in
            let typeClass = H5Tget_class(type)
            guard count == 1 else {
                throw HDF5Error.value("\(attributeLabel(name)) holds \(count) values, expected one")
            }
            switch typeClass {
            case H5T_INTEGER:
                var value: Int64 = 0
                try h5check(H5Aread(attribute, ch5_native_int64(), &value), "cannot read \(attributeLabel(name))")
                return value != 0
            case H5T_ENUM:
                let native = try h5check(H5Tget_native_type(type, H5T_DIR_DEFAULT),
                                         "cannot read \(attributeLabel(name))")
                defer { H5Tclose(native) }
                var bytes = [UInt8](repeating: 0, count: max(H5Tget_size(native), 1))
                try h5check(H5Aread(attribute, native, &bytes), "cannot read \(attributeLabel(name))")
                return bytes.contains { $0 != 0 }
            default:
                throw HDF5Error.member("\(attributeLabel(name)) is \(typeClassName(typeClass)), not a boolean")
            }
        }
    }

    /// Reads a numeric attribute (any shape, flattened) as `[Double]`.
    public func doubleArrayAttribute(_ name: String) throws -> [Double] {
        try numericAttribute(name, memoryType: ch5_native_double(), allowFloat: true, what: "a number")
    }

    /// Reads an integer attribute (any shape, flattened) as `[Int64]`.
    public func int64ArrayAttribute(_ name: String) throws -> [Int64] {
        try numericAttribute(name, memoryType: ch5_native_int64(), allowFloat: false, what: "an integer")
    }

    /// Reads a string attribute (any shape, flattened; variable- or fixed-length) as `[String]`.
    public func stringArrayAttribute(_ name: String) throws -> [String] {
        try withAttribute(name) { attribute, type, space, count in
            let typeClass = H5Tget_class(type)
            guard typeClass == H5T_STRING else {
                throw HDF5Error.member("\(attributeLabel(name)) is \(typeClassName(typeClass)), not a string")
            }
            return try h5ReadStrings(fileType: type, count: count, label: attributeLabel(name)) { memoryType, buffer in
                H5Aread(attribute, memoryType, buffer)
            } reclaim: { memoryType, buffer in
                H5Dvlen_reclaim(memoryType, space, ch5_p_default(), buffer)
            }
        }
    }

    // MARK: internal

    private func single<T>(_ values: [T], _ name: String) throws -> T {
        guard values.count == 1, let value = values.first else {
            throw HDF5Error.value("\(attributeLabel(name)) holds \(values.count) values, expected one")
        }
        return value
    }

    private func numericAttribute<T: Numeric & BitwiseCopyable>(_ name: String, memoryType: hid_t, allowFloat: Bool,
                                              what: String) throws -> [T] {
        try withAttribute(name) { attribute, type, _, count in
            let typeClass = H5Tget_class(type)
            guard typeClass == H5T_INTEGER || (allowFloat && typeClass == H5T_FLOAT) else {
                throw HDF5Error.member("\(attributeLabel(name)) is \(typeClassName(typeClass)), not \(what)")
            }
            var values = [T](repeating: 0, count: count)
            if count > 0 {
                try values.withUnsafeMutableBytes { raw in
                    try h5check(H5Aread(attribute, memoryType, raw.baseAddress), "cannot read \(attributeLabel(name))")
                }
            }
            return values
        }
    }

    /// Opens attribute `name` and calls `body(attribute, fileType, dataspace, elementCount)`.
    func withAttribute<R>(_ name: String, _ body: (hid_t, hid_t, hid_t, Int) throws -> R) throws -> R {
        let id = try openObjectID()
        guard try h5bool(H5Aexists(id, name), "cannot look up \(attributeLabel(name))") else {
            throw HDF5Error.member("no \(attributeLabel(name))")
        }
        let attribute = try h5check(H5Aopen(id, name, ch5_p_default()), "cannot open \(attributeLabel(name))")
        defer { H5Aclose(attribute) }
        let type = try h5check(H5Aget_type(attribute), "cannot get the type of \(attributeLabel(name))")
        defer { H5Tclose(type) }
        let space = try h5check(H5Aget_space(attribute), "cannot get the dataspace of \(attributeLabel(name))")
        defer { H5Sclose(space) }
        let points = H5Sget_simple_extent_npoints(space)
        if points < 0 { throw HDF5Error.capture("cannot get the size of \(attributeLabel(name))") }
        return try body(attribute, type, space, Int(points))
    }
}

/// Reads `count` strings of file type `fileType` (variable- or fixed-length) through `read(memoryType, buffer)`.
/// For variable-length strings `reclaim(memoryType, buffer)` frees HDF5's allocations afterwards.
func h5ReadStrings(fileType: hid_t, count: Int, label: @autoclosure () -> String,
                 read: (hid_t, UnsafeMutableRawPointer) -> herr_t,
                 reclaim: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
    guard count > 0 else { return [] }
    let memoryType = try h5check(H5Tget_native_type(fileType, H5T_DIR_DEFAULT), "cannot read \(label())")
    defer { H5Tclose(memoryType) }
    let variable = try h5bool(H5Tis_variable_str(fileType), "cannot inspect the string type of \(label())")
    if variable {
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        return try pointers.withUnsafeMutableBytes { raw in
            try h5check(read(memoryType, raw.baseAddress!), "cannot read \(label())")
            let typed = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self)
            let strings = typed.map { $0.map { String(cString: $0) } ?? "" }
            _ = reclaim(memoryType, raw.baseAddress!)
            return strings
        }
    }
    let size = H5Tget_size(memoryType)
    guard size > 0 else { throw HDF5Error.capture("cannot get the string size of \(label())") }
    let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
    var bytes = [UInt8](repeating: 0, count: size * count)
    try bytes.withUnsafeMutableBytes { raw in
        try h5check(read(memoryType, raw.baseAddress!), "cannot read \(label())")
    }
    return (0..<count).map { index in
        var element = bytes[(index * size)..<((index + 1) * size)]
        if let nul = element.firstIndex(of: 0) { element = element[..<nul] }
        if spacePadded {
            while let last = element.last, last == UInt8(ascii: " ") { element = element.dropLast() }
        }
        return String(decoding: element, as: UTF8.self)
    }
}
