import Model
import ArgumentParser
import Training

/// The training data: a built-in target, an installed image data set, or the user's CSV / HDF5 / NumPy / IDX file,
/// and how loaded data is preprocessed.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Built-in target (default: sin5d).", valueName: "name"))
    var target: BuiltinTarget?

    @Option(help: ArgumentHelp("Installed image data set: fashion-mnist (Debian package dataset-fashion-mnist; it stands in for MNIST, which no package ships). Images are flattened to 784 inputs.", valueName: "name"),
            completion: .list(BuiltinDataset.allCases.map(\.rawValue)))
    var dataset: String?

    @Option(name: .customLong("n-train"), parsing: .unconditional, help: "Training points of a built-in target (default: 80 for sin5d, sin5d-low and sin3d, 40 for sin1d, 4 for tworelu1d, 100 for teacher), or the first N images of --dataset (default: all 60 000).", transform: IntegerArgument.parse)
    var nTrain: Int?

    @Option(name: .customLong("n-test"), parsing: .unconditional, help: "Test points of a built-in target (0: none; default: 1000), or the first N test images of --dataset (default: all 10 000).", transform: IntegerArgument.parse)
    var nTest: Int?

    @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "Input dimension of the teacher target (default: 10).")
    var inputDim: Int?

    @Option(help: ArgumentHelp("Training data from a CSV, HDF5 (.h5), NumPy (.npy, .npz) or IDX image file (gzip or not, 'idx' in its name).", valueName: "path"))
    var data: String?

    @Option(name: .customLong("test-data"), help: ArgumentHelp("Test data file, same layout as --data.", valueName: "path"))
    var testData: String?

    @Option(name: .customLong("x-cols"), parsing: .unconditional, help: ArgumentHelp("Input columns of a CSV (indices like 0-4 or header names; default all but the last). For HDF5 and .npz: the x array's name.", valueName: "cols"))
    var xCols: String?

    @Option(name: .customLong("y-cols"), parsing: .unconditional, help: ArgumentHelp("Target columns of a CSV (default the last). For HDF5 and .npz: the y array's name. For .npy and IDX images: the targets' file (the IDX label file).", valueName: "cols"))
    var yCols: String?

    @Option(name: .customLong("input-scaling"), help: ArgumentHelp("raw, unit (pixels 0…255 divided by 255) or standardize (each input to mean 0, variance 1 over the training set). Default: unit for --dataset, raw for --data.", valueName: "how"),
            completion: .list(DataPreprocessing.InputScaling.allCases.map(\.rawValue)))
    var inputScaling: String?

    @Option(help: ArgumentHelp("value (the label as one scalar output, as P1/P2's MNIST regressions) or one-hot (K outputs). Default: value.", valueName: "how"),
            completion: .list(DataPreprocessing.LabelEncoding.allCases.map(\.rawValue)))
    var labels: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Classes K of --labels one-hot (labels 0…K−1; default: 10 for --dataset, else the largest label + 1).", valueName: "K"), transform: IntegerArgument.parse)
    var classes: Int?

    /// What can be checked without the configuration the options change (the defaults, or `--from`'s): which
    /// source, the options that go with it, and every value on its own.
    func validate() throws {
        if [target != nil, data != nil, dataset != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --target, --data and --dataset")
        }
        if data != nil && (nTrain != nil || nTest != nil || inputDim != nil) {
            // They size a built-in target; with a file they would do nothing.
            throw ValidationError("--n-train, --n-test and --input-dim apply to built-in targets and --dataset only; with --data the "
                                  + "file sets the points (a test set comes from --test-data)")
        }
        if let dataset {
            let d = try builtinDataset(dataset)
            if inputDim != nil { throw ValidationError("--input-dim applies to the teacher target only (--dataset \(d.rawValue) has 784 inputs)") }
            if xCols != nil || yCols != nil { throw ValidationError("--x-cols and --y-cols apply to --data only") }
        }
        if testData != nil && data == nil { throw ValidationError("--test-data needs --data") }
        if let inputScaling { _ = try Self.inputScaling(inputScaling) }
        if let labels { _ = try Self.labelEncoding(labels) }
        if let classes, classes < 2 { throw ValidationError("--classes must be ≥ 2 (got \(classes))") }
    }

    private func builtinDataset(_ name: String) throws -> BuiltinDataset {
        guard let d = BuiltinDataset(rawValue: name.lowercased()) else {
            throw ValidationError("unknown data set '\(TextExcerpt.of(name))': use \(BuiltinDataset.allCases.map(\.rawValue).joined(separator: ", ")), or --data FILE")
        }
        return d
    }

    private static func inputScaling(_ text: String) throws -> DataPreprocessing.InputScaling {
        guard let s = DataPreprocessing.InputScaling(rawValue: text.lowercased()) else {
            throw ValidationError("--input-scaling '\(TextExcerpt.of(text))': use \(DataPreprocessing.InputScaling.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }

    private static func labelEncoding(_ text: String) throws -> DataPreprocessing.LabelEncoding {
        guard let l = DataPreprocessing.LabelEncoding(rawValue: text.lowercased()) else {
            throw ValidationError("--labels '\(TextExcerpt.of(text))': use value or one-hot")
        }
        return l
    }

    func apply(to c: inout TrainingConfig) throws {
        if let data {
            c.data = .file(path: data, testPath: testData, xColumns: xCols, yColumns: yCols)
        } else if let dataset {
            c.data = .dataset(name: try builtinDataset(dataset), n: nTrain, nTest: nTest)
        } else if let target {
            c.data = .builtin(target: target, n: nTrain, nTest: nTest, inputDim: inputDim)
        } else if case .builtin(let t, let n, let nt, let d) = c.data {
            c.data = .builtin(target: t, n: nTrain ?? n, nTest: nTest ?? nt, inputDim: inputDim ?? d)
        } else if case .dataset(let d, let n, let nt) = c.data {
            c.data = .dataset(name: d, n: nTrain ?? n, nTest: nTest ?? nt)
        } else if nTrain != nil || nTest != nil || inputDim != nil {
            throw UsageError.option("--n-train, --n-test and --input-dim apply to built-in targets and --dataset only")
        }
        try applyPreprocessing(to: &c)
        // The network's input and output sizes follow the data (resolved when the data is loaded).
        c.architecture.inputDim = 0
        c.architecture.outputDim = 0
    }

    /// --input-scaling, --labels, --classes: resolved into `c.preprocessing` (a data set always gets an explicit
    /// one, so the run file states it); refused for generated targets, where they would change nothing sensible.
    private func applyPreprocessing(to c: inout TrainingConfig) throws {
        let given = inputScaling != nil || labels != nil || classes != nil
        var p: DataPreprocessing
        switch c.data {
        case .builtin:
            if given { throw UsageError.option("--input-scaling, --labels and --classes apply to --data and --dataset, not to built-in targets") }
            return
        case .dataset(let d, _, _):
            p = c.preprocessing ?? .datasetDefault
            if labels != nil || classes != nil { p.classes = d.classes }
        case .file:
            guard given || c.preprocessing != nil else { return }
            p = c.preprocessing ?? DataPreprocessing()
        }
        if let inputScaling { p.inputs = try Self.inputScaling(inputScaling) }
        if let labels { p.labels = try Self.labelEncoding(labels) }
        if let classes {
            // The labels may be one-hot by --from's configuration, so this waits for it.
            guard p.labels == .oneHot else { throw UsageError.option("--classes applies to --labels one-hot") }
            p.classes = classes
        }
        if p.labels == .value { p.classes = nil }
        c.preprocessing = p
    }
}
