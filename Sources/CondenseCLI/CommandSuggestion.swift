import ArgumentParser

/// "Did you mean …?" for a misspelled subcommand (`condense trian`, `condense analyse`, `condense sweep rnu`):
/// the known name closest in edit distance, when it is close enough to be a typo.
enum CommandSuggestion {
    /// The line to print when `arguments` (without the program name) starts with an unknown subcommand of
    /// `root` (or of one of its subcommands), else nil.
    static func check(_ arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "condense"]
        for word in arguments {
            let children = command.configuration.subcommands
            // `help` is ArgumentParser's own (`condense help train`).
            guard !children.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            let names = children.map { $0.configuration.commandName ?? "\($0)" }
            if let i = names.firstIndex(of: word) {
                command = children[i]
                path.append(word)
                continue
            }
            let ranked = names.map { ($0, distance(word.lowercased(), $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            let where_ = path.joined(separator: " ")
            if let best = ranked.first, best.1 <= max(1, min(2, best.0.count / 3)) {
                return "'\(word)' is not a \(where_) command; did you mean '\(where_) \(best.0)'?"
            }
            return "'\(word)' is not a \(where_) command (commands: \(names.joined(separator: ", ")))"
        }
        return nil
    }

    /// Damerau–Levenshtein distance with adjacent transpositions (so "trian" is one edit from "train").
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}
