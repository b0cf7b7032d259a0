import Foundation
import HDF5

/// Turns a `DataSource` into training and test sets.
public enum DataLoading {
    /// A built-in target generated from `seed`, or the user's file(s) (validated, with matching column counts).
    public static func load(_ source: DataSource, seed: UInt64) throws -> (train: Dataset, test: Dataset?) {
        switch source {
        case .builtin(let target, let n, let nTest, let d):
            return try target.generate(n: n, nTest: nTest, inputDim: d, seed: seed)
        case .file(let path, let testPath, let xColumns, let yColumns):
            let train = try loadFile(path, xColumns: xColumns, yColumns: yColumns)
            guard let testPath else { return (train, nil) }
            let test = try loadFile(testPath, xColumns: xColumns, yColumns: yColumns)
            if test.inputDim != train.inputDim || test.outputDim != train.outputDim {
                throw TrainingError("test data \(testPath) has \(test.inputDim) input and \(test.outputDim) target columns, "
                                    + "the training data \(train.inputDim) and \(train.outputDim)")
            }
            return (train, test)
        }
    }

    /// A CSV file, or an HDF5 file (extension .h5 / .hdf5 / .he5, or the HDF5 signature). For CSV, `xColumns` and
    /// `yColumns` select columns (see `CSVData.selectColumns`); for HDF5 they name the x and y datasets
    /// (default "x" and "y"). The result is validated.
    public static func loadFile(_ path: String, xColumns: String?, yColumns: String?) throws -> Dataset {
        switch FileKind(path: path) {
        case .missing: throw TrainingError("data file \(path) does not exist")
        case .directory: throw TrainingError("data file \(path) is a directory, not a CSV or HDF5 file")
        case .other(let what): throw TrainingError("data file \(path) is \(what), not a regular file (give a CSV or HDF5 file)")
        case .regular: break
        }
        guard FileManager.default.isReadableFile(atPath: path) else { throw TrainingError("data file \(path) is not readable") }
        let ext = (path as NSString).pathExtension.lowercased()
        let data: Dataset
        if ["h5", "hdf5", "he5"].contains(ext) || H5File.isHDF5(path) {
            data = try HDF5Data.load(path, x: xColumns ?? "x", y: yColumns ?? "y")
        } else {
            data = try CSVData.parse(file: path, name: path, xColumns: xColumns, yColumns: yColumns)
        }
        try data.validate("data file \(path)")
        return data
    }
}
