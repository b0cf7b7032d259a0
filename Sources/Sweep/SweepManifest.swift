import Foundation
import HDF5

/// The expanded sweep in `DIR/manifest.json`: versioned, so an older condense refuses a newer layout.
public struct SweepManifest: Codable, Equatable, Sendable {
    public static let formatName = "condense.sweep"
    public static let formatVersion = "1.0"
    public static let fileName = "manifest.json"

    public var format: String
    public var formatVersion: String
    public var name: String
    public var createdUTC: String
    /// The sweep file it was planned from (absolute path).
    public var source: String
    public var dimensions: [SweepDimension]
    public var runs: [PlannedRun]

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", name, createdUTC = "created_utc", source, dimensions, runs
    }

    public init(name: String, source: String, dimensions: [SweepDimension], runs: [PlannedRun]) {
        format = Self.formatName; formatVersion = Self.formatVersion; self.name = name
        createdUTC = Timestamp.now(); self.source = source; self.dimensions = dimensions; self.runs = runs
    }

    /// Reads `DIR/manifest.json`, refusing other formats and newer major versions with one line.
    public static func load(directory: String) throws -> SweepManifest {
        let path = directory + "/" + fileName
        // A FIFO would block the read (or read as "no manifest").
        if let what = FileKind(path: path).notRegularDescription { throw SweepError.directory("\(path): \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) || !isDir.boolValue {
                throw SweepError.directory("\(directory): no such sweep directory")
            }
            throw SweepError.directory("\(directory): no \(fileName) (plan the sweep first: condense sweep plan SWEEP.json -o \(directory))")
        }
        struct Header: Decodable {
            var format: String?
            var format_version: String?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SweepError.directory("\(path): not a sweep manifest (not a JSON object)")
        }
        guard header.format == formatName else {
            throw SweepError.directory("\(path): not a sweep manifest (format is \(header.format.map { "'\($0)'" } ?? "missing"), expected '\(formatName)')")
        }
        let version = header.format_version ?? "?"
        let major = Int(version.split(separator: ".").first ?? "")
        let ours = Int(formatVersion.split(separator: ".").first!)!
        guard let major else { throw SweepError.directory("\(path): unreadable format_version '\(version)'") }
        guard major <= ours else {
            throw SweepError.directory("\(path): manifest format \(version) is newer than this condense reads (\(formatVersion)); update condense")
        }
        do { return try JSONDecoder().decode(SweepManifest.self, from: data) } catch {
            throw SweepError.directory("\(path): damaged manifest (\(SweepFile.describe(error)))")
        }
    }

    public func save(directory: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try enc.encode(self), to: directory + "/" + Self.fileName)
    }

    /// `gamma=0.5 hidden=100 seed=1` for messages and tables.
    public func label(of run: PlannedRun) -> String {
        zip(dimensions, run.coordinates).map { d, k in
            d.options.map { "\($0)=\(d.values[d.options.firstIndex(of: $0)!][k].label)" }.joined(separator: " ")
        }.joined(separator: " ")
    }
}
