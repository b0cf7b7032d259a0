import XCTest
@testable import HDF5

final class AttributeTests: HDF5TestCase {
    /// HDF5 counts attribute creations per object up to 65 535; rewriting one of the same type and shape must not
    /// count (a run rewrites its optimizer state's attributes at every checkpoint).
    func testRewritingAnAttributeManyTimesDoesNotExhaustTheCreationIndex() throws {
        let file = try H5File.create(path("rewrite.h5"))
        let group = try file.root.createGroup("optimizer")
        for k in 0..<70_000 {
            try group.setAttribute("step", k)
            if k % 1000 == 0 { try group.setAttribute("note", "at \(k)") }
        }
        try group.setAttribute("step", 0.5)          // another type: replaced
        try group.setAttribute("cursor", [Int64(1), 2])
        try group.setAttribute("cursor", [Int64(3), 4, 5])   // another shape: replaced
        XCTAssertEqual(try group.doubleAttribute("step"), 0.5)
        XCTAssertEqual(try group.stringAttribute("note"), "at 69000")
        XCTAssertEqual(try group.int64ArrayAttribute("cursor"), [3, 4, 5])
        try file.close()
        let again = try H5File.open(path("rewrite.h5"))
        XCTAssertEqual(try again.root.openGroup("optimizer").stringAttribute("note"), "at 69000")
        try again.close()
    }

    func testEveryAttributeKindRoundTripsOnGroupsAndDatasets() throws {
        let filePath = path("attributes.h5")
        do {
            let file = try H5File.create(filePath)
            let group = try file.root.createGroup("run")
            let dataset = try group.write("values", [1.0, 2.0])
            for holder in [file.root, group, dataset] as [H5AttributeHolder] {
                try holder.setAttribute("title", "Kondensation ∑ λ")
                try holder.setAttribute("steps", Int64(-9_000_000_000))
                try holder.setAttribute("width", 42)
                try holder.setAttribute("lr", 0.125)
                try holder.setAttribute("done", true)
                try holder.setAttribute("off", false)
                try holder.setAttribute("losses", [1.5, -2.25, .infinity])
                try holder.setAttribute("seeds", [Int64(1), 2, Int64.max])
                try holder.setAttribute("labels", ["x0", "", "log_prob"])
                try holder.setAttribute("empty", [Double]())
            }
            try file.close()
        }
        let file = try H5File.open(filePath)
        let group = try file.root.openGroup("run")
        let dataset = try group.openDataset("values")
        for holder in [file.root, group, dataset] as [H5AttributeHolder] {
            XCTAssertEqual(try holder.stringAttribute("title"), "Kondensation ∑ λ")
            XCTAssertEqual(try holder.int64Attribute("steps"), -9_000_000_000)
            XCTAssertEqual(try holder.int64Attribute("width"), 42)
            XCTAssertEqual(try holder.doubleAttribute("lr"), 0.125)
            XCTAssertEqual(try holder.doubleAttribute("width"), 42.0, "integers convert to Double")
            XCTAssertEqual(try holder.boolAttribute("done"), true)
            XCTAssertEqual(try holder.boolAttribute("off"), false)
            XCTAssertEqual(try holder.doubleArrayAttribute("losses"), [1.5, -2.25, .infinity])
            XCTAssertEqual(try holder.int64ArrayAttribute("seeds"), [1, 2, Int64.max])
            XCTAssertEqual(try holder.stringArrayAttribute("labels"), ["x0", "", "log_prob"])
            XCTAssertEqual(try holder.doubleArrayAttribute("empty"), [])
            XCTAssertTrue(holder.hasAttribute("lr"))
            XCTAssertFalse(holder.hasAttribute("nope"))
        }
        // Creation order is kept (the dataset also has _FillValue, written at creation).
        XCTAssertEqual(try group.attributeNames(),
                       ["title", "steps", "width", "lr", "done", "off", "losses", "seeds", "labels", "empty"])
        XCTAssertEqual(try dataset.attributeNames().first, "_FillValue")
        XCTAssertTrue(try dataset.doubleAttribute("_FillValue").isNaN)
    }

    func testSettingAnAttributeAgainReplacesItEvenWithAnotherType() throws {
        let file = try H5File.create(path("replace.h5"))
        let root = file.root
        try root.setAttribute("x", "first")
        try root.setAttribute("x", "second")
        XCTAssertEqual(try root.stringAttribute("x"), "second")
        try root.setAttribute("x", 3.5)
        XCTAssertEqual(try root.doubleAttribute("x"), 3.5)
        XCTAssertEqual(try root.attributeNames(), ["x"])
        try root.removeAttribute("x")
        XCTAssertFalse(root.hasAttribute("x"))
    }

    func testAttributeLargerThan64KiBWorks() throws {
        let file = try H5File.create(path("large.h5"))
        let values = (0..<20_000).map(Double.init)  // 160 kB
        try file.root.setAttribute("big", values)
        XCTAssertEqual(try file.root.doubleArrayAttribute("big"), values)
    }

    func testFixedLengthStringAttributeIsReadable() throws {
        let filePath = path("fixed.h5")
        try requirePythonH5py()
        let script = """
        import h5py, numpy as np
        with h5py.File('\(filePath)', 'w') as f:
            f.attrs['Conventions'] = np.bytes_(b'CF-1.8')
            f.attrs['flag'] = np.bool_(True)
            f.attrs['small'] = np.int16(-7)
            f.attrs['f32'] = np.float32(0.5)
            f.attrs['names'] = np.array([b'ab', b'c'], dtype='S2')
        """
        let result = try runProcess("/usr/bin/python3", ["-c", script])
        XCTAssertEqual(result.status, 0, result.error)
        let file = try H5File.open(filePath)
        XCTAssertEqual(try file.root.stringAttribute("Conventions"), "CF-1.8")
        XCTAssertEqual(try file.root.boolAttribute("flag"), true)
        XCTAssertEqual(try file.root.int64Attribute("small"), -7)
        XCTAssertEqual(try file.root.doubleAttribute("f32"), 0.5)
        XCTAssertEqual(try file.root.stringArrayAttribute("names"), ["ab", "c"])
    }

    func testMissingOrMistypedAttributeNamesIt() throws {
        let file = try H5File.create(path("missing.h5"))
        let group = try file.root.createGroup("g")
        try group.setAttribute("text", "hello")
        try group.setAttribute("pair", [1.0, 2.0])
        assertHDF5Error(["'absent'", "/g"]) { try group.stringAttribute("absent") }
        assertHDF5Error(["'text'", "string", "not an integer"]) { try group.int64Attribute("text") }
        assertHDF5Error(["'text'", "not a number"]) { try group.doubleAttribute("text") }
        assertHDF5Error(["'pair'", "2 values"]) { try group.doubleAttribute("pair") }
        assertHDF5Error(["'pair'", "not a string"]) { try group.stringAttribute("pair") }
        assertHDF5Error(["'pair'", "not an integer"]) { try group.int64ArrayAttribute("pair") }
    }

    func testWritingAttributesToAReadOnlyFileFails() throws {
        let filePath = path("ro.h5")
        try H5File.create(filePath).close()
        let file = try H5File.open(filePath)
        assertHDF5Error(["'x'", "read-only"]) { try file.root.setAttribute("x", 1) }
    }
}
