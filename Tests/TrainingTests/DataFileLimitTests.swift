import Foundation
import XCTest
@testable import Training

/// Data files are read line by line within a stated line limit, errors quote a short excerpt of a cell, and only
/// regular files are read: a CSV with one 1 GB line ran for more than a minute in 2 GB of memory, a 1 MB bad cell
/// gave a 1 MB error line, and a FIFO was "cannot be read as UTF-8 text" (or blocked).
final class DataFileLimitTests: ScratchDirectoryTestCase {
    private func error(_ name: String, _ contents: Data) -> (message: String, seconds: Double) {
        _ = FileManager.default.createFile(atPath: path(name), contents: contents)
        let start = Date()
        do { _ = try DataLoading.loadFile(path(name), xColumns: nil, yColumns: nil); return ("no error", 0) } catch {
            return ("\(error)", Date().timeIntervalSince(start))
        }
    }

    func testALineOverTheLimitFailsWithoutReadingTheRest() {
        // 64 MiB in one line: refused after about 1 MiB.
        let long = Data(repeating: UInt8(ascii: "1"), count: 64 << 20)
        let (m, t) = error("long.csv", Data("x,y\n1,2\n".utf8) + long)
        XCTAssertEqual(m, "data file \(path("long.csv")), line 3 is longer than 1048576 bytes, the limit of one CSV line")
        XCTAssertLessThan(t, 5)
    }

    func testABadCellIsQuotedAsAnExcerpt() {
        let (m, _) = error("cell.csv", Data(("x,y\n1,2\n3," + String(repeating: "a", count: 1 << 20 - 100) + "\n").utf8))
        XCTAssertTrue(m.hasSuffix("line 3, column 2 ('y'): '" + String(repeating: "a", count: 40) + "…' is not a number"), m)
        let (h, _) = error("head.csv", Data(("x," + String(repeating: "h", count: 5000) + "\n1,zz\n").utf8))
        XCTAssertLessThan(h.count, 300, h)
    }

    func testLineEndingsAndEncoding() throws {
        _ = FileManager.default.createFile(atPath: path("crlf.csv"), contents: Data("x,y\r\n1,2\r\n\r\n3,4\r5,6".utf8))
        let d = try DataLoading.loadFile(path("crlf.csv"), xColumns: nil, yColumns: nil)
        XCTAssertEqual(d.x, [1, 3, 5])
        XCTAssertEqual(d.y, [2, 4, 6])
        let (m, _) = error("latin1.csv", Data([0x31, 0x2C, 0x32, 0x0A, 0xFF, 0x2C, 0x33, 0x0A]))
        XCTAssertTrue(m.contains("line 2 is not UTF-8 text"), m)
    }

    func testOnlyRegularFilesAreRead() throws {
        XCTAssertEqual(mkfifo(path("fifo.csv"), 0o600), 0)
        let start = Date()
        XCTAssertThrowsError(try DataLoading.loadFile(path("fifo.csv"), xColumns: nil, yColumns: nil)) {
            XCTAssertTrue("\($0)".contains("is a FIFO, not a regular file"), "\($0)")
        }
        XCTAssertThrowsError(try DataLoading.loadFile(path("fifo.h5"), xColumns: nil, yColumns: nil))
        XCTAssertEqual(mkfifo(path("fifo.h5"), 0o600), 0)
        XCTAssertThrowsError(try DataLoading.loadFile(path("fifo.h5"), xColumns: nil, yColumns: nil)) {
            XCTAssertTrue("\($0)".contains("is a FIFO, not a regular file"), "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}
