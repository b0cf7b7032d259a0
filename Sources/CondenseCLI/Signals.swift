import Foundation

/// SIGINT/SIGTERM set a flag that the training loop polls once per step: the run then writes a final snapshot,
/// marks itself interrupted and exits, so `--resume` continues exactly where it stopped.
enum Signals {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var received: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in Signals.flag = 1 }
        signal(SIGTERM) { _ in Signals.flag = 1 }
    }
}
