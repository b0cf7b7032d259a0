import Foundation
import XCTest

/// Runs the `condense` binary with arguments given as raw bytes (Foundation's `Process` takes `String`s, so it
/// cannot pass a path that is not UTF-8), in a chosen working directory, with a time limit.
enum RawProcess {
    struct Result {
        var status: Int32
        /// The signal that ended the process, if one did (a crash, or our kill at the time limit).
        var signal: Int32?
        var timedOut: Bool
        var seconds: Double
        var stdout: String
        var stderr: String
    }

    /// An argument as bytes: a string's UTF-8, or arbitrary bytes.
    enum Argument: ExpressibleByStringLiteral, CustomStringConvertible {
        case text(String)
        case bytes([UInt8])

        init(stringLiteral value: String) { self = .text(value) }

        var bytes: [UInt8] {
            switch self {
            case .text(let s): return Array(s.utf8)
            case .bytes(let b): return b
            }
        }

        var description: String {
            switch self {
            case .text(let s): return s.count > 60 ? String(s.prefix(60)) + "…(\(s.utf8.count) bytes)" : s
            case .bytes(let b): return String(decoding: b.prefix(60), as: UTF8.self)
            }
        }
    }

    /// Runs `condense <arguments>` in `directory`, its output captured in files under `scratch`; kills it with
    /// SIGKILL after `timeout` seconds.
    static func run(_ arguments: [Argument], in directory: String, scratch: String, timeout: Double,
                    environment: [String: String] = [:]) throws -> Result {
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // glibc's posix_spawn_file_actions_addchdir_np (2.29+) is declared only under _GNU_SOURCE: look it up.
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw XCTSkip("posix_spawn_file_actions_addchdir_np is not available")
        }
        _ = directory.withCString { unsafeBitCast(symbol, to: AddChdir.self)(&actions, $0) }

        // CONDENSE_CORPUS_BINARY runs another build (e.g. an older one, to see which cases it fails).
        let binary = ProcessInfo.processInfo.environment["CONDENSE_CORPUS_BINARY"] ?? CondenseProcess.binary.path
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        for (k, v) in environment { env[k] = v }
        let argvBytes = [Array(binary.utf8)] + arguments.map(\.bytes)
        let envBytes = env.map { Array("\($0.key)=\($0.value)".utf8) }
        func cStrings(_ list: [[UInt8]]) -> [UnsafeMutablePointer<CChar>?] {
            list.map { bytes in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
                p[bytes.count] = 0
                return p
            } + [nil]
        }
        let argv = cStrings(argvBytes), envp = cStrings(envBytes)
        defer { for p in argv + envp { p?.deallocate() } }

        var pid: pid_t = 0
        let start = Date()
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard rc == 0 else { throw NSError(domain: "RawProcess", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(rc)"]) }
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if Date().timeIntervalSince(start) > timeout {
                kill(pid, SIGKILL)
                timedOut = true
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(2000)
        }
        let seconds = Date().timeIntervalSince(start)
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        let read = { (p: String) in String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: p))) ?? Data(), as: UTF8.self) }
        return Result(status: signaled ? -1 : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                      timedOut: timedOut, seconds: seconds, stdout: read(outPath), stderr: read(errPath))
    }
}
