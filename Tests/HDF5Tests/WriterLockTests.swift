import Foundation
import XCTest
@testable import HDF5

/// The one-writer lock (`H5WriterLock`): a second writer is refused before it changes anything, also when HDF5's
/// own lock is gone (SWMR writing), and the lock goes with the writer.
final class WriterLockTests: HDF5TestCase {
    func testASecondWriterIsRefusedAndTheFileKept() throws {
        let p = path("a.h5")
        let first = try H5File.create(p)
        try first.root.setAttribute("mark", "first")
        try first.flush()
        assertHDF5Error(["another process is writing it"]) { try H5File.create(p, mode: .truncate) }
        assertHDF5Error(["another process is writing it"]) { try H5File.open(p, writable: true) }
        XCTAssertTrue(H5WriterLock.isHeld(p))
        try first.close()
        XCTAssertFalse(H5WriterLock.isHeld(p))
        let reopened = try H5File.open(p, writable: true)
        XCTAssertEqual(try reopened.root.stringAttribute("mark"), "first")
        try reopened.close()
    }

    /// HDF5 drops its flock() when a writer starts SWMR; the writer lock stays.
    func testASWMRWriterKeepsTheLock() throws {
        let p = path("live.h5")
        let live = try H5File.create(p, singleWriterMultipleReaders: true)
        let ds = try live.root.createDataset("x", type: .float64, shape: [0], maxShape: [nil], chunk: [4])
        try live.flush()
        try live.startSingleWriterMultipleReaders()
        try ds.append([1.0])
        assertHDF5Error(["another process is writing it"]) { try H5File.create(p, mode: .truncate) }
        assertHDF5Error(["another process is writing it"]) { try H5File.open(p, writable: true, clearingWriterMark: true) }
        try live.close()
    }

    /// A writer that cannot complete a new file removes it (under its lock); a file it only opened stays.
    func testCloseRemovingFileRemovesOnlyTheFileItMade() throws {
        let p = path("b.h5")
        let made = try H5File.create(p)
        made.closeRemovingFile()
        XCTAssertFalse(FileManager.default.fileExists(atPath: p))
        let kept = try H5File.create(p)
        try kept.close()
        let opened = try H5File.open(p, writable: true)
        opened.closeRemovingFile()
        XCTAssertTrue(FileManager.default.fileExists(atPath: p), "a file that was only opened was removed")
    }
}
