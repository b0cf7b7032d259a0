import Foundation
import HDF5

/// The files of a sweep directory: `manifest.json`, and per run `runs/<id>/` holding `run.h5` (the run file),
/// `record.json`, `train.log` (the train command's output, appended per attempt) and `lock`.
public struct SweepDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        self.path = path.hasPrefix("/") ? path
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardized.path
    }

    public func runDirectory(_ id: String) -> String { path + "/runs/" + id }
    public func runFile(_ id: String) -> String { runDirectory(id) + "/run.h5" }
    public func recordPath(_ id: String) -> String { runDirectory(id) + "/record.json" }
    public func logPath(_ id: String) -> String { runDirectory(id) + "/train.log" }
    public func lockPath(_ id: String) -> String { runDirectory(id) + "/lock" }

    public func manifest() throws -> SweepManifest { try SweepManifest.load(directory: path) }

    /// The stored record, or a fresh pending one when the run never started.
    public func record(for run: PlannedRun) throws -> RunRecord {
        if let what = FileKind(path: recordPath(run.id)).notRegularDescription {
            throw SweepError.directory("\(recordPath(run.id)): \(what)")
        }
        guard let data = FileManager.default.contents(atPath: recordPath(run.id)) else {
            return RunRecord(id: run.id, index: run.index)
        }
        do {
            var r = try JSONDecoder().decode(RunRecord.self, from: data)
            r.index = run.index
            return r
        } catch {
            throw SweepError.directory("\(recordPath(run.id)): damaged run record (\(SweepFile.describe(error)))")
        }
    }

    public func save(_ record: RunRecord) throws {
        var r = record
        r.updatedUTC = Timestamp.now()
        try FileManager.default.createDirectory(atPath: runDirectory(r.id), withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try enc.encode(r), to: recordPath(r.id))
    }
}
