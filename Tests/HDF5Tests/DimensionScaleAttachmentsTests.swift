import Foundation
import XCTest
@testable import HDF5

/// `DimensionScaleAttachments` leaves the attributes that one `attach` and `setDimensionLabel` per attachment leave.
final class DimensionScaleAttachmentsTests: HDF5TestCase {
    /// A scale shared by several datasets (as `/step` is in a run file), one dataset with a scale on every dimension
    /// (as a layer's weights), and a dimension left without a scale. `bulk` chooses how the scales are attached.
    private func writeFile(_ filePath: String, bulk: Bool) throws {
        let file = try H5File.create(filePath, mode: .truncate)
        let g = try file.root.createGroup("g")
        let step = try file.root.createDataset("step", type: .int64, shape: [0], maxShape: [nil], chunk: [8])
        try step.makeDimensionScale("step")
        let rows = try g.write("neuron", [Int64(0), 1, 2])
        try rows.makeDimensionScale("neuron")
        let comps = try g.write("component", ["w1", "b"])
        try comps.makeDimensionScale("component")
        var attachments: [(H5Dataset, H5Dataset, Int, String?)] = []
        for name in ["a", "b", "c", "d"] {
            let ds = try file.root.createDataset(name, type: .float64, shape: [0], maxShape: [nil], chunk: [8])
            attachments.append((step, ds, 0, "step"))
        }
        let w = try g.createDataset("weights", type: .float64, shape: [0, 3, 2], maxShape: [nil, 3, 2], chunk: [1, 3, 2])
        attachments += [(step, w, 0, "step"), (rows, w, 1, "neuron"), (comps, w, 2, nil)]
        let half = try g.createDataset("half", type: .float64, shape: [3, 4])
        attachments.append((rows, half, 0, "neuron"))
        if bulk {
            var scales = DimensionScaleAttachments()
            for (scale, ds, dim, label) in attachments { scales.attach(scale, to: ds, dimension: dim, label: label) }
            try scales.write()
        } else {
            for (scale, ds, dim, label) in attachments {
                try ds.attach(scale: scale, toDimension: dim)
                if let label { try ds.setDimensionLabel(label, forDimension: dim) }
            }
        }
        try file.close()
    }

    /// Every attribute as h5dump prints it, with the file offsets inside object references removed (the objects
    /// sit at different addresses when attributes are written in another order).
    private func attributes(_ filePath: String) throws -> String {
        let h5dump = "/usr/bin/h5dump"
        guard FileManager.default.isExecutableFile(atPath: h5dump) else { throw XCTSkip("no \(h5dump)") }
        let dump = try runProcess(h5dump, ["-A", filePath])
        XCTAssertEqual(dump.status, 0, dump.error)
        return dump.output.replacingOccurrences(of: #"DATASET [0-9]+ "#, with: "DATASET ", options: .regularExpression)
            .replacingOccurrences(of: filePath, with: "FILE")
    }

    func testBulkWritesWhatOneAtATimeWrites() throws {
        let one = path("one.h5"), bulk = path("bulk.h5")
        try writeFile(one, bulk: false)
        try writeFile(bulk, bulk: true)
        let expected = try attributes(one)
        XCTAssertTrue(expected.contains("REFERENCE_LIST") && expected.contains("DIMENSION_LIST")
                      && expected.contains("DIMENSION_LABELS"))
        XCTAssertEqual(try attributes(bulk), expected)

        let file = try H5File.open(bulk)
        let w = try file.root.openGroup("g").openDataset("weights")
        XCTAssertEqual(try w.dimensionNames(), ["step", "neuron", "component"])
        XCTAssertEqual(try w.dimensionLabels(), ["step", "neuron", nil])
        XCTAssertEqual(try file.root.openGroup("g").openDataset("half").dimensionNames(), ["neuron", nil])
    }

    /// Existing attachments are kept: a second batch on the same scale adds to its references.
    func testSecondBatchFallsBackAndKeepsEarlierAttachments() throws {
        let file = try H5File.create(path("twice.h5"))
        let scale = try file.root.write("axis", [0.0, 1.0])
        try scale.makeDimensionScale("axis")
        let a = try file.root.write("a", [1.0, 2.0]), b = try file.root.write("b", [3.0, 4.0])
        var first = DimensionScaleAttachments()
        first.attach(scale, to: a, dimension: 0, label: "axis")
        try first.write()
        var second = DimensionScaleAttachments()
        second.attach(scale, to: b, dimension: 0, label: "axis")
        try second.write()
        XCTAssertEqual(try a.dimensionNames(), ["axis"])
        XCTAssertEqual(try b.dimensionNames(), ["axis"])
        try file.close()
        let dump = try attributes(path("twice.h5"))
        XCTAssertTrue(dump.contains("DATASET \"/a\",") && dump.contains("DATASET \"/b\","), "REFERENCE_LIST lists both: \(dump)")
    }

    func testOutOfRangeDimensionIsOneLine() throws {
        let file = try H5File.create(path("range.h5"))
        let scale = try file.root.write("axis", [0.0, 1.0])
        try scale.makeDimensionScale("axis")
        let a = try file.root.write("a", [1.0, 2.0])
        var scales = DimensionScaleAttachments()
        scales.attach(scale, to: a, dimension: 1)
        assertHDF5Error(["/a", "dimension 1"]) { try scales.write() }
    }
}
