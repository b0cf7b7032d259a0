#if canImport(Glibc)
import Glibc
#endif

/// Memory for long-lived numeric buffers of several megabytes (parameters, gradients, optimizer moments), backed
/// by 2 MiB pages where the system offers them.
///
/// A training step streams such buffers end to end several times (the products pack the weights, the optimizer
/// reads and writes four vectors), and with 4 KiB pages an 8 MB buffer spans 2 048 pages, more than the first-level
/// TLB holds, while BLAS's packing copies walk a weight matrix a row (8 KB, a page of its own) at a time. 2 MiB
/// pages make such a step markedly faster (`tools/bench/results.md`).
/// Linux's default transparent-huge-page mode (`madvise`) backs a region with 2 MiB pages only when asked, so a
/// buffer of at least `threshold` bytes is aligned to 2 MiB, rounded up to whole 2 MiB pages and advised
/// `MADV_HUGEPAGE` before its first touch. Elsewhere (another OS, THP disabled) the advice has no effect and the
/// memory behaves as usual. Smaller buffers are plain allocations.
public enum HugePageMemory {
    /// 2 MiB, the x86-64 and common arm64 huge-page size.
    public static let pageBytes = 2 << 20
    /// Buffers at least this long get huge pages (at most one partly used page each, so ≤ 50 % over).
    public static let threshold = 4 << 20

    /// Uninitialised memory of at least `byteCount` bytes aligned to `alignment` (a power of two); release it with
    /// `deallocate()` on the returned pointer.
    public static func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= threshold else {
            return .allocate(byteCount: max(1, byteCount), alignment: alignment)
        }
        let rounded = (byteCount + pageBytes - 1) / pageBytes * pageBytes
        let memory = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: max(alignment, pageBytes))
        #if os(Linux)
        // Advice only: a failure (THP off, an old kernel) leaves ordinary pages, which is still correct.
        _ = madvise(memory, rounded, MADV_HUGEPAGE)
        #endif
        return memory
    }

    /// `count` zeroed doubles, huge-page backed when long enough; release with `deallocate()`.
    ///
    /// Below the huge-page threshold the memory comes from `calloc` on Linux, which hands out pages fresh from the
    /// system without clearing them a second time (a workspace for a 1 000-point test set is a few megabytes, cleared
    /// once per run, and once per network of a seed batch); Swift's `deallocate` releases it with `free`, as it does
    /// its own allocations of this alignment.
    public static func zeroedDoubles(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        #if os(Linux)
        let bytes = count * MemoryLayout<Double>.stride
        if bytes < threshold, let memory = calloc(max(1, count), MemoryLayout<Double>.stride) {
            return UnsafeMutableBufferPointer(start: memory.bindMemory(to: Double.self, capacity: count), count: count)
        }
        #endif
        let raw = allocate(byteCount: count * MemoryLayout<Double>.stride, alignment: MemoryLayout<Double>.alignment)
        let buffer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Double.self, capacity: count), count: count)
        buffer.initialize(repeating: 0)
        return buffer
    }
}
