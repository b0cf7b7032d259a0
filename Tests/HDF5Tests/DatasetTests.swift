import XCTest
@testable import HDF5

final class DatasetTests: HDF5TestCase {
    func testEveryDatasetKindRoundTrips() throws {
        let filePath = path("datasets.h5")
        let matrix = (0..<12).map { Double($0) * 0.5 - 1 }
        do {
            let file = try H5File.create(filePath)
            let root = file.root
            try root.write("matrix", matrix, shape: [3, 4])
            try root.write("ints", [Int64.min, 0, Int64.max])
            try root.write("names", ["x0", "ünï", ""])
            for type in [H5ElementType.float32, .int32, .uint8] {
                let dataset = try root.createDataset("\(type)", type: type, shape: [3])
                try dataset.write([1.0, 2.0, 3.0])
            }
            let scalar = try root.createDataset("scalar", type: .float64, shape: [])
            try scalar.write([2.5])
            try file.close()
        }
        let file = try H5File.open(filePath)
        let root = file.root
        let stored = try root.openDataset("matrix")
        XCTAssertEqual(stored.shape, [3, 4])
        XCTAssertEqual(stored.maxShape, [3, 4])
        XCTAssertEqual(stored.elementType, .float64)
        XCTAssertEqual(try stored.read(), matrix)
        XCTAssertEqual(stored.name, "/matrix")
        let ints = try root.openDataset("ints")
        XCTAssertEqual(ints.elementType, .int64)
        XCTAssertEqual(try ints.readInt64(), [Int64.min, 0, Int64.max])
        let names = try root.openDataset("names")
        XCTAssertEqual(names.elementType, .string)
        XCTAssertEqual(try names.readStrings(), ["x0", "ünï", ""])
        XCTAssertEqual(try root.openDataset("float32").elementType, .float32)
        XCTAssertEqual(try root.openDataset("float32").read(), [1, 2, 3])
        XCTAssertEqual(try root.openDataset("int32").elementType, .int32)
        XCTAssertEqual(try root.openDataset("int32").readInt64(), [1, 2, 3])
        XCTAssertEqual(try root.openDataset("uint8").elementType, .uint8)
        XCTAssertEqual(try root.openDataset("uint8").read(), [1, 2, 3], "integers read as Double")
        XCTAssertEqual(try root.openDataset("scalar").shape, [])
        XCTAssertEqual(try root.openDataset("scalar").read(), [2.5])
        assertHDF5Error(["/names", "not numbers"]) { try names.read() }
        assertHDF5Error(["/matrix", "not integers"]) { try stored.readInt64() }
        assertHDF5Error(["/ints", "not strings"]) { try ints.readStrings() }
    }

    func testFloatDatasetsAreFilledWithNaNAndCarryFillValueAttribute() throws {
        let file = try H5File.create(path("fill.h5"))
        let d64 = try file.root.createDataset("d64", type: .float64, shape: [2, 2])
        let d32 = try file.root.createDataset("d32", type: .float32, shape: [3])
        let ints = try file.root.createDataset("i", type: .int64, shape: [2])
        XCTAssertTrue(try d64.read().allSatisfy(\.isNaN))
        XCTAssertTrue(try d32.read().allSatisfy(\.isNaN))
        XCTAssertTrue(try d64.doubleAttribute("_FillValue").isNaN)
        XCTAssertTrue(try d32.doubleAttribute("_FillValue").isNaN)
        XCTAssertFalse(ints.hasAttribute("_FillValue"))
        XCTAssertEqual(try ints.readInt64(), [0, 0])
    }

