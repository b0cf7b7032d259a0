/// A short, one-line rendering of user text for error messages.
///
/// Errors are one line on stderr, so they must not carry a whole bad cell or expression: a 1 MB CSV cell once gave
/// a 1 MB error line. An excerpt keeps at most `limit` characters (cut with "…"), and shows control characters
/// (a newline would split the line) as escapes.
public enum TextExcerpt {
    /// The default number of characters kept.
    public static let defaultLimit = 40

    /// `text` itself when it is short, else its first `limit` characters and "…".
    public static func of<S: StringProtocol>(_ text: S, limit: Int = defaultLimit) -> String {
        var out = ""
        var kept = 0
        for c in text {
            if kept == limit { return out + "…" }
            out += printable(c)
            kept += 1
        }
        return out
    }

    /// About `limit` characters of `text` centred on the character at `position` (0-based), with "…" where cut.
    public static func around<S: StringProtocol>(_ text: S, position: Int, limit: Int = defaultLimit) -> String {
        let chars = Array(text)
        guard chars.count > limit else { return of(text, limit: limit) }
        let start = max(0, min(position - limit / 2, chars.count - limit))
        let end = min(chars.count, start + limit)
        return (start > 0 ? "…" : "") + chars[start..<end].map(printable).joined() + (end < chars.count ? "…" : "")
    }

    /// A character as it may appear inside a one-line message.
    public static func printable(_ c: Character) -> String {
        guard c.unicodeScalars.count == 1, let s = c.unicodeScalars.first, s.value < 0x20 || s.value == 0x7F else {
            return c == "\r\n" ? "\\r\\n" : String(c)
        }
        switch s {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default: return "\\u{\(String(s.value, radix: 16))}"
        }
    }
}
