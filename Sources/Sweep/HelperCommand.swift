import Foundation

/// A short helper command (sbatch) run to completion: posix_spawn + waitpid, output through a temporary file.
/// (Foundation's `Process.waitUntilExit` was seen to miss a child's exit on this Linux.)
public enum HelperCommand {
    public static func run(_ executable: String, _ arguments: [String],
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "/condense-helper-\(getpid())-\(UUID().uuidString).txt"
        defer { unlink(log) }
        let child = try ChildProcess.spawn(executable: executable, arguments: arguments, environment: environment, log: log)
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
