import XCTest
@testable import HDF5

final class DimensionScaleTests: HDF5TestCase {
    /// Writes a small netCDF-style group: `samples(sample, member, component)` plus one scale per dimension.
    static func writeRun(_ filePath: String, rows: Int = 3) throws {
        let file = try H5File.create(filePath, mode: .truncate)
        try file.root.setAttribute("title", "condensation run ∑")
        let run = try file.root.createGroup("run")
        let sample = try run.createDataset("sample", type: .int64, shape: [0], maxShape: [nil])
        let member = try run.write("member", [Int64(0), 1])
        let component = try run.write("component", ["x0", "log_prob"])
        try sample.makeDimensionScale("sample")
        try member.makeDimensionScale("member")
        try component.makeDimensionScale("component")
        let samples = try run.createDataset("samples", type: .float64, shape: [0, 2, 2], maxShape: [nil, 2, 2],
                                            deflate: 4)
        for (axis, scale) in [sample, member, component].enumerated() {
            try samples.attach(scale: scale, toDimension: axis)
        }
        try samples.setDimensionLabel("sample", forDimension: 0)
        for row in 0..<rows {
            try sample.append([Int64(row)])
            try samples.append([Double(row), 1, 2, 3])
        }
        try file.close()
    }

    func testScalesAttachAndReportTheirNames() throws {
        let filePath = path("scales.h5")
        try Self.writeRun(filePath)
        let file = try H5File.open(filePath)
        let run = try file.root.openGroup("run")
        let samples = try run.openDataset("samples")
        XCTAssertFalse(samples.isDimensionScale)
        XCTAssertEqual(try samples.dimensionNames(), ["sample", "member", "component"])
        XCTAssertEqual(try samples.dimensionLabels(), ["sample", nil, nil])
        let member = try run.openDataset("member")
        XCTAssertTrue(member.isDimensionScale)
        XCTAssertEqual(try member.dimensionNames(), ["member"], "a scale names its own dimension")
        XCTAssertEqual(try run.openDataset("sample").readInt64(), [0, 1, 2])
    }

    func testDatasetWithoutScalesHasNilNames() throws {
        let file = try H5File.create(path("noscales.h5"))
        let plain = try file.root.createDataset("plain", type: .float64, shape: [2, 3])
        XCTAssertEqual(try plain.dimensionNames(), [nil, nil])
        XCTAssertFalse(plain.isDimensionScale)
        let scale = try file.root.write("axis", [0.0, 1.0, 2.0])
        try scale.makeDimensionScale("axis")
        try plain.attach(scale: scale, toDimension: 1)
        XCTAssertEqual(try plain.dimensionNames(), [nil, "axis"])
        assertHDF5Error(["/plain", "dimension 2"]) { try plain.attach(scale: scale, toDimension: 2) }
    }
}
