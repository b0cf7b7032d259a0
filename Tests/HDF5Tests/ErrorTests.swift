import XCTest
@testable import HDF5

final class ErrorTests: HDF5TestCase {
    func testMissingFile() {
        let missing = path("does-not-exist.h5")
        assertHDF5Error([missing, "no such file"]) { try H5File.open(missing) }
        XCTAssertFalse(H5File.isHDF5(missing))
    }

    func testNonHDF5File() throws {
        let text = path("notes.txt")
        try "not hdf5 at all\n".write(toFile: text, atomically: true, encoding: .utf8)
        assertHDF5Error([text, "not an HDF5 file"]) { try H5File.open(text) }
        XCTAssertFalse(H5File.isHDF5(text))
        XCTAssertFalse(H5File.isHDF5(directory.path))
        assertHDF5Error([directory.path, "directory"]) { try H5File.open(directory.path) }
    }

    func testCreateExclusiveRefusesExistingFileButTruncateReplacesIt() throws {
        let filePath = path("exists.h5")
        do {
            let file = try H5File.create(filePath)
            try file.root.write("old", [1.0])
            try file.close()
        }
        XCTAssertTrue(H5File.isHDF5(filePath))
        assertHDF5Error([filePath, "already exists"]) { try H5File.create(filePath) }
        let replaced = try H5File.create(filePath, mode: .truncate)
        XCTAssertEqual(try replaced.root.memberNames(), [])
        let nowhere = path("no/such/dir/x.h5")
        assertHDF5Error([nowhere, "cannot create"]) { try H5File.create(nowhere) }
    }

    func testMissingObjectsAreNamed() throws {
        let file = try H5File.create(path("objects.h5"))
        let group = try file.root.createGroup("run")
        try group.write("data", [1.0])
        assertHDF5Error(["'nope'", "/run", file.path]) { try group.openDataset("nope") }
        assertHDF5Error(["'nope'", "/run"]) { try group.openGroup("nope") }
        assertHDF5Error(["'data'", "not a group"]) { try group.openGroup("data") }
        assertHDF5Error(["'run'", "not a dataset"]) { try file.root.openDataset("run") }
    }

    func testHDF5StackIsCollectedAndDescriptionIsOneLine() throws {
        let file = try H5File.create(path("stack.h5"))
        let fixed = try file.root.createDataset("fixed", type: .float64, shape: [2])
        do {
            try fixed.extend(to: [3])  // not chunked: HDF5 itself refuses
            XCTFail("extending a contiguous dataset must fail")
        } catch let error as HDF5Error {
            XCTAssertFalse(error.stack.isEmpty, "HDF5's error stack was not collected")
            XCTAssertTrue(error.stack.first?.hasPrefix("H5Dset_extent") ?? false, "\(error.stack)")
            XCTAssertTrue(error.description.hasPrefix(error.message + ": "), error.description)
            XCTAssertTrue(error.description.hasSuffix(error.innermostHDF5Message ?? "?"), error.description)
            XCTAssertFalse(error.description.contains("\n"))
            XCTAssertTrue(error.description.contains("/fixed"))
        }
    }

    func testErrorsFromAnotherThreadAreAlsoCaptured() throws {
        let file = try H5File.create(path("thread.h5"))
        let root = file.root
        let expectation = expectation(description: "background")
        nonisolated(unsafe) var caught: HDF5Error?
        Thread.detachNewThread {
            do { _ = try root.openDataset("nope") } catch let error as HDF5Error { caught = error } catch {}
            do {
                let fixed = try root.createDataset("fixed", type: .float64, shape: [2])
                try fixed.extend(to: [3])
            } catch let error as HDF5Error { caught = error } catch {}
            expectation.fulfill()
        }
        wait(for: [expectation], timeout: 10)
        XCTAssertNotNil(caught)
        XCTAssertFalse(caught?.stack.isEmpty ?? true)
    }
}
