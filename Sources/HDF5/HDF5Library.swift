import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One-time library setup and per-thread error-printing suppression.
///
/// `H5open` runs once. HDF5's threadsafe build keeps one error stack per thread, and each new thread's stack
/// starts with automatic printing to stderr switched on, so printing is switched off once per thread
/// (remembered in a pthread key). Every public entry point calls `prepare()` first.
enum HDF5Library {
    private static let openStatus: herr_t = H5open()

    private static let silencedKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Makes sure `H5open` has run and that this thread's HDF5 errors are not printed to stderr.
    @inline(__always)
    static func prepare() {
        _ = openStatus
        if pthread_getspecific(silencedKey) == nil {
            _ = H5Eset_auto2(ch5_e_default(), nil, nil)
            pthread_setspecific(silencedKey, UnsafeRawPointer(bitPattern: 1))
        }
    }

    /// The HDF5 library version, e.g. "1.10.8".
    static var version: String {
        prepare()
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        _ = H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }
}
