import Foundation
import XCTest

/// The crash harness's short mode (`tools/crashtest.sh --short`, tools/crashtest/README.md) against the binary
/// under test: kill -9 at random moments of train (small and wide net), analyze in place, analyze -o and sweep
/// collect, sweep run and reproduce; second writers; two new runs on one name; a full disk (as root). Fails unless
/// every row is there and every cell of its table is 100 %. The long mode (20 kills per row) is run by hand:
/// `tools/crashtest.sh --long`.
final class CrashHarnessTests: XCTestCase {
    static let rows = ["train 5-50-1, kill -9", "train 5-300-300-1, kill -9", "analyze in place, kill -9",
                       "analyze -o / sweep collect, kill -9", "sweep run, kill -9 of the runner", "reproduce, kill -9",
                       "second writers vs a plain run", "second writers vs a --live run",
                       "two new runs on one name at once", "train onto a full disk", "analyze onto a full disk"]

    func testShortCrashHarnessReportsEveryCellAtOneHundredPercent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("tools/crashtest.sh").path
        guard FileManager.default.isExecutableFile(atPath: script) else { throw XCTSkip("no \(script)") }
        _ = try CondenseProcess.python("import h5py", modules: ["h5py"])   // skips without python3-h5py
        let work = try CondenseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        // A new seed each time, so that every run of the suite tries other moments; it is in the message.
        let seed = Int(Date().timeIntervalSince1970) % 100_000
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, "--short", "--bin", CondenseProcess.binary.path, "--work", work.path, "--seed", "\(seed)"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let table = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        print(table)
        let log = (try? String(contentsOf: work.appendingPathComponent("log"), encoding: .utf8)) ?? ""
        let detail = "seed \(seed):\n\(table)\(errors)\nlast lines of the commands' stderr:\n\(log.split(separator: "\n").suffix(30).joined(separator: "\n"))"
        XCTAssertEqual(p.terminationStatus, 0, "a cell below 100 %, " + detail)
        for row in Self.rows {
            let line = table.split(separator: "\n").first { $0.hasPrefix(row + " ") }
            XCTAssertNotNil(line, "no row '\(row)', " + detail)
            if let line, line.contains("skipped") {
                // Only the full-disk rows may be skipped, and only where no tmpfs can be mounted.
                XCTAssertTrue(row.contains("full disk") && (line.contains("root") || line.contains("cannot mount")),
                              "\(line), " + detail)
            }
        }
    }
}
