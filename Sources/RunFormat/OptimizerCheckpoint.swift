/// The double-buffered optimizer state of `/optimizer` (FORMAT.md): two checkpoint groups written in turn, each
/// with a commit record (attributes `generation`, `step`, … and `checksum`) over its whole content.
///
/// A checkpoint is overwritten only when the other one holds a newer state that a flush has put in the file, so a
/// writer killed (or out of disk) in the middle of one leaves the other intact. HDF5 writes metadata and raw data
/// in no fixed order, so the record may reach the disk before or after the buffers; the checksum is what tells a
/// torn checkpoint from a complete one, whatever the order.
public enum OptimizerCheckpoint {
    /// The two checkpoint groups inside `/optimizer`.
    public static let slots = ["checkpoint_a", "checkpoint_b"]

    /// FNV-1a (64-bit) over 64-bit words, in this order: the UTF-8 bytes of `kind` (one word each), `step`,
    /// `optimizer_steps`, `batch_cursor`, then each state buffer by name (its name's bytes, its length, its values'
    /// IEEE bit patterns), `rng_dropout`, `rng_shuffle` and `batch_order` (each its length, then its words). Stored
    /// as the int64 with the same bits.
    public static func checksum(_ s: OptimizerSnapshot) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt64) { h = (h ^ word) &* 0x0000_0100_0000_01b3 }
        for byte in s.kind.utf8 { mix(UInt64(byte)) }
        mix(UInt64(bitPattern: Int64(s.step)))
        mix(UInt64(bitPattern: Int64(s.optimizerSteps)))
        mix(UInt64(bitPattern: Int64(s.batchCursor)))
        for (name, values) in s.buffers.sorted(by: { $0.key < $1.key }) {
            for byte in name.utf8 { mix(UInt64(byte)) }
            mix(UInt64(values.count))
            values.withUnsafeBufferPointer { for v in $0 { mix(v.bitPattern) } }
        }
        for words in [s.rngDropout, s.rngShuffle] {
            mix(UInt64(words.count))
            for w in words { mix(w) }
        }
        mix(UInt64(s.batchOrder.count))
        for i in s.batchOrder { mix(UInt64(bitPattern: Int64(i))) }
        return Int64(bitPattern: h)
    }
}
