import Foundation
import XCTest
@testable import LinearAlgebra

final class HugePageMemoryTests: XCTestCase {
    /// Long buffers start on a 2 MiB boundary, come zeroed and hold what is written to their last element; short
    /// ones keep the alignment asked for.
    func testAlignmentAndContents() {
        let count = HugePageMemory.threshold / 8 + 1000
        let long = HugePageMemory.zeroedDoubles(count)
        defer { long.deallocate() }
        XCTAssertEqual(Int(bitPattern: long.baseAddress!) % HugePageMemory.pageBytes, 0)
        XCTAssertTrue(long.allSatisfy { $0 == 0 })
        long[count - 1] = 42
        XCTAssertEqual(long[count - 1], 42)

        let short = HugePageMemory.zeroedDoubles(1000)
        defer { short.deallocate() }
        XCTAssertEqual(Int(bitPattern: short.baseAddress!) % MemoryLayout<Double>.alignment, 0)
        XCTAssertTrue(short.allSatisfy { $0 == 0 })

        let empty = HugePageMemory.zeroedDoubles(0)
        XCTAssertEqual(empty.count, 0)
        empty.deallocate()

        let raw = HugePageMemory.allocate(byteCount: 100, alignment: 4096)
        XCTAssertEqual(Int(bitPattern: raw) % 4096, 0)
        raw.deallocate()
    }

    /// On Linux with transparent huge pages not disabled, the kernel records the advice on the mapping that holds a
    /// long buffer (`hg` in its VmFlags in /proc/self/smaps). Whether 2 MiB pages then back it depends on free
    /// memory, so that is not asserted.
    func testLongBuffersAreAdvisedHugePages() throws {
        #if os(Linux)
        let mode = (FileHandle(forReadingAtPath: "/sys/kernel/mm/transparent_hugepage/enabled")?.readDataToEndOfFile())
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard !mode.isEmpty, !mode.contains("[never]") else {
            throw XCTSkip("transparent huge pages are not available here")
        }
        let buffer = HugePageMemory.zeroedDoubles(HugePageMemory.threshold / 8 * 2)
        defer { buffer.deallocate() }
        let address = UInt(bitPattern: buffer.baseAddress!)
        // Read to the end: String(contentsOfFile:) stops after the first read of a /proc file (its size is 0).
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        try? handle.close()
        var inside = false, flags: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if let range = fields.first, range.contains("-"), !line.hasSuffix(":"),
               let dash = range.firstIndex(of: "-"),
               let lo = UInt(range[..<dash], radix: 16), let hi = UInt(range[range.index(after: dash)...], radix: 16) {
                inside = lo <= address && address < hi
            } else if inside, line.hasPrefix("VmFlags:") {
                flags = String(line)
                break
            }
        }
        let found = try XCTUnwrap(flags, "no mapping in /proc/self/smaps holds the buffer")
        XCTAssertTrue(found.split(separator: " ").contains("hg"), "not advised MADV_HUGEPAGE: \(found)")
        #else
        throw XCTSkip("huge-page advice is Linux-only")
        #endif
    }
}
