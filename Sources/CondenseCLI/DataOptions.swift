import Model
import ArgumentParser
import Training

/// The training data: a built-in target, or the user's CSV / HDF5 file.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Built-in target: sin5d, sin5d-low, sin3d, sin1d, tworelu1d or teacher (default: sin5d).", valueName: "name"),
            completion: .list(["sin5d", "sin5d-low", "sin3d", "sin1d", "tworelu1d", "teacher"]))
    var target: String?

    @Option(name: .customLong("n-train"), parsing: .unconditional, help: "Training points of a built-in target (default: 80 for sin5d, sin5d-low and sin3d, 40 for sin1d, 4 for tworelu1d, 100 for teacher).", transform: IntegerArgument.parse)
    var nTrain: Int?

    @Option(name: .customLong("n-test"), parsing: .unconditional, help: "Test points of a built-in target (0: none; default: 1000).", transform: IntegerArgument.parse)
    var nTest: Int?

    @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "Input dimension of the teacher target (default: 10).")
    var inputDim: Int?

    @Option(help: ArgumentHelp("Training data from a CSV or HDF5 file (.csv, .h5, .hdf5).", valueName: "path"))
    var data: String?

    @Option(name: .customLong("test-data"), help: ArgumentHelp("Test data file, same layout as --data.", valueName: "path"))
    var testData: String?

    @Option(name: .customLong("x-cols"), parsing: .unconditional, help: ArgumentHelp("Input columns of a CSV (indices like 0-4 or header names; default all but the last). For HDF5: the x dataset name.", valueName: "cols"))
    var xCols: String?

    @Option(name: .customLong("y-cols"), parsing: .unconditional, help: ArgumentHelp("Target columns of a CSV (default the last). For HDF5: the y dataset name.", valueName: "cols"))
    var yCols: String?

    func apply(to c: inout TrainingConfig) throws {
        if target != nil && data != nil { throw UsageError("give either --target or --data, not both") }
        if let data {
            if nTrain != nil || nTest != nil || inputDim != nil {
                // They size a built-in target; with a file they would do nothing.
                throw UsageError("--n-train, --n-test and --input-dim apply to built-in targets only; with --data the "
                                 + "file sets the points (a test set comes from --test-data)")
            }
            c.data = .file(path: data, testPath: testData, xColumns: xCols, yColumns: yCols)
        } else if let target {
            guard let t = BuiltinTarget(rawValue: target.lowercased()) else {
                throw UsageError("unknown target '\(TextExcerpt.of(target))': use one of \(BuiltinTarget.allCases.map(\.rawValue).joined(separator: ", ")), or --data FILE")
            }
            c.data = .builtin(target: t, n: nTrain, nTest: nTest, inputDim: inputDim)
        } else if case .builtin(let t, let n, let nt, let d) = c.data {
            c.data = .builtin(target: t, n: nTrain ?? n, nTest: nTest ?? nt, inputDim: inputDim ?? d)
        } else if nTrain != nil || nTest != nil || inputDim != nil {
            throw UsageError("--n-train, --n-test and --input-dim apply to built-in targets only")
        }
        if testData != nil && data == nil { throw UsageError("--test-data needs --data") }
        // The network's input and output sizes follow the data (resolved when the data is loaded).
        c.architecture.inputDim = 0
        c.architecture.outputDim = 0
    }
}
