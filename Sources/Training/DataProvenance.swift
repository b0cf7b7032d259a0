import Foundation

/// The `provenance` JSON text of `/data/train` and `/data/test` (keys sorted, so it is the same bytes every time).
enum DataProvenance {
    static func json(_ fields: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
