import CHDF5

extension H5Dataset {
    // MARK: whole-dataset reads

    /// Reads the whole dataset (row-major), converting any integer or floating-point type to `Double`.
    public func read() throws -> [Double] {
        try readNumeric(memoryType: ch5_native_double(), allowFloat: true, start: nil, count: nil)
    }

    /// Reads the whole dataset (row-major), converting any integer type to `Int64`.
    public func readInt64() throws -> [Int64] {
        try readNumeric(memoryType: ch5_native_int64(), allowFloat: false, start: nil, count: nil)
    }

    /// Reads the whole dataset of variable- or fixed-length strings (row-major).
    public func readStrings() throws -> [String] {
        try readStringSelection(start: nil, count: nil)
    }

    // MARK: whole-dataset writes

    /// Writes the whole dataset; `data.count` must equal the product of `shape`.
    public func write(_ data: [Double]) throws {
        try data.withUnsafeBytes { raw in
            try writeNumeric(raw, count: data.count, memoryType: ch5_native_double(), start: nil, countShape: nil)
        }
    }

    /// Writes the whole dataset; `data.count` must equal the product of `shape`.
    /// (Disfavoured so that an integer literal array such as `[1, 2]` picks the `Double` overload; HDF5 converts
    /// to the dataset's type either way.)
    @_disfavoredOverload
    public func write(_ data: [Int64]) throws {
        try data.withUnsafeBytes { raw in
            try writeNumeric(raw, count: data.count, memoryType: ch5_native_int64(), start: nil, countShape: nil)
        }
    }

    /// Writes the whole string dataset (stored as the dataset's string type, normally variable-length UTF-8).
    public func write(_ data: [String]) throws {
        try writeStringSelection(data, start: nil, count: nil)
    }

    // MARK: hyperslabs

    /// Reads the block `start ..< start + count` (row-major) as `Double`.
    public func readSlab(start: [Int], count: [Int]) throws -> [Double] {
        try readNumeric(memoryType: ch5_native_double(), allowFloat: true, start: start, count: count)
    }

    /// Reads the block `start ..< start + count` into `buffer`, whose count must equal the block's size.
    public func readSlab(start: [Int], count: [Int], into buffer: UnsafeMutableBufferPointer<Double>) throws {
        try requireClass([H5T_INTEGER, H5T_FLOAT], "numbers")
        try withSelection(start: start, count: count) { memory, fileSpace, elements in
            guard buffer.count == elements else {
                throw HDF5Error.value("cannot read a slab of \(label): the buffer holds \(buffer.count) values, the slab "
                                + "\(count) has \(elements)")
            }
            guard elements > 0, let base = buffer.baseAddress else { return }
            try h5check(H5Dread(objectID, ch5_native_double(), memory, fileSpace, ch5_p_default(), base),
                        "cannot read slab start \(start) count \(count) of \(label)")
        }
    }

    /// Reads the block `start ..< start + count` (row-major) as `Int64` from any integer type.
    public func readSlabInt64(start: [Int], count: [Int]) throws -> [Int64] {
        try readNumeric(memoryType: ch5_native_int64(), allowFloat: false, start: start, count: count)
    }

    /// Reads the block `start ..< start + count` of a string dataset.
    public func readSlabStrings(start: [Int], count: [Int]) throws -> [String] {
        try readStringSelection(start: start, count: count)
    }

    /// Writes `data` (row-major) into the block `start ..< start + count`.
    public func writeSlab(_ data: UnsafeBufferPointer<Double>, start: [Int], count: [Int]) throws {
        try writeNumeric(UnsafeRawBufferPointer(data), count: data.count, memoryType: ch5_native_double(),
                         start: start, countShape: count)
    }

    /// Writes `data` (row-major) into the block `start ..< start + count`.
    public func writeSlab(_ data: [Double], start: [Int], count: [Int]) throws {
        try data.withUnsafeBufferPointer { try writeSlab($0, start: start, count: count) }
    }

    /// Writes `data` (row-major) into the block `start ..< start + count`.
    /// (Disfavoured so that an integer literal array such as `[1, 2]` picks the `Double` overload; HDF5 converts
    /// to the dataset's type either way.)
    @_disfavoredOverload
    public func writeSlab(_ data: [Int64], start: [Int], count: [Int]) throws {
        try data.withUnsafeBytes { raw in
            try writeNumeric(raw, count: data.count, memoryType: ch5_native_int64(), start: start, countShape: count)
        }
    }

