/// A run's identifier: 64-bit FNV-1a of its canonical resolved configuration (the JSON run files of format 1.0 and
/// 1.1 store, keys sorted: `TrainingConfig.legacyJSONString`), as 16 hex digits. The same configuration gives the same identifier in every
/// plan, so an edited sweep keeps the runs whose configuration did not change.
public enum RunIdentity {
    public static func identifier(canonicalConfiguration text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
