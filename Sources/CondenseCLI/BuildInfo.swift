import Foundation

/// The version `condense --version` prints: the release number and the commit the binary was built from.
///
/// The commit comes from `share/condense/commit` beside an installed or bundled binary (written by
/// `tools/bundle.sh`), else, for a binary built in a checkout, from the checkout's `.git` files (read directly:
/// no process is started, so asking costs nothing). A binary whose checkout has moved says "commit unknown".
enum BuildInfo {
    static let version = "0.1.0"

    static var versionLine: String { "\(version) (commit \(commit ?? "unknown"))" }

    static var commit: String? { installedCommit() ?? checkoutCommit() }

    /// `<prefix>/share/condense/commit` for an executable at `<prefix>/bin/condense`.
    private static func installedCommit() -> String? {
        // /proc/self/exe is the executable's real path, whatever link or PATH entry started it.
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let path = URL(fileURLWithPath: exe).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/condense/commit").path
        return firstLine(path).flatMap(short)
    }

    /// HEAD of the checkout this file was compiled in: `.git/HEAD`, then the ref it names (loose or packed).
    private static func checkoutCommit() -> String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var git = root.appendingPathComponent(".git").path
        // A worktree's .git is a file naming the real git directory.
        if let pointer = firstLine(git), pointer.hasPrefix("gitdir: ") { git = String(pointer.dropFirst(8)) }
        guard let head = firstLine(git + "/HEAD") else { return nil }
        guard head.hasPrefix("ref: ") else { return short(head) }
        let ref = String(head.dropFirst(5))
        if let loose = firstLine(git + "/" + ref) { return short(loose) }
        // Refs of worktrees and packed refs live in the common directory.
        let common = firstLine(git + "/commondir").map { $0.hasPrefix("/") ? $0 : git + "/" + $0 } ?? git
        if let loose = firstLine(common + "/" + ref) { return short(loose) }
        let packed = (try? String(contentsOfFile: common + "/packed-refs", encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
            return short(String(line.prefix { $0 != " " }))
        }
        return nil
    }

    private static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.isEmpty ? nil : line
    }

    private static func short(_ hash: String) -> String? {
        hash.count >= 12 && hash.allSatisfy(\.isHexDigit) ? String(hash.prefix(12)) : nil
    }
}