    /// Writes strings (row-major) into the block `start ..< start + count`.
    public func writeSlab(_ data: [String], start: [Int], count: [Int]) throws {
        try writeStringSelection(data, start: start, count: count)
    }

    // MARK: appending along axis 0

    /// Appends `rows` rows along axis 0: extends the dataset by `rows`, then writes `data`, which must hold
    /// `rows * product(shape[1...])` values. Axis 0 must be unlimited (or have room).
    public func append(_ data: UnsafeBufferPointer<Double>, rows: Int = 1) throws {
        let (start, count) = try prepareAppend(values: data.count, rows: rows)
        try writeSlab(data, start: start, count: count)
    }

    /// Appends `rows` rows along axis 0 (see `append(_:rows:)` for buffers).
    public func append(_ data: [Double], rows: Int = 1) throws {
        try data.withUnsafeBufferPointer { try append($0, rows: rows) }
    }

    /// Appends `rows` rows of integers along axis 0.
    /// (Disfavoured so that an integer literal array such as `[1, 2]` picks the `Double` overload; HDF5 converts
    /// to the dataset's type either way.)
    @_disfavoredOverload
    public func append(_ data: [Int64], rows: Int = 1) throws {
        let (start, count) = try prepareAppend(values: data.count, rows: rows)
        try writeSlab(data, start: start, count: count)
    }

    /// Appends one element per string to a 1-D string dataset.
    public func append(_ data: [String]) throws {
        let (start, count) = try prepareAppend(values: data.count, rows: data.count)
        try writeSlab(data, start: start, count: count)
    }

    // MARK: internal

    /// Checks the value count, extends axis 0 by `rows` and returns the slab to write.
    private func prepareAppend(values: Int, rows: Int) throws -> (start: [Int], count: [Int]) {
        let current = try extent().current
        guard !current.isEmpty else { throw HDF5Error.value("cannot append to scalar \(label)") }
        guard rows >= 0 else { throw HDF5Error.value("cannot append \(rows) rows to \(label)") }
        let rowSize = elementCount(Array(current.dropFirst())) ?? 0
        guard values == rows * rowSize else {
            throw HDF5Error.value("cannot append \(rows) row(s) to \(label) of shape \(current): got \(values) values, "
                            + "expected \(rows * rowSize)")
        }
        var newShape = current
        newShape[0] += rows
        if rows > 0 { try extend(to: newShape) }
        var start = [Int](repeating: 0, count: current.count)
        start[0] = current[0]
        var count = current
        count[0] = rows
        return (start, count)
    }

