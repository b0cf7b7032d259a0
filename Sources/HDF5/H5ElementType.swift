import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element types this layer creates and recognises.
///
/// Files store little-endian IEEE/two's-complement types; `string` is a variable-length UTF-8 string
/// (what h5py reads as `str` and xarray as `<U…`).
public enum H5ElementType: Sendable, Equatable {
    case float64, float32, int64, int32, uint8, string

    /// A new file datatype for this element type; the caller closes it with `H5Tclose`.
    func makeFileType() throws -> hid_t {
        switch self {
        case .float64: return try h5check(H5Tcopy(ch5_ieee_f64le()), "cannot copy the float64 type")
        case .float32: return try h5check(H5Tcopy(ch5_ieee_f32le()), "cannot copy the float32 type")
        case .int64: return try h5check(H5Tcopy(ch5_std_i64le()), "cannot copy the int64 type")
        case .int32: return try h5check(H5Tcopy(ch5_std_i32le()), "cannot copy the int32 type")
        case .uint8: return try h5check(H5Tcopy(ch5_std_u8le()), "cannot copy the uint8 type")
        case .string: return try makeVariableUTF8Type()
        }
    }

    /// Maps an HDF5 datatype to an element type: floats by size, integers by size and sign, and every string
    /// (variable- or fixed-length) to `.string`. Returns nil for anything else (compound, enum, unusual sizes…).
    init?(typeID type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            switch size {
            case 8: self = .float64
            case 4: self = .float32
            default: return nil
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (8, true): self = .int64
            case (4, true): self = .int32
            case (1, false): self = .uint8
            default: return nil
            }
        case H5T_STRING:
            self = .string
        default:
            return nil
        }
    }
}

/// A new variable-length, NUL-terminated UTF-8 string datatype; the caller closes it with `H5Tclose`.
func makeVariableUTF8Type() throws -> hid_t {
    let type = try h5check(H5Tcopy(ch5_c_s1()), "cannot copy the C string type")
    do {
        try h5check(H5Tset_size(type, ch5_variable()), "cannot make a variable-length string type")
        try h5check(H5Tset_cset(type, H5T_CSET_UTF8), "cannot set the UTF-8 character set")
        return type
    } catch {
        H5Tclose(type)
        throw error
    }
}

/// A human word for an HDF5 type class, used in error messages.
func typeClassName(_ typeClass: H5T_class_t) -> String {
    switch typeClass {
    case H5T_INTEGER: return "an integer"
    case H5T_FLOAT: return "a floating-point number"
    case H5T_STRING: return "a string"
    case H5T_ENUM: return "an enum"
    case H5T_COMPOUND: return "a compound"
    case H5T_ARRAY: return "an array type"
    case H5T_VLEN: return "a variable-length sequence"
    case H5T_REFERENCE: return "a reference"
    case H5T_OPAQUE: return "opaque data"
    case H5T_BITFIELD: return "a bitfield"
    case H5T_TIME: return "a time"
    default: return "an unknown type"
    }
}

/// Converts Swift sizes to `hsize_t`, refusing negatives instead of trapping.
func hsizes(_ values: [Int], _ what: @autoclosure () -> String) throws -> [hsize_t] {
    var result = [hsize_t]()
    result.reserveCapacity(values.count)
    for value in values {
        guard value >= 0 else { throw HDF5Error.value("\(what()) has a negative entry \(value) in \(values)") }
        result.append(hsize_t(value))
    }
    return result
}

/// Number of elements of a shape (1 for a scalar `[]`), or nil on overflow.
func elementCount(_ shape: [Int]) -> Int? {
    var total = 1
    for extent in shape {
        let (product, overflow) = total.multipliedReportingOverflow(by: extent)
        if overflow { return nil }
        total = product
    }
    return total
}

/// Calls `body` with `strdup`'d C strings (NULL-free) for `strings`, freed afterwards.
func withCStringPointers<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { for copy in copies { free(copy) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
