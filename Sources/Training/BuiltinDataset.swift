import Foundation
import RunFormat

/// Image data sets installed from Debian packages, read from their IDX files. Fashion-MNIST stands in for MNIST
/// (same format, 28×28 grey images, 10 classes, 60 000 + 10 000), which no package here ships: the papers' MNIST
/// experiments run on Fashion-MNIST.
public enum BuiltinDataset: String, CaseIterable, Codable, Sendable {
    /// Zalando's Fashion-MNIST, Debian package `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist`).
    case fashionMNIST = "fashion-mnist"

    /// The Debian package that installs it.
    public var package: String { "dataset-\(rawValue)" }

    /// The directory of the IDX files: `$CONDENSE_DATASETS/<name>` when the variable is set (tests point it at
    /// planted files), else the package's `/usr/share/datasets/<name>`.
    public var directory: String {
        let root = ProcessInfo.processInfo.environment["CONDENSE_DATASETS"] ?? "/usr/share/datasets"
        return (root as NSString).appendingPathComponent(rawValue)
    }

    /// Images and labels of the training and the test split.
    public var files: (trainImages: String, trainLabels: String, testImages: String, testLabels: String) {
        let d = directory as NSString
        return (d.appendingPathComponent("train-images-idx3-ubyte.gz"), d.appendingPathComponent("train-labels-idx1-ubyte.gz"),
                d.appendingPathComponent("t10k-images-idx3-ubyte.gz"), d.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    }

    public var classes: Int { 10 }
    /// What it stands in for in the papers' experiments.
    public var standsInFor: String { "MNIST (no package here ships MNIST; Fashion-MNIST has its format and sizes)" }

    /// The first `n` training and `nTest` test images (nil: all 60 000 / 10 000; 0 test: none), flattened to 784
    /// inputs, with `preprocessing` applied; each set carries its provenance.
    public func load(n: Int?, nTest: Int?, preprocessing: DataPreprocessing) throws -> (train: Dataset, test: Dataset?) {
        let f = files
        if let n, n < 1 { throw TrainingError.option("--n-train must be ≥ 1 (got \(n))") }
        if let nTest, nTest < 0 { throw TrainingError.option("--n-test must be ≥ 0 (got \(nTest))") }
        for path in [f.trainImages, f.trainLabels, f.testImages, f.testLabels] where !FileManager.default.fileExists(atPath: path) {
            throw TrainingError.data("--dataset \(rawValue): \(path) is missing; install it with `apt-get install \(package)` "
                                + "(or tools/install-deps.sh)")
        }
        // One more than asked, so that a subset larger than the split is still recognised.
        var train = try Self.first(n, IDXArray.load(images: f.trainImages, labels: f.trainLabels, limit: n.map { $0 + 1 }),
                                   flag: "--n-train")
        var test: Dataset? = nTest == 0 ? nil
            : try Self.first(nTest, IDXArray.load(images: f.testImages, labels: f.testLabels, limit: nTest.map { $0 + 1 }),
                             flag: "--n-test")
        try preprocessing.apply(train: &train, test: &test)
        train.provenance = provenance(split: "train", images: f.trainImages, labels: f.trainLabels, data: train,
                                      preprocessing: preprocessing)
        if test != nil {
            test!.provenance = provenance(split: "test", images: f.testImages, labels: f.testLabels, data: test!,
                                          preprocessing: preprocessing)
        }
        return (train, test)
    }

    /// The first `n` samples (all when nil).
    private static func first(_ n: Int?, _ d: Dataset, flag: String) throws -> Dataset {
        guard let n, n != d.n else { return d }
        guard n <= d.n else { throw TrainingError.option("\(flag) \(n): the split has only \(d.n) images") }
        return Dataset(x: Array(d.x[0..<(n * d.inputDim)]), y: Array(d.y[0..<(n * d.outputDim)]), n: n,
                       inputDim: d.inputDim, outputDim: d.outputDim)
    }

    private func provenance(split: String, images: String, labels: String, data: Dataset,
                            preprocessing: DataPreprocessing) -> String {
        DataProvenance.json([
            "dataset": rawValue, "package": package, "stands_in_for": standsInFor, "split": split,
            "files": [images, labels], "samples": data.n, "subset": "the first \(data.n) of the split",
            "flattened": "28x28 images as 784 inputs, row-major",
            "input_scaling": preprocessing.inputs.rawValue, "labels": preprocessing.labels.rawValue,
            "classes": classes,
        ])
    }
}
