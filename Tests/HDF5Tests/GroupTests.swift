import XCTest
@testable import HDF5

final class GroupTests: HDF5TestCase {
    func testGroupsNestAndListInCreationOrder() throws {
        let filePath = path("groups.h5")
        do {
            let file = try H5File.create(filePath)
            let layers = try file.root.createGroup("layers")
            XCTAssertEqual(layers.name, "/layers")
            let hidden = try layers.createGroup("hidden_1")
            XCTAssertEqual(hidden.name, "/layers/hidden_1")
            _ = try layers.createGroup("b")
            _ = try layers.createGroup("a")
            try layers.write("weights", [1.0])
            let deep = try file.root.createGroup("x/y/z")  // intermediate groups are created
            XCTAssertEqual(deep.name, "/x/y/z")
            try file.close()
        }
        let file = try H5File.open(filePath)
        let root = file.root
        XCTAssertEqual(try root.memberNames(), ["layers", "x"])
        let layers = try root.openGroup("layers")
        XCTAssertEqual(try layers.memberNames(), ["hidden_1", "b", "a", "weights"])
        XCTAssertTrue(root.contains("layers/hidden_1"))
        XCTAssertTrue(root.contains("/layers/weights"))
        XCTAssertTrue(root.contains("x/y/z"))
        XCTAssertFalse(root.contains("x/q/z"))
        XCTAssertFalse(root.contains("layers/weights/deeper"))
        XCTAssertTrue(root.isGroup("layers/hidden_1"))
        XCTAssertFalse(root.isDataset("layers/hidden_1"))
        XCTAssertTrue(layers.isDataset("weights"))
        XCTAssertFalse(layers.isGroup("weights"))
        XCTAssertFalse(layers.isGroup("nothing"))
        XCTAssertEqual(try root.openGroup("x/y").openGroup("z").name, "/x/y/z")
    }

    func testRemoveDeletesTheLink() throws {
        let file = try H5File.create(path("remove.h5"))
        try file.root.write("a", [1.0])
        _ = try file.root.createGroup("g")
        try file.root.remove("a")
        XCTAssertFalse(file.root.contains("a"))
        XCTAssertEqual(try file.root.memberNames(), ["g"])
        assertHDF5Error(["'a'", "no such member"]) { try file.root.remove("a") }
    }

    func testCreatingATakenNameFails() throws {
        let file = try H5File.create(path("taken.h5"))
        _ = try file.root.createGroup("g")
        assertHDF5Error(["'g'", "taken"]) { try file.root.createGroup("g") }
        assertHDF5Error(["'g'", "taken"]) { try file.root.createDataset("g", type: .float64, shape: [1]) }
    }

    func testFilesWithoutCreationOrderListByName() throws {
        let filePath = path("noorder.h5")
        try requirePythonH5py()
        let script = """
        import h5py
        with h5py.File('\(filePath)', 'w') as f:
            f.create_group('zeta'); f.create_group('alpha'); f['mid'] = [1, 2]
            f.attrs['z'] = 1; f.attrs['a'] = 2
        """
        let result = try runProcess("/usr/bin/python3", ["-c", script])
        XCTAssertEqual(result.status, 0, result.error)
        let file = try H5File.open(filePath, writable: true)
        XCTAssertEqual(try file.root.memberNames(), ["alpha", "mid", "zeta"])
        XCTAssertEqual(try file.root.attributeNames(), ["a", "z"])
        XCTAssertEqual(try file.root.openDataset("mid").readInt64(), [1, 2])
        // Objects created after a writable open use the V18 format, so big attributes work on them.
        let added = try file.root.createGroup("added")
        try added.setAttribute("big", [Double](repeating: 1, count: 10_000))
        XCTAssertEqual(try added.doubleArrayAttribute("big").count, 10_000)
        XCTAssertEqual(try file.root.memberNames(), ["added", "alpha", "mid", "zeta"])
    }
}
