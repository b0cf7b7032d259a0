import Foundation
import HDF5
import RunFormat
import XCTest

/// Format 1.2's layout (the snapshot dimension `step`, each layer's copy of it, /analysis's own `analyzed_step`),
/// also when written live, and files of the previous layout: read, and appended to in their own layout.
final class FormatVersionTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("formatversion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let layers = [
        LayerDescription(name: "layer_1", kind: .hidden, index: 1, fanIn: 2, width: 3, hasBias: true,
                         activation: "tanh", multiplicity: 1),
        LayerDescription(name: "readout", kind: .readout, index: 2, fanIn: 3, width: 1, hasBias: false),
    ]

    /// The example run of notebooks-data, written by condense before format 1.1 (its snapshot dimension is
    /// `snapshot`, `/step` a variable along it, one optimizer state): the previous layouts of the snapshots.
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notebooks-data/tanh-1d.h5").path

    private func append(_ w: RunWriter, step: Int, value: Double) throws {
        let h = [Double](repeating: value, count: w.layers[0].width * w.layers[0].components)
        let o = [Double](repeating: -value, count: w.layers[1].width * w.layers[1].components)
        try h.withUnsafeBufferPointer { h in
            try o.withUnsafeBufferPointer { o in
                try w.appendSnapshot(SnapshotRecord(step: step, epoch: Double(step), wallTime: 1, trainLoss: 0.5,
                                                    testLoss: .nan, learningRate: 0.01),
                                     weights: [h, o], stepLosses: UnsafeBufferPointer(start: nil, count: 0), optimizer: nil)
            }
        }
    }

    func testNewFilesIndexSnapshotsByStepInEveryGroup() throws {
        for live in [false, true] {
            let path = dir.appendingPathComponent("new-\(live).h5").path
            let w = try RunWriter.create(path: path, layers: layers, commandLine: "test", configJSON: "{}", seed: 1,
                                         lossKind: "half_sum", train: nil, test: nil, live: live)
            // The second and third appends happen in SWMR mode for a live file: extending only.
            for (i, step) in [0, 5, 40].enumerated() { try append(w, step: step, value: Double(i)) }
            try w.close()
            let file = try H5File.open(path)
            let root = file.root
            XCTAssertEqual(try root.stringAttribute("format_version"), "1.2")
            let step = try root.openDataset("step")
            XCTAssertTrue(step.isDimensionScale)
            XCTAssertEqual(try step.readInt64(), [0, 5, 40])
            XCTAssertEqual(try root.openDataset("snapshot").readInt64(), [0, 1, 2])
            for name in ["snapshot", "train_loss", "diverged"] {
                XCTAssertEqual(try root.openDataset(name).dimensionNames(), ["step"], name)
            }
            for (layer, rows) in [("layer_1", "neuron"), ("readout", "output")] {
                let g = try root.openGroup("layers").openGroup(layer)
                XCTAssertEqual(try g.openDataset("weights").dimensionNames(), ["step", rows, "component"])
                XCTAssertEqual(try g.openDataset("step").readInt64(), [0, 5, 40], "the layer's copy of /step")
            }
            try file.close()
            let r = try RunReader(path: path)
            XCTAssertEqual(try r.steps(), [0, 5, 40])
            XCTAssertEqual(try r.weights(layer: 0, snapshot: 2), [Double](repeating: 2, count: 9))
            try r.close()
            // Cut back (a resume after a kill): the layer copies follow.
            let again = try RunWriter.reopen(path: path)
            try again.truncate(snapshots: 2, iterations: 0)
            try append(again, step: 7, value: 9)
            try again.close()
            let cut = try H5File.open(path)
            XCTAssertEqual(try cut.root.openDataset("step").readInt64(), [0, 5, 7])
            XCTAssertEqual(try cut.root.openGroup("layers").openGroup("layer_1").openDataset("step").readInt64(), [0, 5, 7])
            try cut.close()
        }
    }

    func testAnAnalysisHasItsOwnSnapshotDimension() throws {
        let path = dir.appendingPathComponent("analysis.h5").path
        let w = try AnalysisWriter(path: path, source: "run.h5", overwrite: false, layers: layers, snapshots: [0, 4],
                                   steps: [0, 100], optionsJSON: "{}")
        try w.close()
        let file = try H5File.open(path)
        let a = try file.root.openGroup("analysis")
        XCTAssertTrue(try a.openDataset("analyzed_step").isDimensionScale)
        XCTAssertEqual(try a.openDataset("analyzed_step").readInt64(), [0, 100])
        XCTAssertEqual(try a.openDataset("snapshot").readInt64(), [0, 4])
        XCTAssertEqual(try a.openDataset("snapshot").dimensionNames(), ["analyzed_step"])
        let g = try a.openGroup("layer_1")
        XCTAssertEqual(try g.openDataset("analyzed_step").readInt64(), [0, 100], "the group's own copy")
        XCTAssertEqual(try g.openDataset("kept").dimensionNames(), ["analyzed_step"])
        XCTAssertEqual(try g.openDataset("cluster_condensed").dimensionNames(), ["analyzed_step", "cluster"])
        XCTAssertEqual(try g.openDataset("cluster_line").dimensionNames(), ["analyzed_step", "cluster"])
        try file.close()
    }

    func testAFileOfThePreviousLayoutIsReadAndAppendedInItsOwnLayout() throws {
        let path = dir.appendingPathComponent("old.h5").path
        try FileManager.default.copyItem(atPath: Self.example, toPath: path)
        let r = try RunReader(path: path)
        XCTAssertEqual(r.formatVersion, "1.0")
        XCTAssertEqual(r.layers.map(\.name), ["layer_1", "readout"])
        XCTAssertEqual(try r.steps(), Array(stride(from: 0, through: 300, by: 10)))
        let stored = try H5File.open(path)
        let weights = try stored.root.openGroup("layers").openGroup("layer_1").openDataset("weights")
        XCTAssertEqual(try weights.dimensionNames(), ["snapshot", "neuron", "component"])
        let all = try weights.read()
        let size = r.layers[0].width * r.layers[0].components
        XCTAssertEqual(try r.weights(layer: 0, snapshot: 10), Array(all[(10 * size)..<(11 * size)]))
        try stored.close()
        XCTAssertEqual(try r.optimizerCheckpoints().map(\.step), [300])
        XCTAssertTrue(r.configJSON?.contains("\"architecture\"") ?? false)
        try r.close()

        let w = try RunWriter.reopen(path: path)
        try append(w, step: 310, value: 0.5)
        try w.close()
        let file = try H5File.open(path)
        XCTAssertEqual(try file.root.stringAttribute("format_version"), "1.0")
        XCTAssertFalse(try file.root.openDataset("step").isDimensionScale)
        XCTAssertEqual(try file.root.openDataset("snapshot").readInt64().last, 31)
        XCTAssertEqual(try file.root.openDataset("train_loss").dimensionNames(), ["snapshot"])
        XCTAssertFalse(try file.root.openGroup("layers").openGroup("layer_1").isDataset("step"))
        try file.close()
        let back = try RunReader(path: path)
        XCTAssertEqual(try back.steps().suffix(2), [300, 310])
        XCTAssertEqual(try back.weights(layer: 0, snapshot: 31), [Double](repeating: 0.5, count: size))
        try back.close()
    }
}
