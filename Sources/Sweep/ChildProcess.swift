import Foundation

/// A `condense train` child started with `posix_spawn`: stdin from /dev/null, stdout and stderr appended to the
/// run's log, and its own run's lock descriptor (close-on-exec in the runner, so no child inherits another
/// run's lock) duplicated into it, so the child holds that lock for as long as it lives.
struct ChildProcess {
    let pid: pid_t

    static func spawn(executable: String, arguments: [String], environment: [String: String],
                      log: String, holding lock: Int32? = nil, holdingAlso more: [Int32] = []) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let lock { posix_spawn_file_actions_adddup2(&actions, lock, lock == 9 ? 10 : 9) }   // dup2 clears close-on-exec
        // More locks (a seed batch's runs): each to a descriptor above all of them, so none is overwritten.
        let above = max(11, (more + [lock ?? 0]).max()! + 1)
        for (i, fd) in more.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, above + Int32(i)) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw SweepError.system("cannot start \(executable): \(String(cString: strerror(rc)))") }
        return ChildProcess(pid: pid)
    }

    /// How a child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Reaps any finished child without blocking.
    static func reap() -> (pid_t, Ending)? {
        var status: Int32 = 0
        let pid = waitpid(-1, &status, WNOHANG)
        guard pid > 0 else { return nil }
        let code = (status >> 8) & 0xff, signal = status & 0x7f
        return (pid, signal == 0 ? .exited(code) : .signaled(signal))
    }
}