    /// Calls `body(memorySpace, fileSpace, elementCount)` for the block `start ..< start + count`, or for the
    /// whole dataset when both are nil. Validates ranks and bounds first.
    func withSelection<R>(start: [Int]?, count: [Int]?, _ body: (hid_t, hid_t, Int) throws -> R) throws -> R {
        let id = try openObjectID()
        let current = try extent().current
        let fileSpace = try h5check(H5Dget_space(id), "cannot get the dataspace of \(label)")
        defer { H5Sclose(fileSpace) }
        let blockShape: [Int]
        if let start, let count {
            guard start.count == current.count, count.count == current.count else {
                throw HDF5Error.value("slab start \(start) count \(count) does not match the \(current.count) "
                                + "dimensions of \(label)")
            }
            for axis in current.indices {
                guard start[axis] >= 0, count[axis] >= 0, start[axis] + count[axis] <= current[axis] else {
                    throw HDF5Error.value("slab start \(start) count \(count) is outside the shape \(current) of \(label)")
                }
            }
            if !current.isEmpty {
                try h5check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, try hsizes(start, "slab start"), nil,
                                                try hsizes(count, "slab count"), nil),
                            "cannot select slab start \(start) count \(count) of \(label)")
            }
            blockShape = count
        } else {
            blockShape = current
        }
        let memorySpace: hid_t
        if blockShape.isEmpty {
            memorySpace = try h5check(H5Screate(H5S_SCALAR), "cannot make a memory dataspace")
        } else {
            let sizes = try hsizes(blockShape, "slab shape")
            memorySpace = try h5check(H5Screate_simple(Int32(sizes.count), sizes, nil), "cannot make a memory dataspace")
        }
        defer { H5Sclose(memorySpace) }
        guard let elements = elementCount(blockShape) else { throw HDF5Error.value("slab \(blockShape) is too large") }
        return try body(memorySpace, fileSpace, elements)
    }

    private func readNumeric<T: Numeric & BitwiseCopyable>(memoryType: hid_t, allowFloat: Bool, start: [Int]?,
                                         count: [Int]?) throws -> [T] {
        try requireClass(allowFloat ? [H5T_INTEGER, H5T_FLOAT] : [H5T_INTEGER], allowFloat ? "numbers" : "integers")
        return try withSelection(start: start, count: count) { memory, fileSpace, elements in
            var values = [T](repeating: 0, count: elements)
            guard elements > 0 else { return values }
            try values.withUnsafeMutableBytes { raw in
                try h5check(H5Dread(objectID, memoryType, memory, fileSpace, ch5_p_default(), raw.baseAddress),
                            "cannot read \(start.map { "slab start \($0) count \(count ?? []) of " } ?? "")\(label)")
            }
            return values
        }
    }

    private func writeNumeric(_ data: UnsafeRawBufferPointer, count values: Int, memoryType: hid_t, start: [Int]?,
                              countShape: [Int]?) throws {
        try requireWritable("write")
        try requireClass([H5T_INTEGER, H5T_FLOAT], "numbers")
        try withSelection(start: start, count: countShape) { memory, fileSpace, elements in
            guard values == elements else {
                throw HDF5Error.value("cannot write \(values) values to \(label): the "
                                + "\(countShape.map { "slab \($0)" } ?? "shape \(shape)") holds \(elements)")
            }
            guard elements > 0 else { return }
            try h5check(H5Dwrite(objectID, memoryType, memory, fileSpace, ch5_p_default(), data.baseAddress),
                        "cannot write \(start.map { "slab start \($0) count \(countShape ?? []) of " } ?? "")\(label)")
        }
    }

    private func readStringSelection(start: [Int]?, count: [Int]?) throws -> [String] {
        try requireClass([H5T_STRING], "strings")
        let type = try h5check(H5Dget_type(objectID), "cannot get the type of \(label)")
        defer { H5Tclose(type) }
        return try withSelection(start: start, count: count) { memory, fileSpace, elements in
            try h5ReadStrings(fileType: type, count: elements, label: label) { memoryType, buffer in
                H5Dread(objectID, memoryType, memory, fileSpace, ch5_p_default(), buffer)
            } reclaim: { memoryType, buffer in
                H5Dvlen_reclaim(memoryType, memory, ch5_p_default(), buffer)
            }
        }
    }

    private func writeStringSelection(_ data: [String], start: [Int]?, count: [Int]?) throws {
        try requireWritable("write")
        try requireClass([H5T_STRING], "strings")
        let fileType = try h5check(H5Dget_type(objectID), "cannot get the type of \(label)")
        defer { H5Tclose(fileType) }
        guard try h5bool(H5Tis_variable_str(fileType), "cannot inspect the string type of \(label)") else {
            throw HDF5Error.value("cannot write strings to \(label): it holds fixed-length strings")
        }
        let memoryType = try makeVariableUTF8Type()
        defer { H5Tclose(memoryType) }
        try withSelection(start: start, count: count) { memory, fileSpace, elements in
            guard data.count == elements else {
                throw HDF5Error.value("cannot write \(data.count) strings to \(label): the "
                                + "\(count.map { "slab \($0)" } ?? "shape \(shape)") holds \(elements)")
            }
            guard elements > 0 else { return }
            let transfer = try Self.conversionTransfer(elements: elements)
            defer { H5Pclose(transfer) }
            try withCStringPointers(data) { pointers in
                try pointers.withUnsafeBytes { raw in
                    try h5check(H5Dwrite(objectID, memoryType, memory, fileSpace, transfer, raw.baseAddress),
                                "cannot write strings to \(label)")
                }
            }
        }
    }

    /// A transfer property list whose conversion buffers hold `elements` elements (of at most 64 bytes: a
    /// variable-length string's handle is 16) instead of HDF5's default 1 MiB. A string write converts through a
    /// background buffer that HDF5 allocates zeroed at the full buffer size on every call, so with the default each
    /// write of a few strings cleared (and, fresh from the system, faulted in) a whole megabyte: most of the cost of
    /// creating a small run file.
    static func conversionTransfer(elements: Int) throws -> hid_t {
        let list = try h5check(H5Pcreate(ch5_p_dataset_xfer()), "cannot make a transfer property list")
        let bytes = max(4096, elements.multipliedReportingOverflow(by: 64).overflow ? Int.max / 2 : elements * 64)
        do { try h5check(H5Pset_buffer(list, bytes, nil, nil), "cannot size a transfer buffer of \(bytes) bytes") } catch {
            H5Pclose(list)
            throw error
        }
        return list
    }
}
