import Foundation
import Model

/// `condense analyze --snapshots`: all, the last, or a list of snapshot indices (negative ones count from the end).
enum SnapshotSelection: Equatable {
    case all
    case last
    case list([Int])

    /// Parses the option's text; an empty text or item is refused (an empty list once analyzed nothing and exited 0).
    init(parsing text: String) throws {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "all": self = .all
        case "last": self = .last
        case "": throw UsageError.option("--snapshots is empty: give all, last, or snapshot indices like 0,5,-1")
        default:
            self = .list(try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
                let t = item.trimmingCharacters(in: .whitespaces)
                guard let v = Int(t) else {
                    throw UsageError.option("--snapshots: '\(TextExcerpt.of(t))' is not a snapshot index (use all, last or 0,5,-1)")
                }
                return v
            })
        }
    }

    /// The positions in a file of `count` snapshots (nil: all), each index checked against it.
    func positions(count: Int) throws -> [Int]? {
        switch self {
        case .all: return nil
        case .last: return count > 0 ? [count - 1] : []
        case .list(let items):
            return try items.map { v in
                let p = v < 0 ? count + v : v
                guard p >= 0 && p < count else {
                    throw UsageError.option("--snapshots \(v): the file holds \(count) snapshots (0…\(count - 1), or -\(count)…-1 "
                                     + "counted from the end)")
                }
                return p
            }
        }
    }
}
