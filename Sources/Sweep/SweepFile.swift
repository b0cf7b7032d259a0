import Foundation
import HDF5

/// A sweep file: fixed `condense train` options plus the dimensions they are swept over.
///
/// ```json
/// {"name": "demo",
///  "options": {"activation": "relu", "steps": 200},
///  "axes": [{"option": "gamma", "values": [0.5, 1, 1.75]},
///           {"zip": [{"option": "hidden", "values": [100, 200]}, {"option": "lr", "values": [0.01, 0.005]}],
///            "name": "width"}],
///  "seeds": [1, 2, 3]}
/// ```
/// Option names are exactly `condense train`'s long option names without the dashes. `seeds` is a list of
/// seeds or a count N (seeds 1…N) and becomes the last dimension, named `seed`.
public struct SweepFile: Equatable, Sendable {
    public var name: String
    public var fixed: [(String, SweepValue)]
    public var dimensions: [SweepDimension]

    /// Options the runner sets itself; a sweep file may not.
    public static let reservedOptions: Set<String> = ["output", "o", "force", "resume", "quiet", "q", "threads",
                                                      "help", "h", "version"]

    public static func == (a: SweepFile, b: SweepFile) -> Bool {
        a.name == b.name && a.dimensions == b.dimensions && a.fixed.map(\.0) == b.fixed.map(\.0)
            && a.fixed.map(\.1) == b.fixed.map(\.1)
    }

    public init(name: String, fixed: [(String, SweepValue)], dimensions: [SweepDimension]) throws {
        self.name = name; self.fixed = fixed; self.dimensions = dimensions
        try check()
    }

