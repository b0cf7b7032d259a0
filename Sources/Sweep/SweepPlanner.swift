import Foundation

/// Expands a sweep file into its runs. The caller supplies `resolve`: train arguments → the canonical resolved
/// configuration (the CLI parses them with the real `condense train` parser, so an unknown option or a bad value
/// fails here, at plan time).
public struct SweepPlanner {
    public var resolve: ([String]) throws -> String

    public init(resolve: @escaping ([String]) throws -> String) { self.resolve = resolve }

    public func plan(_ file: SweepFile, source: String) throws -> SweepManifest {
        let dims = file.dimensions
        var runs: [PlannedRun] = []
        var seen: [String: Int] = [:]
        let count = file.runCount
        let probe = SweepManifest(name: file.name, source: source, dimensions: dims, runs: [])
        for index in 0..<count {
            var coords = [Int](repeating: 0, count: dims.count)
            var rest = index
            for d in dims.indices.reversed() { coords[d] = rest % dims[d].size; rest /= dims[d].size }
            let args = try file.arguments(at: coords)
            let run = PlannedRun(index: index, id: "", coordinates: coords, arguments: args)
            let config: String
            do { config = try resolve(args) } catch {
                let where_ = dims.isEmpty ? "" : " (run \(index): \(probe.label(of: run)))"
                throw SweepError.plan("\(Self.line(error))\(where_)")
            }
            let id = RunIdentity.identifier(canonicalConfiguration: config)
            if let other = seen[id] {
                throw SweepError.plan("runs \(other) and \(index) have the same configuration (\(probe.label(of: runs[other])) / \(probe.label(of: run))): an axis value changes nothing")
            }
            seen[id] = index
            runs.append(PlannedRun(index: index, id: id, coordinates: coords, arguments: args))
        }
        return SweepManifest(name: file.name, source: source, dimensions: dims, runs: runs)
    }

    static func line(_ error: Error) -> String {
        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        return text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    }

    /// Writes the manifest into `directory` (created when missing) and reports what a re-plan kept: runs whose
    /// identifier was already there keep their directory, record and run file.
    public static func write(_ manifest: SweepManifest, into directory: SweepDirectory) throws -> (kept: Int, done: Int, new: Int, dropped: Int) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDir), !isDir.boolValue {
            throw SweepError.directory("\(directory.path) exists and is not a directory")
        }
        var previous: SweepManifest? = nil
        if fm.fileExists(atPath: directory.path + "/" + SweepManifest.fileName) {
            previous = try SweepManifest.load(directory: directory.path)
        }
        try fm.createDirectory(atPath: directory.path + "/runs", withIntermediateDirectories: true)
        let old = Set(previous?.runs.map(\.id) ?? [])
        let now = Set(manifest.runs.map(\.id))
        var done = 0
        for run in manifest.runs where old.contains(run.id) {
            if (try? directory.record(for: run).state) == .done { done += 1 }
        }
        try manifest.save(directory: directory.path)
        return (now.intersection(old).count, done, now.subtracting(old).count, old.subtracting(now).count)
    }
}
