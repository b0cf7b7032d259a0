import CHDF5

/// An error from the HDF5 layer, one line, by kind: what we were doing (naming the file, object or attribute
/// involved), plus HDF5's own error stack where HDF5 itself refused.
///
/// `stack` lists HDF5's messages from the API call (first) down to the innermost, most specific one (last), each as
/// `"function: message"`. `description` is one line: `message`, then `": "` and the innermost HDF5 message if any.
public enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// An HDF5 call failed; `stack` is HDF5's error stack at that moment.
    case library(String, stack: [String])
    /// The file itself cannot be opened, created, locked, replaced or grown as asked (missing, a directory,
    /// already there, not HDF5, an operating-system error).
    case file(String, stack: [String] = [])
    /// Another process writes the file (our writer lock, HDF5's file lock, or a SWMR writer's mark).
    case busy(String, stack: [String] = [])
    /// A member or attribute is missing, its name is taken, or it is not of the kind or element type asked.
    case member(String)
    /// Values, shapes, slabs or creation options that do not fit the object or each other.
    case value(String)
    /// The file is open read-only, or it (or the object) is closed.
    case access(String)

    /// What the wrapper was trying to do, naming the file, object or attribute involved.
    public var message: String {
        switch self {
        case .library(let m, _), .file(let m, _), .busy(let m, _), .member(let m), .value(let m), .access(let m): return m
        }
    }

    /// HDF5's error stack, outermost first, each entry `"function: description"`; empty for our own checks.
    public var stack: [String] {
        switch self {
        case .library(_, let s), .file(_, let s), .busy(_, let s): return s
        case .member, .value, .access: return []
        }
    }

    /// The innermost (most specific) HDF5 message without its function name, if HDF5 reported anything.
    public var innermostHDF5Message: String? {
        guard let last = stack.last else { return nil }
        if let range = last.range(of: ": ") { return String(last[range.upperBound...]) }
        return last
    }

    public var description: String {
        var text = message
        if let inner = innermostHDF5Message, !inner.isEmpty, !message.contains(inner) {
            text += ": " + inner
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A `.library` error from `message` and the calling thread's current HDF5 error stack, then clears that stack.
    /// Call it right after the failing HDF5 call: the next HDF5 API call would reset the stack.
    static func capture(_ message: String) -> HDF5Error {
        .library(message, stack: currentHDF5ErrorStack())
    }
}

/// The calling thread's HDF5 error stack, outermost first; clears it.
func currentHDF5ErrorStack() -> [String] {
    var entries: [String] = []
    withUnsafeMutablePointer(to: &entries) { pointer in
        _ = H5Ewalk2(ch5_e_default(), H5E_WALK_DOWNWARD, { _, error, context in
            guard let error, let context else { return 0 }
            let list = context.assumingMemoryBound(to: [String].self)
            let function = error.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = error.pointee.desc.map { String(cString: $0) } ?? ""
            list.pointee.append("\(function): \(text)")
            return 0
        }, pointer)
    }
    _ = H5Eclear2(ch5_e_default())
    return entries
}

/// Throws `HDF5Error` (with HDF5's stack) when an identifier-returning call failed (< 0); returns the id otherwise.
@discardableResult
func h5check(_ id: hid_t, _ message: @autoclosure () -> String) throws -> hid_t {
    if id < 0 { throw HDF5Error.capture(message()) }
    return id
}

/// Throws `HDF5Error` (with HDF5's stack) when a status-returning call failed (< 0).
func h5check(_ status: herr_t, _ message: @autoclosure () -> String) throws {
    if status < 0 { throw HDF5Error.capture(message()) }
}

/// Interprets an `htri_t`: true, false, or a thrown `HDF5Error` when negative.
func h5bool(_ value: htri_t, _ message: @autoclosure () -> String) throws -> Bool {
    if value < 0 { throw HDF5Error.capture(message()) }
    return value > 0
}
