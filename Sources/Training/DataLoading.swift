import Foundation
import HDF5
import RunFormat

/// Turns a `DataSource` into training and test sets.
public enum DataLoading {
    /// A built-in target generated from `seed`, an installed data set, or the user's file(s) (validated, with
    /// matching column counts); then `preprocessing` (nil: as loaded, or `DataPreprocessing.datasetDefault` for a
    /// data set).
    public static func load(_ source: DataSource, seed: UInt64,
                            preprocessing: DataPreprocessing? = nil) throws -> (train: Dataset, test: Dataset?) {
        switch source {
        case .builtin(let target, let n, let nTest, let d):
            guard preprocessing == nil else {
                throw TrainingError.option("--input-scaling, --labels and --classes apply to --data and --dataset, not to built-in targets")
            }
            return try target.generate(n: n, nTest: nTest, inputDim: d, seed: seed)
        case .dataset(let name, let n, let nTest):
            let result = try name.load(n: n, nTest: nTest, preprocessing: preprocessing ?? .datasetDefault)
            try result.train.validate("--dataset \(name.rawValue)")
            try result.test?.validate("--dataset \(name.rawValue) (test split)")
            return result
        case .file(let path, let testPath, let xColumns, let yColumns):
            var train = try loadFile(path, xColumns: xColumns, yColumns: yColumns)
            guard let testPath else {
                var none: Dataset? = nil
                try preprocess(&train, &none, preprocessing, path: path, testPath: nil)
                return (train, nil)
            }
            var test: Dataset? = try loadFile(testPath, xColumns: xColumns, yColumns: yColumns)
            if test!.inputDim != train.inputDim || test!.outputDim != train.outputDim {
                throw TrainingError.data("test data \(testPath) has \(test!.inputDim) input and \(test!.outputDim) target columns, "
                                    + "the training data \(train.inputDim) and \(train.outputDim)")
            }
            try preprocess(&train, &test, preprocessing, path: path, testPath: testPath)
            return (train, test)
        }
    }

    /// Applies `preprocessing` to a file's data and records the files and the preprocessing as provenance.
    private static func preprocess(_ train: inout Dataset, _ test: inout Dataset?, _ p: DataPreprocessing?,
                                   path: String, testPath: String?) throws {
        guard let p else { return }
        try p.apply(train: &train, test: &test)
        func provenance(_ file: String, _ d: Dataset, _ split: String) -> String {
            var fields: [String: Any] = ["files": [file], "split": split, "samples": d.n, "input_scaling": p.inputs.rawValue,
                                         "labels": p.labels.rawValue]
            if p.labels == .oneHot { fields["classes"] = d.outputDim }
            return DataProvenance.json(fields)
        }
        train.provenance = provenance(path, train, "train")
        if let testPath, test != nil { test!.provenance = provenance(testPath, test!, "test") }
    }

    /// A CSV file, an HDF5 file (extension .h5 / .hdf5 / .he5, or the HDF5 signature), a NumPy `.npy` / `.npz`, or
    /// an IDX image file (gzip or not; "idx" in its name). For CSV, `xColumns` and `yColumns` select columns (see
    /// `CSVData.selectColumns`); for HDF5 and `.npz` they name the x and y arrays (default "x" and "y"); for a `.npy`
    /// or an IDX image file `yColumns` is the file of the targets (the labels). The result is validated.
    public static func loadFile(_ path: String, xColumns: String?, yColumns: String?) throws -> Dataset {
        switch FileKind(path: path) {
        case .missing: throw TrainingError.data("data file \(path) does not exist")
        case .directory: throw TrainingError.data("data file \(path) is a directory, not a data file")
        case .other(let what): throw TrainingError.data("data file \(path) is \(what), not a regular file (give a CSV, HDF5, NumPy or IDX file)")
        case .regular: break
        }
        guard FileManager.default.isReadableFile(atPath: path) else { throw TrainingError.data("data file \(path) is not readable") }
        let ext = (path as NSString).pathExtension.lowercased()
        let data: Dataset
        if ["h5", "hdf5", "he5"].contains(ext) || H5File.isHDF5(path) {
            data = try HDF5Data.load(path, x: xColumns ?? "x", y: yColumns ?? "y")
        } else if ext == "npy" || ext == "npz" {
            data = try NumPyData.load(path, x: xColumns, y: yColumns)
        } else if IDXArray.looksLikeIDX(path) {
            if xColumns != nil { throw TrainingError.option("--x-cols does not apply to an IDX image file (every pixel is an input)") }
            guard let labels = yColumns else {
                throw TrainingError.data("data file \(path) is an IDX image file: give its label file with --y-cols (e.g. train-labels-idx1-ubyte.gz)")
            }
            data = try IDXArray.load(images: path, labels: labels)
        } else {
            data = try CSVData.parse(file: path, name: path, xColumns: xColumns, yColumns: yColumns)
        }
        try data.validate("data file \(path)")
        return data
    }
}
