import Foundation
import XCTest
@testable import HDF5

final class DirectChunkWriterTests: HDF5TestCase {
    /// 512 × 300 doubles = 1 228 800 bytes: above the 1 MiB alignment threshold, and not a whole number of 4096-byte
    /// pages, so both the direct part and the buffered tail are exercised.
    private let rows = 512, cols = 300

    private func chunk(_ s: Int) -> [Double] {
        (0..<(rows * cols)).map { Double(s) * 1e6 + Double($0) * 0.25 - 7 }
    }

    func testDirectChunksReadBackAsWrittenAndMixWithHDF5Writes() throws {
        let filePath = path("direct.h5")
        let file = try H5File.create(filePath)
        let ds = try file.root.createDataset("w", type: .float64, shape: [0, rows, cols], maxShape: [nil, rows, cols],
                                             chunk: [1, rows, cols], allocateOnExtend: true)
        guard let writer = H5DirectChunkWriter(file: file) else {
            // Not Linux, or a file system without O_DIRECT (tmpfs): nothing to test beyond the refusal.
            try file.close()
            throw XCTSkip("direct I/O is not available for \(filePath)")
        }
        try ds.extend(to: [3, rows, cols])
        // Chunk 0 from an array (not page-aligned: written through the staging copy), chunk 2 from a page-aligned
        // buffer (written from where it is).
        let values = chunk(0)
        XCTAssertNotEqual(values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress!) % 4096 }, 0)
        XCTAssertTrue(try values.withUnsafeBufferPointer { try writer.writeChunk($0, of: ds, at: [0, 0, 0]) },
                      "chunk 0 should qualify")
        let aligned = UnsafeMutableRawPointer.allocate(byteCount: rows * cols * 8, alignment: 4096)
        defer { aligned.deallocate() }
        let buffer = UnsafeMutableBufferPointer(start: aligned.bindMemory(to: Double.self, capacity: rows * cols),
                                                count: rows * cols)
        _ = buffer.initialize(from: chunk(2))
        XCTAssertTrue(try writer.writeChunk(UnsafeBufferPointer(buffer), of: ds, at: [2, 0, 0]), "chunk 2 should qualify")
        try ds.writeSlab(chunk(1), start: [1, 0, 0], count: [1, rows, cols])
        try file.flush()
        try file.close()

        let again = try H5File.open(filePath)
        let read = try again.root.openDataset("w").read()
        XCTAssertEqual(read.count, 3 * rows * cols)
        XCTAssertEqual(Array(read[0..<(rows * cols)]), chunk(0))
        XCTAssertEqual(Array(read[(rows * cols)..<(2 * rows * cols)]), chunk(1))
        XCTAssertEqual(Array(read[(2 * rows * cols)...]), chunk(2))
        try again.close()
    }

    func testChunksThatDoNotQualifyAreLeftToHDF5() throws {
        let file = try H5File.create(path("refused.h5"))
        defer { try? file.close() }
        guard let writer = H5DirectChunkWriter(file: file) else { throw XCTSkip("direct I/O is not available") }
        let plain = try file.root.createDataset("plain", type: .float64, shape: [1, rows, cols],
                                                maxShape: [nil, rows, cols], chunk: [1, rows, cols])
        let packed = try file.root.createDataset("packed", type: .float64, shape: [1, rows, cols],
                                                 maxShape: [nil, rows, cols], chunk: [1, rows, cols], deflate: 1,
                                                 allocateOnExtend: true)
        let small = try file.root.createDataset("small", type: .float64, shape: [1, 8, 8], maxShape: [nil, 8, 8],
                                                chunk: [1, 8, 8], allocateOnExtend: true)
        let big = chunk(0), tiny = [Double](repeating: 1, count: 64)
        XCTAssertFalse(try big.withUnsafeBufferPointer { try writer.writeChunk($0, of: plain, at: [0, 0, 0]) },
                       "without allocation on extension the chunk has no address yet")
        XCTAssertFalse(try big.withUnsafeBufferPointer { try writer.writeChunk($0, of: packed, at: [0, 0, 0]) },
                       "a filtered chunk is not raw bytes")
        XCTAssertFalse(try tiny.withUnsafeBufferPointer { try writer.writeChunk($0, of: small, at: [0, 0, 0]) },
                       "a chunk below the alignment threshold is not page-aligned")
        let allocated = try file.root.createDataset("sized", type: .float64, shape: [1, rows, cols],
                                                    maxShape: [nil, rows, cols], chunk: [1, rows, cols],
                                                    allocateOnExtend: true)
        XCTAssertFalse(try tiny.withUnsafeBufferPointer { try writer.writeChunk($0, of: allocated, at: [0, 0, 0]) },
                       "data shorter than the chunk")
    }
}
