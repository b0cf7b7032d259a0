import HDF5
import RunFormat

/// Two datasets of an HDF5 file: inputs (default name "x") of shape (n, d) or (n,), targets (default "y") of shape
/// (n,) or (n, k). Names may be paths inside the file ("data/x"). Integer and float32 datasets are converted.
enum HDF5Data {
    static func load(_ path: String, x xName: String, y yName: String) throws -> Dataset {
        let file: H5File
        do { file = try H5File.open(path) } catch { throw TrainingError.data("data file \(path): \(error)") }
        defer { try? file.close() }
        func matrix(_ name: String, flag: String) throws -> (values: [Double], rows: Int, cols: Int) {
            guard file.root.isDataset(name) else {
                let members = ((try? file.root.memberNames()) ?? []).joined(separator: ", ")
                throw TrainingError.data("data file \(path) has no dataset '\(name)' (top level: \(members.isEmpty ? "nothing" : members)); "
                                    + "name it with \(flag)")
            }
            do {
                let ds = try file.root.openDataset(name)
                let shape = ds.shape
                guard shape.count == 1 || shape.count == 2 else {
                    throw TrainingError.data("data file \(path): '\(name)' has shape \(shape); expected (n,) or (n, d)")
                }
                return (try ds.read(), shape[0], shape.count == 2 ? shape[1] : 1)
            } catch let e as TrainingError { throw e } catch {
                throw TrainingError.data("data file \(path): cannot read '\(name)' as numbers (\(error))")
            }
        }
        let x = try matrix(xName, flag: "--x-cols"), y = try matrix(yName, flag: "--y-cols")
        guard x.rows == y.rows else {
            throw TrainingError.data("data file \(path): '\(xName)' has \(x.rows) rows but '\(yName)' has \(y.rows)")
        }
        return Dataset(x: x.values, y: y.values, n: x.rows, inputDim: x.cols, outputDim: y.cols)
    }
}
