import Analysis
import Foundation
import HDF5
import RunFormat

/// `condense analyze --follow`: rows for each snapshot of a `condense train` run as it lands.
extension AnalyzeCommand {
    /// Polls the run file until its writer closes it (true), or no snapshot landed for `--idle` seconds (false).
    /// Prints one row per hidden layer for every new snapshot while the run is written (not with --json).
    func follow(_ condensation: CondensationOptions) throws -> Bool {
        Signals.install()
        let clock = ContinuousClock()
        var lastNews = clock.now
        var reported = 0
        var announced = false
        var lockedSince: ContinuousClock.Instant? = nil
        let idleLimit = Duration.milliseconds(Int64(idle * 1000))
        while true {
            if Signals.received { throw UsageError.interrupted("stopped following \(path) (interrupted)") }
            switch RunReader.writerState(path: path) {
            case .closed:
                // The snapshots that landed after the last look (the writer may finish between two polls) get
                // their rows too, so that every snapshot is printed once before the full table.
                if announced && !json, let reader = try? RunReader(path: path), reader.snapshotCount > reported {
                    defer { try? reader.close() }
                    try printRows(reader, condensation, Array(reported..<reader.snapshotCount))
                }
                return true
            case .writingLocked:
                // Every new run is live; what locks a run file without being followable is an in-place analyze or
                // the resume of a file of an older condense (the plain format).
                let since = lockedSince ?? clock.now
                lockedSince = since
                if clock.now - since > Self.setupGrace {
                    throw UsageError.input("\(path) is locked by a writer that cannot be followed (an in-place analyze, or the resume of a run file of an older condense); wait for it to finish")
                }
            case .unreadable:
                if let what = FileKind(path: path).notRegularDescription { throw UsageError.input("\(path): \(what)") }
                throw UsageError.input("\(path): not a readable HDF5 run file")
            case .absent:
                break
            case .writingLive:
                lockedSince = nil
                // The writer may close the file between the two opens: then the next poll sees it closed.
                if let reader = try? RunReader(path: path, following: true) {
                    defer { try? reader.close() }
                    try reader.refresh()
                    let count = reader.snapshotCount
                    if !announced && !json {
                        print("following \(path) while it is written (live)")
                        announced = true
                    }
                    if count > reported {
                        if !json { try printRows(reader, condensation, Array(reported..<count)) }
                        reported = count
                        lastNews = clock.now
                    }
                }
            }
            if clock.now - lastNews > idleLimit {
                FileHandle.standardError.write(Data("condense: no new snapshot in \(path) for \(idle) s; stopped following\n".utf8))
                return false
            }
            Thread.sleep(forTimeInterval: poll)
        }
    }

    /// How long a locked file may be a live writer setting up (creating the file and its first snapshot).
    static let setupGrace = Duration.seconds(5)

    /// One row per hidden layer for each of `positions` (they are analyzed together, in parallel).
    private func printRows(_ reader: RunReader, _ condensation: CondensationOptions, _ positions: [Int]) throws {
        let options = RunAnalysisOptions(condensation: condensation, snapshots: positions, heatmaps: 0,
                                         jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let layers: [LayerAnalysis]
        do { layers = try RunAnalyzer(reader: reader, options: options).run() } catch let e as AnalysisError {
            throw UsageError.input(e.description)
        }
        for i in positions.indices {
            for layer in layers {
                let r = layer.rows[i], s = r.summary
                let bound = layer.layer.multiplicity.map { "bound \(2 * $0)" } ?? "bound undefined"
                print("\(layer.layer.name) step \(r.step): \(s.keptCount)/\(s.width) kept, "
                      + "\(s.orientations.count) orientations, \(s.lines.count) lines, "
                      + "\(s.condensedOrientationCount) condensed (\(s.condensedLineCount) lines) covering "
                      + "\(AnalysisTable.percent(s.coveredShare)), \(bound): \(s.verdict.text) (this snapshot alone), m_eff/m \(AnalysisTable.number(r.effectiveRatio, 3)), "
                      + "RD \(AnalysisTable.number(r.relativeDistance, 3))")
            }
        }
        fflush(stdout)
    }
}