    /// Reads and checks a sweep file (JSON). Every problem is one line naming the file.
    public init(path: String) throws {
        if let what = FileKind(path: path).notRegularDescription { throw SweepError.sweepFile("\(path): \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SweepError.sweepFile("\(path): cannot be read")
        }
        let top: [String: SweepValue]
        do { top = try JSONDecoder().decode([String: SweepValue].self, from: data) } catch {
            throw SweepError.sweepFile("\(path): not a JSON object (\(Self.describe(error)))")
        }
        do { try self.init(top: top, base: (path as NSString).deletingLastPathComponent) } catch let e as SweepError {
            throw SweepError.sweepFile("\(path): \(e.description)")
        }
    }

    init(top: [String: SweepValue], base: String) throws {
        let known: Set<String> = ["name", "description", "options", "axes", "seeds"]
        if let unknown = top.keys.sorted().first(where: { !known.contains($0) }) {
            throw SweepError.sweepFile("unknown key '\(unknown)' (a sweep file has name, description, options, axes, seeds)")
        }
        var name = "sweep"
        if let n = top["name"] {
            guard case .string(let s) = n, !s.isEmpty else { throw SweepError.sweepFile("'name' must be a non-empty string") }
            name = s
        }
        var fixed: [(String, SweepValue)] = []
        if let o = top["options"] {
            guard case .object(let dict) = o else { throw SweepError.sweepFile("'options' must be an object of train options") }
            fixed = dict.keys.sorted().map { ($0, Self.absolutePath(option: $0, value: dict[$0]!, base: base)) }
        }
        var dims: [SweepDimension] = []
        if let a = top["axes"] {
            guard case .list(let axes) = a else { throw SweepError.sweepFile("'axes' must be a list") }
            for (k, axis) in axes.enumerated() {
                dims.append(try Self.dimension(axis, number: k + 1, base: base))
            }
        }
        if let s = top["seeds"] {
            let seeds: [SweepValue]
            switch s {
            case .integer(let n):
                guard n >= 1 else { throw SweepError.sweepFile("'seeds': a count must be ≥ 1 (got \(n))") }
                guard n <= Self.maximumRuns else {
                    throw SweepError.sweepFile("'seeds': a count must be at most \(Self.maximumRuns) (got \(n))")
                }
                seeds = (1...n).map { .integer($0) }
            case .list(let l):
                guard !l.isEmpty else { throw SweepError.sweepFile("axis 'seed' is empty") }
                for v in l {
                    guard case .integer(let i) = v, i >= 0 else {
                        throw SweepError.sweepFile("'seeds' must hold whole numbers ≥ 0 (got \(v.label))")
                    }
                }
                seeds = l
            default: throw SweepError.sweepFile("'seeds' must be a list of seeds or a count")
            }
            dims.append(SweepDimension(name: "seed", options: ["seed"], values: [seeds]))
        }
        try self.init(name: name, fixed: fixed, dimensions: dims)
    }

    static func dimension(_ axis: SweepValue, number: Int, base: String) throws -> SweepDimension {
        guard case .object(let o) = axis else { throw SweepError.sweepFile("axis \(number) must be an object") }
        if let z = o["zip"] {
            if let extra = o.keys.sorted().first(where: { $0 != "zip" && $0 != "name" }) {
                throw SweepError.sweepFile("axis \(number): unknown key '\(extra)' (a zipped axis has zip and name)")
            }
            guard case .list(let members) = z, !members.isEmpty else {
                throw SweepError.sweepFile("axis \(number): 'zip' must be a non-empty list of {option, values}")
            }
            let parts = try members.map { try single($0, number: number, base: base) }
            let name: String
            if let n = o["name"] {
                guard case .string(let s) = n, !s.isEmpty else { throw SweepError.sweepFile("axis \(number): 'name' must be a string") }
                name = s
            } else { name = parts[0].option }
            let sizes = Set(parts.map { $0.values.count })
            guard sizes.count == 1 else {
                throw SweepError.sweepFile("axis '\(name)': zipped options have different lengths (\(parts.map { "\($0.option) \($0.values.count)" }.joined(separator: ", ")))")
            }
            return SweepDimension(name: name, options: parts.map(\.option), values: parts.map(\.values))
        }
        if let extra = o.keys.sorted().first(where: { !["option", "values", "name"].contains($0) }) {
            throw SweepError.sweepFile("axis \(number): unknown key '\(extra)' (an axis has option and values, or zip)")
        }
        let part = try single(axis, number: number, base: base)
        var name = part.option
        if case .string(let s)? = o["name"] { name = s }
        return SweepDimension(name: name, options: [part.option], values: [part.values])
    }

    static func single(_ axis: SweepValue, number: Int, base: String) throws -> (option: String, values: [SweepValue]) {
        guard case .object(let o) = axis, case .string(let option)? = o["option"], !option.isEmpty else {
            throw SweepError.sweepFile("axis \(number): needs \"option\": a train option name")
        }
        guard case .list(let values)? = o["values"] else {
            throw SweepError.sweepFile("axis '\(option)': needs \"values\": a list")
        }
        guard !values.isEmpty else { throw SweepError.sweepFile("axis '\(option)' is empty") }
        return (option, values.map { absolutePath(option: option, value: $0, base: base) })
    }

    /// File options (`data`, `test-data`, `from`) relative to the sweep file become absolute, so runs work from
    /// any directory.
    static func absolutePath(option: String, value: SweepValue, base: String) -> SweepValue {
        guard ["data", "test-data", "from"].contains(option), case .string(let p) = value, !p.hasPrefix("/") else {
            return value
        }
        let dir = base.isEmpty ? FileManager.default.currentDirectoryPath
            : (base.hasPrefix("/") ? base : FileManager.default.currentDirectoryPath + "/" + base)
        return .string(URL(fileURLWithPath: dir).appendingPathComponent(p).standardized.path)
    }

    /// Conflicts that need no parser: reserved options, an option set twice, duplicate or empty dimensions.
    /// The most runs one sweep may hold: its manifest and run records list every one, so a mistyped count would
    /// first fill the memory and the disk.
    public static let maximumRuns = 1_000_000

    func check() throws {
        let runs = dimensions.reduce(1.0) { $0 * Double($1.size) }
        guard runs <= Double(Self.maximumRuns) else {
            throw SweepError.sweepFile("the axes make \(String(format: "%.3g", runs)) runs, more than \(Self.maximumRuns)")
        }
        var owner: [String: String] = [:]
        for (o, _) in fixed { owner[o] = "options" }
        var names = Set<String>()
        for d in dimensions {
            guard d.size > 0 else { throw SweepError.sweepFile("axis '\(d.name)' is empty") }
            guard names.insert(d.name).inserted else { throw SweepError.sweepFile("two axes are named '\(d.name)'") }
            for o in d.options {
                if let other = owner[o] {
                    throw SweepError.sweepFile("option '\(o)' is set both in \(other) and in axis '\(d.name)'")
                }
                owner[o] = "axis '\(d.name)'"
            }
            let tuples = (0..<d.size).map { k in d.values.map { $0[k].label }.joined(separator: "\u{1}") }
            if Set(tuples).count != tuples.count {
                throw SweepError.sweepFile("axis '\(d.name)' repeats a value")
            }
        }
        for d in dimensions {
            if let o = owner[d.name], o != "axis '\(d.name)'" {
                throw SweepError.sweepFile("axis name '\(d.name)' is also an option of \(o)")
            }
        }
        if let r = owner.keys.sorted().first(where: { Self.reservedOptions.contains($0) }) {
            throw SweepError.sweepFile("option '\(r)' is set by the sweep runner, not the sweep file")
        }
    }

    /// The number of runs: the product of the dimension sizes.
    public var runCount: Int { dimensions.reduce(1) { $0 * $1.size } }

    /// The train arguments of the run at `coordinates` (one position per dimension): fixed options, then each
    /// dimension's, in a canonical order (by option name).
    public func arguments(at coordinates: [Int]) throws -> [String] {
        var pairs = fixed
        for (d, k) in zip(dimensions, coordinates) {
            for (o, vals) in zip(d.options, d.values) { pairs.append((o, vals[k])) }
        }
        return try pairs.sorted { $0.0 < $1.0 }.flatMap { try $0.1.arguments(option: $0.0) }
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let c) = error {
            let under = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return under ?? c.debugDescription
        }
        if case DecodingError.typeMismatch(_, let c) = error { return c.debugDescription }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid"
    }
}