    func testAppendAlongUnlimitedChunkedDeflatedAxis() throws {
        let filePath = path("append.h5")
        do {
            let file = try H5File.create(filePath)
            let samples = try file.root.createDataset("samples", type: .float64, shape: [0, 2, 3],
                                                      maxShape: [nil, 2, 3], deflate: 4)
            XCTAssertEqual(samples.maxShape, [nil, 2, 3])
            let steps = try file.root.createDataset("step", type: .int64, shape: [0], maxShape: [nil], chunk: [16])
            let tags = try file.root.createDataset("tag", type: .string, shape: [0], maxShape: [nil])
            for row in 0..<5 {
                try samples.append((0..<6).map { Double(row * 10 + $0) })
                try steps.append([Int64(row * 100)])
                try tags.append(["t\(row)"])
                try file.flush()
            }
            let pair = (0..<12).map { Double(1000 + $0) }
            try pair.withUnsafeBufferPointer { try samples.append($0, rows: 2) }
            try steps.append([Int64(500), 600], rows: 2)
            try tags.append(["a", "b"])
            assertHDF5Error(["/samples", "expected 6"]) { try samples.append([1.0, 2.0]) }
            XCTAssertEqual(samples.shape, [7, 2, 3], "a rejected append must not extend")
            try file.close()
        }
        let file = try H5File.open(filePath)
        let samples = try file.root.openDataset("samples")
        XCTAssertEqual(samples.shape, [7, 2, 3])
        let values = try samples.read()
        XCTAssertEqual(Array(values[0..<6]), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(Array(values[24..<30]), [40, 41, 42, 43, 44, 45])
        XCTAssertEqual(Array(values[30...]), (0..<12).map { Double(1000 + $0) })
        XCTAssertEqual(try file.root.openDataset("step").readInt64(), [0, 100, 200, 300, 400, 500, 600])
        XCTAssertEqual(try file.root.openDataset("tag").readStrings(), ["t0", "t1", "t2", "t3", "t4", "a", "b"])

        // The filters really are on the dataset.
        let dump = try? runProcess("/usr/bin/h5dump", ["-p", "-H", "-d", "/samples", filePath])
        if let dump, dump.status == 0 {
            XCTAssertTrue(dump.output.contains("SHUFFLE"), dump.output)
            XCTAssertTrue(dump.output.contains("DEFLATE"), dump.output)
            XCTAssertTrue(dump.output.contains("CHUNKED ( 1, 2, 3 )"), dump.output)
        }
    }

    func testSlabsReadAndWriteBlocks() throws {
        let file = try H5File.create(path("slabs.h5"))
        let grid = try file.root.createDataset("grid", type: .float64, shape: [4, 5])
        try grid.write((0..<20).map(Double.init))
        XCTAssertEqual(try grid.readSlab(start: [1, 2], count: [2, 3]), [7, 8, 9, 12, 13, 14])
        var buffer = [Double](repeating: 0, count: 4)
        try buffer.withUnsafeMutableBufferPointer { try grid.readSlab(start: [3, 1], count: [1, 4], into: $0) }
        XCTAssertEqual(buffer, [16, 17, 18, 19])
        try grid.writeSlab([-1, -2, -3, -4], start: [0, 0], count: [2, 2])
        XCTAssertEqual(try grid.readSlab(start: [0, 0], count: [2, 3]), [-1, -2, 2, -3, -4, 7])
        try [100.0, 200].withUnsafeBufferPointer { try grid.writeSlab($0, start: [3, 3], count: [1, 2]) }
        XCTAssertEqual(try grid.readSlab(start: [3, 0], count: [1, 5]), [15, 16, 17, 100, 200])
        XCTAssertEqual(try grid.readSlab(start: [2, 2], count: [0, 3]), [])

        let ints = try file.root.createDataset("ints", type: .int64, shape: [2, 3])
        try ints.writeSlab([7, 8], start: [1, 1], count: [1, 2])
        XCTAssertEqual(try ints.readSlabInt64(start: [1, 0], count: [1, 3]), [0, 7, 8])

        let words = try file.root.createDataset("words", type: .string, shape: [4])
        try words.write(["a", "b", "c", "d"])
        try words.writeSlab(["B", "C"], start: [1], count: [2])
        XCTAssertEqual(try words.readStrings(), ["a", "B", "C", "d"])
        XCTAssertEqual(try words.readSlabStrings(start: [2], count: [2]), ["C", "d"])

        assertHDF5Error(["/grid", "outside the shape [4, 5]"]) { try grid.readSlab(start: [3, 0], count: [2, 1]) }
        assertHDF5Error(["/grid", "2 dimensions"]) { try grid.readSlab(start: [0], count: [1]) }
        assertHDF5Error(["/grid", "holds 4"]) { try grid.writeSlab([1.0], start: [0, 0], count: [2, 2]) }
        assertHDF5Error(["/grid", "buffer holds 1"]) {
            var one = [0.0]
            try one.withUnsafeMutableBufferPointer { try grid.readSlab(start: [0, 0], count: [1, 2], into: $0) }
        }
        assertHDF5Error(["/grid", "holds 20"]) { try grid.write([1.0, 2.0]) }
    }

    func testExtendAndFixedShapeLimits() throws {
        let file = try H5File.create(path("extend.h5"))
        let growing = try file.root.createDataset("g", type: .float64, shape: [2, 2], maxShape: [nil, 4])
        try growing.extend(to: [5, 4])
        XCTAssertEqual(growing.shape, [5, 4])
        XCTAssertTrue(try growing.readSlab(start: [4, 0], count: [1, 4]).allSatisfy(\.isNaN))
        assertHDF5Error(["/g"]) { try growing.extend(to: [5, 5]) }
        let fixed = try file.root.createDataset("f", type: .float64, shape: [2])
        assertHDF5Error(["/f"]) { try fixed.append([1.0]) }
        assertHDF5Error(["'bad'", "maxShape"]) {
            try file.root.createDataset("bad", type: .float64, shape: [3], maxShape: [2])
        }
        assertHDF5Error(["'bad'", "chunk"]) {
            try file.root.createDataset("bad", type: .float64, shape: [3], chunk: [0])
        }
        XCTAssertFalse(file.root.contains("bad"))
    }

    func testSameProcessCanReadAFileItIsWriting() throws {
        let filePath = path("shared.h5")
        let writer = try H5File.create(filePath)
        let rows = try writer.root.createDataset("rows", type: .float64, shape: [0], maxShape: [nil])
        try rows.append([1.0, 2.0], rows: 2)
        try writer.flush()
        do {
            let reader = try H5File.open(filePath)
            XCTAssertEqual(try reader.root.openDataset("rows").read(), [1.0, 2.0])
            try reader.close()
        }
        try rows.append([3.0])
        XCTAssertEqual(try rows.read(), [1.0, 2.0, 3.0], "closing the reader must not close the writer's objects")
        try writer.close()
        XCTAssertEqual(try H5File.open(filePath).root.openDataset("rows").read(), [1.0, 2.0, 3.0])
    }

    func testUseAfterCloseThrowsInsteadOfCrashing() throws {
        let filePath = path("closed.h5")
        let file = try H5File.create(filePath)
        let dataset = try file.root.write("x", [1.0, 2.0])
        try file.close()
        try file.close()  // idempotent
        XCTAssertFalse(file.isOpen)
        assertHDF5Error([filePath, "closed"]) { try dataset.read() }
        assertHDF5Error([filePath, "closed"]) { try file.flush() }
        assertHDF5Error([filePath, "closed"]) { try file.root.createGroup("g") }
        XCTAssertEqual(dataset.shape, [])
        // The file really is closed: it can be reopened and read.
        XCTAssertEqual(try H5File.open(filePath).root.openDataset("x").read(), [1.0, 2.0])
    }
}
