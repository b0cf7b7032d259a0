import Foundation
import XCTest

/// Every case of `BadInputCorpus` against the real binary: exit status 2, exactly one line on stderr (starting
/// "condense: error: " and mentioning what the case names), no crash, done within the time limit, and no file of
/// the fixture directory created, removed or changed (names, kinds, inodes, sizes, modification and change times).
final class BadInputCorpusTests: XCTestCase {
    /// The most one case may take (the slowest, a 3 MiB CSV line or a deep expression, take well under a second).
    static let timeLimit = 10.0

    nonisolated(unsafe) static var fixtures: String?
    nonisolated(unsafe) static var scratch: String?
    nonisolated(unsafe) static var setupError: Error?

    override class func setUp() {
        super.setUp()
        do {
            let dir = try CondenseProcess.temporaryDirectory()
            let scratch = try CondenseProcess.temporaryDirectory()
            self.scratch = scratch.path
            try BadInputFixtures.make(in: dir.path)
            fixtures = dir.path
        } catch { setupError = error }
    }

    override class func tearDown() {
        for dir in [fixtures, scratch].compactMap({ $0 }) {
            chmod(dir + "/secret.csv", 0o600)
            chmod(dir + "/secret.json", 0o600)
            try? FileManager.default.removeItem(atPath: dir)
        }
        super.tearDown()
    }

    /// What a file looks like from outside: kind, inode, size, and the modification and status-change times (ns).
    /// Any write, truncation, replacement or mode change moves ctime, which no user call can set back.
    struct FileState: Equatable {
        var kind: UInt32
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
    }

    /// Every path under `root` (relative) and its state.
    static func snapshot(_ root: String) -> [String: FileState] {
        var out: [String: FileState] = [:]
        func visit(_ relative: String) {
            let full = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { return }
            let kind = info.st_mode & S_IFMT
            out[relative] = FileState(kind: kind, inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                      modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                                      changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
            if kind == S_IFDIR, let names = try? FileManager.default.contentsOfDirectory(atPath: full) {
                for name in names.sorted() { visit(relative.isEmpty ? name : relative + "/" + name) }
            }
        }
        visit("")
        return out
    }

    /// Cases run this many at a time (the project's machine has 2 cores; a third overlaps one case's start-up
    /// and file work with the others' parsing).
    static let workers = 3
    /// Cases between two comparisons of the fixture files. A batch keeps every worker busy until its last few
    /// cases (a barrier after every `workers` cases left cores idle behind the slowest case of each group); when
    /// the files changed, the batch's cases are run again one at a time to name the one that changed them.
    static let batch = 24

    func testEveryBadInputIsRefusedInOneLineAndChangesNothing() throws {
        if let error = Self.setupError { throw error }
        let fixtures = try XCTUnwrap(Self.fixtures), scratch = try XCTUnwrap(Self.scratch)
        let cases = BadInputCorpus.all
        XCTAssertGreaterThanOrEqual(cases.count, 200)
        let asRoot = getuid() == 0
        let runnable = cases.filter { !($0.unlessRoot && asRoot) }
        for k in 0..<Self.workers { try FileManager.default.createDirectory(atPath: "\(scratch)/\(k)", withIntermediateDirectories: true) }
        var before = Self.snapshot(fixtures)
        var slowest = (0.0, "")
        let start = Date()
        func run(_ bad: BadInputCase, worker: Int) throws -> RawProcess.Result {
            try RawProcess.run(bad.arguments, in: fixtures, scratch: "\(scratch)/\(worker)", timeout: Self.timeLimit)
        }
        for batch in stride(from: 0, to: runnable.count, by: Self.batch).map({ Array(runnable[$0..<min($0 + Self.batch, runnable.count)]) }) {
            // Each worker takes the batch's next case until none is left, its output in its own scratch directory.
            final class Results: @unchecked Sendable {
                let lock = NSLock()
                var next = 0
                var items: [Result<RawProcess.Result, Error>?] = []
                func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
                func put(_ k: Int, _ r: Result<RawProcess.Result, Error>) { lock.lock(); items[k] = r; lock.unlock() }
            }
            let results = Results()
            results.items = Array(repeating: nil, count: batch.count)
            DispatchQueue.concurrentPerform(iterations: min(Self.workers, batch.count)) { worker in
                while case let k = results.take(), k < batch.count {
                    results.put(k, Result { try run(batch[k], worker: worker) })
                }
            }
            for (bad, result) in zip(batch, results.items) {
                let r = try result!.get()
                if r.seconds > slowest.0 { slowest = (r.seconds, bad.description) }
                check(bad, r)
            }
            var after = Self.snapshot(fixtures)
            guard after != before else { continue }
            // Remove what a case created (a run.h5 left behind would make every later train case fail on
            // "exists"), so that one failure does not cascade.
            func clean() {
                for added in after.keys.filter({ before[$0] == nil }).sorted(by: >) {
                    try? FileManager.default.removeItem(atPath: fixtures + "/" + added)
                }
                after = Self.snapshot(fixtures)
                before = after
            }
            func changed() -> String {
                Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted().prefix(5).joined(separator: ", ")
            }
            let whole = changed()
            clean()
            // One at a time, to name the case.
            var named = false
            for bad in batch {
                _ = try run(bad, worker: 0)
                after = Self.snapshot(fixtures)
                if after != before {
                    XCTFail("\(bad): changed \(changed())")
                    named = true
                    clean()
                }
            }
            if !named { XCTFail("one of \(batch.map(\.description).joined(separator: " or ")): changed \(whole)") }
        }
        let seconds = Date().timeIntervalSince(start)
        print("bad-input corpus: \(runnable.count) of \(cases.count) cases in \(String(format: "%.1f", seconds)) s, "
              + "\(Self.workers) at a time; slowest " + String(format: "%.2f s", slowest.0) + ": \(slowest.1)")
    }

    /// Exit status 2, one line starting "condense: error: " and mentioning what the case names, no signal, in time.
    func check(_ bad: BadInputCase, _ r: RawProcess.Result) {
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertFalse(r.timedOut, "\(bad): still running after \(Self.timeLimit) s")
        XCTAssertNil(r.signal, "\(bad): killed by signal \(r.signal ?? 0): \(r.stderr.suffix(300))")
        XCTAssertEqual(r.status, 2, "\(bad): exit status \(r.status), stderr: \(r.stderr.prefix(300))")
        XCTAssertEqual(lines.count, 2, "\(bad): expected one line on stderr, got \(lines.count - 1): \(r.stderr.prefix(500))")
        XCTAssertTrue(r.stderr.hasPrefix("condense: error: "), "\(bad): \(r.stderr.prefix(300))")
        XCTAssertTrue(r.stderr.contains(bad.mentions), "\(bad): '\(r.stderr.prefix(400))' lacks '\(bad.mentions)'")
        XCTAssertLessThanOrEqual(r.stderr.count, 1100, "\(bad): a \(r.stderr.count)-character error line")
    }
}
