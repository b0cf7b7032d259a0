import CVectorMath

/// Software prefetch for elementwise loops that stream several long arrays and write them back.
///
/// Intel's optimization manual describes its L2 streamer as tracking streams within a 4 KiB page. Adam's update
/// streams four arrays (θ, g, m, v), reading and writing each, and asking for every line `distance` doubles ahead
/// makes that loop faster, on top of the 2 MiB pages its buffers already have (`HugePageMemory`). The distance is
/// not critical: half and twice it, and read instead of write hints, did as well (`tools/bench/results.md`).
public enum Prefetch {
    /// How many doubles ahead a streaming loop asks for its lines (2 KiB).
    public static let distance = 256

    /// Asks for the cache line holding `p` with the intent to write it; a hint only, which never faults, so `p` may
    /// lie past the end of its array.
    @inlinable @inline(__always)
    public static func forWriting(_ p: UnsafeMutablePointer<Double>) { condense_prefetch_for_write(p) }

    /// Asks for the cache line holding `p` for reading; a hint only, which never faults.
    @inlinable @inline(__always)
    public static func forReading(_ p: UnsafePointer<Double>) { condense_prefetch_for_read(p) }
}
