import Foundation
import HDF5
import RunFormat
import XCTest
@testable import Training

final class DataTests: ScratchDirectoryTestCase {
    private func file(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func csv(_ text: String, x: String? = nil, y: String? = nil) throws -> Dataset {
        try DataLoading.loadFile(try file("d.csv", text), xColumns: x, yColumns: y)
    }

    private func csvError(_ text: String, x: String? = nil, y: String? = nil) -> String {
        do { _ = try csv(text, x: x, y: y); return "" } catch { return "\(error)" }
    }

    // MARK: - Dataset

    func testValidation() {
        func message(_ d: Dataset) -> String {
            do { try d.validate("set"); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(message(Dataset(x: [1, 2], y: [3], n: 1, inputDim: 2, outputDim: 1)), "")
        XCTAssertTrue(message(Dataset(x: [], y: [], n: 0, inputDim: 2, outputDim: 1)).contains("no samples"))
        XCTAssertTrue(message(Dataset(x: [1], y: [3], n: 1, inputDim: 2, outputDim: 1)).contains("do not fit"))
        XCTAssertTrue(message(Dataset(x: [1, .nan], y: [3], n: 1, inputDim: 2, outputDim: 1)).contains("input 2 of sample 1"))
        XCTAssertTrue(message(Dataset(x: [1, 2, 3, 4], y: [3, .infinity], n: 2, inputDim: 2, outputDim: 1)).contains("sample 2"))
        XCTAssertTrue(message(Dataset(x: [1], y: [], n: 1, inputDim: 1, outputDim: 0)).contains("target column"))
    }

    // MARK: - CSV

    func testCSVWithHeaderDefaultsToLastColumnAsTarget() throws {
        let d = try csv("a,b,target\n1,2,3\n4,5,6\n\n# comment\n7,8,9\n")
        XCTAssertEqual(d, Dataset(x: [1, 2, 4, 5, 7, 8], y: [3, 6, 9], n: 3, inputDim: 2, outputDim: 1))
    }

    func testCSVWithoutHeader() throws {
        let d = try csv("1.5,-2e-3,3\r\n4,5,6\r\n")
        XCTAssertEqual(d.x, [1.5, -2e-3, 4, 5])
        XCTAssertEqual(d.y, [3, 6])
    }

    func testCSVColumnSelection() throws {
        let text = "id,x1,x2,y1,y2\nfoo,1,2,3,4\nbar,5,6,7,8\n"
        let byName = try csv(text, x: "x2,x1", y: "y1,y2")
        XCTAssertEqual(byName.x, [2, 1, 6, 5])
        XCTAssertEqual(byName.y, [3, 4, 7, 8])
        XCTAssertEqual(byName.outputDim, 2)
        let byRange = try csv(text, x: "1-2", y: "-1")
        XCTAssertEqual(byRange.x, [1, 2, 5, 6])
        XCTAssertEqual(byRange.y, [4, 8])
        // With only y given, x is every other column — here including the text column, which fails.
        XCTAssertTrue(csvError(text, y: "y2").contains("'foo' is not a number"))
        // Unselected text columns are ignored.
        XCTAssertEqual(try csv(text, x: "x1,x2,y1").n, 2)
    }

    func testTabSeparatedAndQuoted() throws {
        let d = try csv("\"u\"\t\"v\"\n1\t2\n3\t4\n", x: "u", y: "v")
        XCTAssertEqual(d.x, [1, 3])
        XCTAssertEqual(d.y, [2, 4])
    }

    func testCSVErrors() {
        let nonNumeric = csvError("x,y\n1,2\n3,abc\n")
        XCTAssertTrue(nonNumeric.contains("line 3") && nonNumeric.contains("column 2 ('y')") && nonNumeric.contains("'abc'"), nonNumeric)
        let noHeader = csvError("1,2\n3,abc\n")
        XCTAssertTrue(noHeader.contains("line 2, column 2:"), noHeader)
        let ragged = csvError("1,2,3\n4,5\n")
        XCTAssertTrue(ragged.contains("line 2") && ragged.contains("2 cells") && ragged.contains("3"), ragged)
        XCTAssertTrue(csvError("").contains("empty"))
        XCTAssertTrue(csvError("\n# only a comment\n").contains("empty"))
        XCTAssertTrue(csvError("a,b\n").contains("no data lines"))
        XCTAssertTrue(csvError("1\n2\n").contains("one column"))
        XCTAssertTrue(csvError("1,2\nnan,4\n").contains("'nan' is not a finite number"))
        XCTAssertTrue(csvError("1,2\n,4\n").contains("empty"))
        XCTAssertTrue(csvError("a,b\n1,2\n", x: "c").contains("columns: a, b"))
        XCTAssertTrue(csvError("1,2\n", x: "7").contains("columns 0…1"))
        XCTAssertTrue(csvError("1,2,3\n", x: "0,1", y: "1").contains("both"))
        XCTAssertTrue(csvError("1,2,3\n", x: "0,0").contains("twice"))
        XCTAssertTrue(csvError("1,2,3\n", x: "2-0").contains("backwards"))
        XCTAssertTrue(csvError("1,2,3\n", x: "a").contains("no header"))
        for m in [nonNumeric, ragged] { XCTAssertFalse(m.contains("\n")) }
    }

    func testMissingFile() {
        do {
            _ = try DataLoading.loadFile(directory.appendingPathComponent("nope.csv").path, xColumns: nil, yColumns: nil)
            XCTFail("expected an error")
        } catch { XCTAssertTrue("\(error)".contains("nope.csv")) }
    }

    func testTestFileMustMatchColumns() throws {
        let train = try file("train.csv", "1,2,3\n4,5,6\n"), test = try file("test.csv", "1,2\n3,4\n")
        XCTAssertThrowsError(try DataLoading.load(.file(path: train, testPath: test, xColumns: nil, yColumns: nil), seed: 0)) {
            XCTAssertTrue("\($0)".contains("columns"))
        }
        let ok = try DataLoading.load(.file(path: train, testPath: train, xColumns: nil, yColumns: nil), seed: 0)
        XCTAssertEqual(ok.test, ok.train)
    }

    // MARK: - HDF5

    func testHDF5WrittenByTheHDF5Module() throws {
        let path = directory.appendingPathComponent("d.h5").path
        do {
            let f = try H5File.create(path)
            _ = try f.root.write("x", [1, 2, 3, 4, 5, 6] as [Double], shape: [3, 2])
            _ = try f.root.write("y", [7, 8, 9] as [Double])
            _ = try f.root.write("y2", [1, 2, 3, 4, 5, 6] as [Double], shape: [3, 2])
            _ = try f.root.write("short", [1, 2] as [Double])
            _ = try f.root.write("cube", [Double](repeating: 0, count: 8), shape: [2, 2, 2])
            try f.close()
        }
        let d = try DataLoading.loadFile(path, xColumns: nil, yColumns: nil)
        XCTAssertEqual(d, Dataset(x: [1, 2, 3, 4, 5, 6], y: [7, 8, 9], n: 3, inputDim: 2, outputDim: 1))
        let k = try DataLoading.loadFile(path, xColumns: "y", yColumns: "y2")
        XCTAssertEqual([k.n, k.inputDim, k.outputDim], [3, 1, 2])
        func message(_ x: String, _ y: String) -> String {
            do { _ = try DataLoading.loadFile(path, xColumns: x, yColumns: y); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("x", "short").contains("3 rows"))
        XCTAssertTrue(message("x", "nope").contains("no dataset 'nope'"))
        XCTAssertTrue(message("x", "nope").contains("cube, short, x, y, y2") || message("x", "nope").contains("x, y"))
        XCTAssertTrue(message("cube", "y").contains("shape"))
    }

    func testHDF5WrittenByH5py() throws {
        let python = "/usr/bin/python3"
        let path = directory.appendingPathComponent("py.hdf5").path
        let script = """
        import h5py, numpy as np
        with h5py.File('\(path)', 'w') as f:
            f['inputs'] = np.arange(8.0).reshape(4, 2)
            f['targets'] = np.array([1, 2, 3, 4], dtype=np.int32)
        """
        do { _ = try OptimizerTests.runPython(python, script) } catch {
            throw XCTSkip("h5py is not available in \(python); h5py round trip skipped")
        }
        let d = try DataLoading.loadFile(path, xColumns: "inputs", yColumns: "targets")
        XCTAssertEqual(d, Dataset(x: [0, 1, 2, 3, 4, 5, 6, 7], y: [1, 2, 3, 4], n: 4, inputDim: 2, outputDim: 1))
    }
}
