import Foundation
import RunFormat
import XCTest
@testable import Training

/// IDX, `.npy` / `.npz` loading, the installed Fashion-MNIST and the preprocessing options.
final class RealDataTests: ScratchDirectoryTestCase {
    private func put(_ name: String, _ data: Data) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }

    /// Three 2×2 images and their labels.
    private let pixels: [UInt8] = [0, 255, 10, 20, 1, 2, 3, 4, 200, 100, 50, 25]
    private let labels: [UInt8] = [7, 0, 3]

    func testIDXImagesAndLabelsAreFlattenedPlainAndGzipped() throws {
        let images = try put("imgs-idx3-ubyte", DataFileBytes.idx(shape: [3, 2, 2], values: pixels))
        let lab = try put("labs-idx1-ubyte", DataFileBytes.idx(shape: [3], values: labels))
        let d = try DataLoading.loadFile(images, xColumns: nil, yColumns: lab)
        XCTAssertEqual(d.n, 3); XCTAssertEqual(d.inputDim, 4); XCTAssertEqual(d.outputDim, 1)
        XCTAssertEqual(d.x, pixels.map(Double.init)); XCTAssertEqual(d.y, [7, 0, 3])
        guard let gzImages = try DataFileBytes.gzip(DataFileBytes.idx(shape: [3, 2, 2], values: pixels), in: directory),
              let gzLabels = try DataFileBytes.gzip(DataFileBytes.idx(shape: [3], values: labels), in: directory) else {
            throw XCTSkip("/bin/gzip could not run, so no gzip IDX file could be made")
        }
        let g = try DataLoading.loadFile(try put("imgs-idx3-ubyte.gz", gzImages), xColumns: nil,
                                         yColumns: try put("labs-idx1-ubyte.gz", gzLabels))
        XCTAssertEqual(g, d)
    }

    func testBadIDXFilesFailInOneLine() throws {
        let lab = try put("labs-idx1-ubyte", DataFileBytes.idx(shape: [3], values: labels))
        let wrongMagic = try put("magic-idx3-ubyte", DataFileBytes.idx(shape: [3, 2, 2], values: pixels, magic: [0, 0, 0x0D, 3]))
        XCTAssertTrue(error { try DataLoading.loadFile(wrongMagic, xColumns: nil, yColumns: lab) }
            .contains("magic number 0x00000d03 is not an IDX file"))
        let truncated = try put("trunc-idx3-ubyte", DataFileBytes.idx(shape: [3, 2, 2], values: Array(pixels.prefix(10))))
        XCTAssertTrue(error { try DataLoading.loadFile(truncated, xColumns: nil, yColumns: lab) }
            .contains("= 12 values but the file holds 10 (truncated)"))
        let two = try put("two-idx1-ubyte", DataFileBytes.idx(shape: [2], values: [1, 2]))
        let images = try put("imgs-idx3-ubyte", DataFileBytes.idx(shape: [3, 2, 2], values: pixels))
        XCTAssertTrue(error { try DataLoading.loadFile(images, xColumns: nil, yColumns: two) }
            .contains("has 3 images but label file \(two) has 2 labels"))
        XCTAssertTrue(error { try DataLoading.loadFile(images, xColumns: nil, yColumns: nil) }.contains("give its label file with --y-cols"))
        // Dimensions whose product overflows Int are refused, not trapped on.
        let huge = try put("huge-idx3-ubyte", DataFileBytes.idx(shape: [0x7FFF_FFFF, 0x7FFF_FFFF, 0x7FFF_FFFF], values: []))
        XCTAssertTrue(error { try DataLoading.loadFile(huge, xColumns: nil, yColumns: lab) }.contains("(truncated)"))
    }

    func testNpyAndStoredNpz() throws {
        let x = try put("x.npy", DataFileBytes.npy(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]))
        let y = try put("y.npy", DataFileBytes.npy(shape: [3], values: [0.5, -1, 2]))
        let d = try DataLoading.loadFile(x, xColumns: nil, yColumns: y)
        XCTAssertEqual(d.x, [1, 2, 3, 4, 5, 6]); XCTAssertEqual(d.y, [0.5, -1, 2]); XCTAssertEqual(d.inputDim, 2)
        // uint8 and int64 payloads.
        let u8 = try put("u8.npy", DataFileBytes.npy(descr: "|u1", shape: [3, 2], payload: [1, 2, 3, 4, 5, 255]))
        let i64 = try put("i64.npy", DataFileBytes.npy(descr: "<i8", shape: [3], payload: [UInt8](repeating: 0xFF, count: 8)
                                                        + [2, 0, 0, 0, 0, 0, 0, 0] + [0, 1, 0, 0, 0, 0, 0, 0]))
        let e = try DataLoading.loadFile(u8, xColumns: nil, yColumns: i64)
        XCTAssertEqual(e.x, [1, 2, 3, 4, 5, 255]); XCTAssertEqual(e.y, [-1, 2, 256])
        let npz = try put("d.npz", DataFileBytes.zip([("x.npy", try Data(contentsOf: URL(fileURLWithPath: x))),
                                                      ("targets.npy", try Data(contentsOf: URL(fileURLWithPath: y)))]))
        XCTAssertEqual(try DataLoading.loadFile(npz, xColumns: nil, yColumns: "targets"), d)
        XCTAssertTrue(error { try DataLoading.loadFile(npz, xColumns: nil, yColumns: nil) }
            .contains("has no array 'y' (it holds: x, targets); name it with --y-cols"))
        let nan = try put("nan.npy", DataFileBytes.npy(shape: [3, 2], values: [1, 2, .nan, 4, 5, 6]))
        XCTAssertTrue(error { try DataLoading.loadFile(nan, xColumns: nil, yColumns: y) }.contains("input 1 of sample 2 is nan"))
        let big = try put("big.npy", DataFileBytes.npy(descr: ">f8", shape: [3], payload: [UInt8](repeating: 0, count: 24)))
        XCTAssertTrue(error { try DataLoading.loadFile(big, xColumns: nil, yColumns: y) }.contains("has dtype '>f8'"))
        let short = try put("short.npy", DataFileBytes.npy(shape: [3, 2], values: [1, 2, 3]))
        XCTAssertTrue(error { try DataLoading.loadFile(short, xColumns: nil, yColumns: y) }.contains("(truncated)"))
    }

    /// numpy's own `savez_compressed` (deflated members) and float32 arrays, when the system python has numpy
    /// (python3-h5py, which tools/install-deps.sh installs, depends on it).
    func testNumpyWrittenCompressedNpz() throws {
        let path = directory.appendingPathComponent("c.npz").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import numpy as np, sys
            x = np.arange(600, dtype=np.float32).reshape(100, 6) / 7
            np.savez_compressed(sys.argv[1], images=x, y=np.arange(100, dtype=np.int64) % 3)
            """, path]
        p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("python3 with numpy is not available to write a compressed .npz") }
        let d = try DataLoading.loadFile(path, xColumns: "images", yColumns: nil)
        XCTAssertEqual(d.n, 100); XCTAssertEqual(d.inputDim, 6)
        XCTAssertEqual(d.x[13], Double(Float(13) / 7)); XCTAssertEqual(d.y[5], 2)
    }

    func testPreprocessing() throws {
        var train = Dataset(x: [0, 255, 51, 0], y: [2, 0], n: 2, inputDim: 2, outputDim: 1)
        var test: Dataset? = Dataset(x: [255, 255], y: [1], n: 1, inputDim: 2, outputDim: 1)
        try DataPreprocessing(inputs: .unit, labels: .oneHot).apply(train: &train, test: &test)
        XCTAssertEqual(train.x, [0, 1, 0.2, 0]); XCTAssertEqual(test!.x, [1, 1])
        XCTAssertEqual(train.outputDim, 3); XCTAssertEqual(train.y, [0, 0, 1, 1, 0, 0]); XCTAssertEqual(test!.y, [0, 1, 0])

        var s = Dataset(x: [1, 5, 3, 5], y: [0, 1], n: 2, inputDim: 2, outputDim: 1)
        var none: Dataset? = nil
        try DataPreprocessing(inputs: .standardize).apply(train: &s, test: &none)
        XCTAssertEqual(s.x, [-1, 0, 1, 0])  // column 2 is constant: only centred
        XCTAssertEqual(s.y, [0, 1])

        var bad = Dataset(x: [0, 1], y: [12, 3], n: 2, inputDim: 1, outputDim: 1)
        XCTAssertTrue(error { try DataPreprocessing(labels: .oneHot, classes: 10).apply(train: &bad, test: &none) }
            .contains("label 12.0 of sample 1 is not a class (0…9)"))
        var pixels = Dataset(x: [300], y: [0], n: 1, inputDim: 1, outputDim: 1)
        XCTAssertTrue(error { try DataPreprocessing(inputs: .unit).apply(train: &pixels, test: &none) }.contains("is 300.0"))
    }

    func testMissingDataSetSaysHowToInstallIt() throws {
        setenv("CONDENSE_DATASETS", directory.path, 1)
        defer { unsetenv("CONDENSE_DATASETS") }
        let message = error { try BuiltinDataset.fashionMNIST.load(n: 10, nTest: 0, preprocessing: .datasetDefault) }
        XCTAssertTrue(message.contains("is missing; install it with `apt-get install dataset-fashion-mnist`"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    /// The installed package (tools/install-deps.sh installs it, so CI runs this).
    func testFashionMNISTFromTheDebianPackage() throws {
        let set = BuiltinDataset.fashionMNIST
        guard FileManager.default.fileExists(atPath: set.files.trainImages) else {
            throw XCTSkip("dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist, or tools/install-deps.sh)")
        }
        let (train, test) = try DataLoading.load(.dataset(name: set, n: 100, nTest: 5), seed: 1,
                                                  preprocessing: DataPreprocessing(inputs: .raw, labels: .value))
        XCTAssertEqual(train.n, 100); XCTAssertEqual(train.inputDim, 784); XCTAssertEqual(train.outputDim, 1)
        XCTAssertEqual(Array(train.y.prefix(5)), [9, 0, 0, 3, 0])  // the published first training labels
        XCTAssertEqual(Array(test!.y), [9, 2, 1, 1, 6])
        XCTAssertEqual(train.x.prefix(784).reduce(0, +), 76247)  // the pixel sum of the first image
        XCTAssertEqual(train.x.reduce(0, +) / Double(train.x.count), 72.55829081632653, accuracy: 1e-9)
        let (unit, _) = try DataLoading.load(.dataset(name: set, n: 100, nTest: 0), seed: 1,
                                             preprocessing: DataPreprocessing(inputs: .unit, labels: .oneHot, classes: 10))
        XCTAssertEqual(unit.outputDim, 10); XCTAssertEqual(Array(unit.y.prefix(10)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(unit.x.max(), 1)
        XCTAssertTrue(unit.provenance!.contains("\"dataset\":\"fashion-mnist\"") && unit.provenance!.contains("\"samples\":100"))
        XCTAssertTrue(error { try DataLoading.load(.dataset(name: set, n: 60_001, nTest: 0), seed: 1) }
            .contains("--n-train 60001: the split has only 60000 images"))
    }
}
