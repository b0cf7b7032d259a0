import Foundation
import Model

/// The memory a training run will hold and the bytes its file will grow by, estimated before any of it is allocated
/// or written, so that a run too large for the machine (a mistyped width, say `--hidden 1000000,1000000`, or step
/// count) fails in one line at the start instead of an allocation failure deep inside or a full disk hours later.
/// Computed in floating point: the products of absurd widths overflow `Int`.
enum ResourceEstimate {
    struct Parts {
        /// Stored parameters (bias columns included).
        var parameters: Double
        /// Optimizer state vectors as long as the parameters (Adam 2, SGD with momentum 1, plain SGD 0).
        var optimizerBuffers: Double
        /// Snapshot slots (`SnapshotPipeline.slotCount`), each a copy of the parameters and the optimizer state.
        var snapshotSlots: Double
        /// Workspace and data bytes for the training batch, the training set and the test set.
        var workspaceBytes: Double

        /// Parameters, gradient, optimizer state, slots and workspaces.
        var bytes: Double {
            let vectors = parameters * (2 + optimizerBuffers + snapshotSlots * (1 + optimizerBuffers))
            return vectors * Double(MemoryLayout<Double>.size) + workspaceBytes
        }
    }

    static func parts(_ config: TrainingConfig, trainRows: Int, testRows: Int) -> Parts {
        let a = config.architecture
        let parameters = (0..<a.layerCount).reduce(0.0) {
            $0 + Double(a.fanOut(layer: $1)) * (Double(a.fanIn(layer: $1)) + 1)
        }
        let buffers: Double = config.optimizer.kind == .adam ? 2 : (config.optimizer.momentum != 0 ? 1 : 0)
        let slotBytes = max(1, parameters * (1 + buffers) * Double(MemoryLayout<Double>.size))
        let slots = max(2, min(1024, (Double(SnapshotPipeline.queueBytes) / slotBytes).rounded(.down)))
        // Per row of a workspace: the augmented input and, per hidden layer, the augmented output, Z, σ' and a
        // dropout mask (see `Workspace`); the output and its gradient; the row of data itself.
        let perRow = Double(2 * a.inputDim + 1 + 3 * a.outputDim)
            + a.hiddenWidths.reduce(0.0) { $0 + 4 * (Double($1) + 1) }
        let batch = Double(min(config.batchSize ?? trainRows, trainRows))
        let rows = batch + Double(trainRows) + Double(testRows)
        return Parts(parameters: parameters, optimizerBuffers: buffers, snapshotSlots: slots,
                     workspaceBytes: perRow * rows * Double(MemoryLayout<Double>.size))
    }

    /// Throws when the estimate exceeds the memory this process may use (`MemoryBudget`; `physicalMemory`, when
    /// given, stands for the machine's).
    static func check(_ config: TrainingConfig, trainRows: Int, testRows: Int, physicalMemory: Double? = nil) throws {
        let budget = physicalMemory.map(MemoryBudget.init(machine:)) ?? .current
        let p = parts(config, trainRows: trainRows, testRows: testRows)
        guard p.bytes > budget.bytes else { return }
        let what = p.optimizerBuffers == 2 ? ", Adam's two moments" : (p.optimizerBuffers == 1 ? ", momentum" : "")
        throw TrainingError.resources("this run needs about \(size(p.bytes)) of memory (\(String(format: "%.3g", p.parameters)) "
                            + "parameters: weights, gradient\(what), \(Int(p.snapshotSlots)) snapshot copies; "
                            + "workspaces), more than the \(size(budget.bytes)) \(budget.bound): use narrower "
                            + "layers or fewer data points")
    }

    /// Throws when `values` Float64 data values (a data set about to be decoded) would take more than half the
    /// memory this process may use, before they are allocated; the full run, data rows included, is checked by
    /// `check` later.
    static func checkData(values: Double, what: String, physicalMemory: Double? = nil) throws {
        let budget = physicalMemory.map(MemoryBudget.init(machine:)) ?? .current
        let bytes = values * Double(MemoryLayout<Double>.size)
        guard bytes > budget.bytes / 2 else { return }
        throw TrainingError.resources("\(what) holds \(String(format: "%.3g", values)) values, \(size(bytes)) as float64: more than half "
                            + "the \(size(budget.bytes)) \(budget.bound); use a subset (--n-train, --n-test)")
    }

    /// Bytes a run file grows by with `snapshots` more snapshots of `parameters` values and `steps` more per-step
    /// losses, uncompressed (the per-snapshot scalars are a few dozen bytes; the optimizer state is rewritten in place).
    static func fileBytes(parameters: Double, snapshots: Double, steps: Double) -> Double {
        snapshots * (parameters * Double(MemoryLayout<Double>.size) + 64) + steps * Double(MemoryLayout<Double>.size)
    }

    /// Throws when an uncompressed run would outgrow the free space of the file system that holds `path` (plus the
    /// file already there when `replacing` it). Skipped with `--compress` (its ratio is not known in advance) and
    /// when the free space cannot be read.
    static func checkDisk(_ config: TrainingConfig, path: String, snapshots: Int, steps: Int,
                          replacing: Bool = false) throws {
        guard config.compression ?? 0 == 0, var free = freeBytes(near: path) else { return }
        if replacing, let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
            free += size.doubleValue
        }
        let parameters = parts(config, trainRows: 0, testRows: 0).parameters
        let need = fileBytes(parameters: parameters, snapshots: Double(snapshots), steps: Double(steps))
        guard need > free else { return }
        throw TrainingError.resources("\(path) would grow by about \(size(need)) (\(snapshots) snapshots of "
                            + "\(String(format: "%.3g", parameters)) parameters), more than the \(size(free)) free there: "
                            + "take fewer snapshots (--snapshots log:N or a larger every:K) or free some space")
    }

    /// A byte count in the unit that shows it best: "3.2 GiB", "5.6 MiB", "740 KiB", "512 bytes" (a small file
    /// must not read "about 0.0 GiB … more than the 0.0 GiB free").
    static func size(_ bytes: Double) -> String {
        if bytes >= Double(1 << 30) { return String(format: "%.1f GiB", bytes / Double(1 << 30)) }
        if bytes >= Double(1 << 20) { return String(format: "%.1f MiB", bytes / Double(1 << 20)) }
        if bytes >= Double(1 << 10) { return String(format: "%.0f KiB", bytes / Double(1 << 10)) }
        return String(format: "%.0f bytes", max(0, bytes))
    }

    /// Bytes available to this user on the file system of `path` (or of its directory, for a file not made yet).
    static func freeBytes(near path: String) -> Double? {
        let url = URL(fileURLWithPath: path)
        for candidate in [url.path, url.deletingLastPathComponent().path] {
            var s = statvfs()
            if statvfs(candidate, &s) == 0 { return Double(s.f_bavail) * Double(s.f_frsize) }
        }
        return nil
    }
}
