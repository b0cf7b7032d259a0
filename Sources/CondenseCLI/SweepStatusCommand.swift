import ArgumentParser
import Foundation
import Sweep

/// `condense sweep status DIR`: the states in the run records.
struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Report each run's state from its record (pending, running, done, failed with its error).")

    @Argument(help: ArgumentHelp("The sweep directory.", valueName: "DIR"))
    var directory: String

    @Flag(name: .customLong("all"), help: "List every run, not only the unfinished ones.")
    var listAll = false

    @Flag(help: "Print the records as JSON.")
    var json = false

    mutating func run() throws {
        let dir = SweepDirectory(directory)
        let manifest = try dir.manifest()
        var records = try manifest.runs.map { try dir.record(for: $0) }
        // A record left `running` by a runner that is gone (nothing holds the run's lock) was interrupted.
        for i in records.indices where records[i].state == .running && !RunLock.isHeld(path: dir.lockPath(records[i].id)) {
            records[i].state = .pending
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(records), as: UTF8.self))
            return
        }
        var counts: [RunState: Int] = [:]
        for r in records { counts[r.state, default: 0] += 1 }
        print("\(dir.path): \(manifest.name), \(records.count) runs: "
              + RunState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        for (run, r) in zip(manifest.runs, records) where listAll || r.state != .done {
            let state = r.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            var line = String(repeating: " ", count: max(0, 5 - String(run.index).count)) + "\(run.index)  \(run.id)  "
                + "\(state) attempts \(r.attempts)  " + manifest.label(of: run)
            if r.state == .pending && r.attempts > 0 { line += "  (interrupted: resumes from its last snapshot)" }
            if let e = r.error, r.state == .failed { line += "  error: \(e)" }
            print(line)
        }
    }
}
