import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `created_utc` attributes' text: ISO 8601 in UTC to the second, "YYYY-MM-DDThh:mm:ssZ", the form
/// `ISO8601DateFormatter` gives by default. Formatted from `gmtime_r`: building a formatter loads calendar data,
/// a visible share of creating a small run file (once per file, so once per seed of a seed batch).
enum UTCTimestamp {
    static func string(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        guard gmtime_r(&seconds, &t) != nil else { return ISO8601DateFormatter().string(from: date) }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = Int(t.tm_year) + 1900
        let y = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(y)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }
}
