import Foundation
import RunFormat
import XCTest
@testable import Sweep

final class SweepUnitTests: XCTestCase {
    /// FNV-1a 64 reference vectors (Fowler–Noll–Vo test suite).
    func testIdentifierIsFNV1a64() {
        XCTAssertEqual(RunIdentity.identifier(canonicalConfiguration: ""), "cbf29ce484222325")
        XCTAssertEqual(RunIdentity.identifier(canonicalConfiguration: "a"), "af63dc4c8601ec8c")
        XCTAssertEqual(RunIdentity.identifier(canonicalConfiguration: "foobar"), "85944171f73967e8")
    }

    func testExpansionIsRowMajorWithCanonicalArguments() throws {
        let top: [String: SweepValue] = [
            "options": .object(["residual": .bool(false), "activation": .list([.string("tanh"), .string("relu")])]),
            "axes": .list([.object(["option": .string("gamma"), "values": .list([.number(0.5), .integer(2)])]),
                           .object(["zip": .list([.object(["option": .string("hidden"), "values": .list([.string("10,10"), .string("20,20")])]),
                                                  .object(["option": .string("lr"), "values": .list([.number(0.1), .number(1e-5)])])]),
                                    "name": .string("net")])]),
            "seeds": .integer(2)]
        let file = try SweepFile(top: top, base: "/")
        XCTAssertEqual(file.dimensions.map(\.name), ["gamma", "net", "seed"])
        XCTAssertEqual(file.runCount, 8)
        var seen: [[String]] = []
        let planner = SweepPlanner { args in seen.append(args); return args.joined(separator: " ") }
        let manifest = try planner.plan(file, source: "/x.json")
        XCTAssertEqual(manifest.runs.map(\.coordinates), [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1],
                                                          [1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]])
        XCTAssertEqual(seen[3], ["--activation", "tanh", "--activation", "relu", "--gamma", "0.5", "--hidden", "20,20",
                                 "--lr", "1e-05", "--no-residual", "--seed", "2"])
        XCTAssertEqual(seen[4][5], "2")             // integral numbers print without ".0"
        XCTAssertEqual(manifest.label(of: manifest.runs[3]), "gamma=0.5 hidden=20,20 lr=1e-05 seed=2")
        XCTAssertEqual(Set(manifest.runs.map(\.id)).count, 8)
    }

    func testLeastSquaresSlopeAndError() {
        // Exact line: slope 0.5, no error.
        let x = [1.0, 2, 3, 4].map { log($0 * 1000) }
        let fit = PhaseDiagram.fitLine(x, x.map { 0.5 * $0 - 3 })
        XCTAssertEqual(fit.slope, 0.5, accuracy: 1e-12)
        XCTAssertEqual(fit.error, 0, accuracy: 1e-12)
        // y = 0, 1, 1, 3 at x = 0…3: b = 0.9, a = 0.15, SSR = 0.7, se = √(0.35/5) (closed form).
        let f2 = PhaseDiagram.fitLine([0, 1, 2, 3], [0, 1, 1, 3])
        XCTAssertEqual(f2.slope, 0.9, accuracy: 1e-12)
        XCTAssertEqual(f2.error, (0.35 / 5).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(PhaseDiagram.fitLine([1], [1]).slope.isNaN)
        XCTAssertTrue(PhaseDiagram.fitLine([1, 2], [1, 3]).error.isNaN)
        XCTAssertEqual(PhaseDiagram.classify(-0.5, tolerance: 0.15), "linear")
        XCTAssertEqual(PhaseDiagram.classify(0.1, tolerance: 0.15), "critical")
        XCTAssertEqual(PhaseDiagram.classify(0.37, tolerance: 0.15), "condensed")
    }

    /// RD = m^s exactly at each γ gives back s, ignoring missing runs.
    func testPhaseDiagramRecoversKnownSlopes() throws {
        let dims = [SweepDimension(name: "gamma", options: ["gamma"], values: [[.number(0.5), .integer(1)]]),
                    SweepDimension(name: "hidden", options: ["hidden"], values: [[.integer(100), .integer(400), .integer(1600)]]),
                    SweepDimension(name: "seed", options: ["seed"], values: [[.integer(1), .integer(2)]])]
        var runs: [PlannedRun] = []
        for g in 0..<2 { for m in 0..<3 { for s in 0..<2 {
            runs.append(PlannedRun(index: runs.count, id: "r\(runs.count)", coordinates: [g, m, s], arguments: []))
        } } }
        let manifest = SweepManifest(name: "t", source: "", dimensions: dims, runs: runs)
        let collector = SweepCollector(directory: SweepDirectory("/nonexistent"), manifest: manifest, options: .init())
        var summary = SweepSummary(name: "t", axes: collector.axes(), layers: ["layer_1"])
        let widths = [100.0, 400, 1600], slopes = [-0.5, 0.37]
        for run in runs {
            let (g, m) = (run.coordinates[0], run.coordinates[1])
            summary.status[run.index] = "done"
            summary.relativeDistance[run.index] = 3 * pow(widths[m], slopes[g])
        }
        summary.status[11] = "failed"; summary.relativeDistance[11] = .nan
        let p = try XCTUnwrap(PhaseDiagram.compute(summary, manifest: manifest))
        XCTAssertEqual(p.axes, [0]); XCTAssertEqual(p.widthAxis, "hidden")
        XCTAssertEqual(p.slope[0], -0.5, accuracy: 1e-12); XCTAssertEqual(p.slope[1], 0.37, accuracy: 1e-12)
        XCTAssertEqual(p.points, [6, 5]); XCTAssertEqual(p.regime, ["linear", "condensed"])
        if case .float(let g) = summary.axes[0].values { XCTAssertEqual(g, [0.5, 1]) } else { XCTFail("gamma is numeric") }
    }

    func testSlurmArraySpec() {
        var s = SlurmScript(executable: "/bin/condense", directory: SweepDirectory("/d"), name: "a b", indices: [9, 0, 1, 2, 3, 7, 10],
                            maxParallel: 2, cpus: 1, memory: "1G", time: nil, partition: nil)
        XCTAssertEqual(s.arraySpec, "0-3,7,9-10%2")
        XCTAssertTrue(s.text.contains("#SBATCH --job-name=a_b\n"))
        XCTAssertFalse(s.text.contains("--time"))
        s.maxParallel = nil; s.tasks = [[4]]
        XCTAssertEqual(s.arraySpec, "4")
    }

    func testRecordWritesAreAtomicAndReadBack() throws {
        let dir = SweepDirectory(NSTemporaryDirectory() + "sweep-unit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: dir.path) }
        let run = PlannedRun(index: 3, id: "abc", coordinates: [], arguments: [])
        XCTAssertEqual(try dir.record(for: run).state, .pending)
        var r = RunRecord(id: "abc", index: 3)
        r.state = .failed; r.error = "boom"; r.attempts = 2
        try dir.save(r)
        let back = try dir.record(for: run)
        XCTAssertEqual(back.state, .failed); XCTAssertEqual(back.error, "boom"); XCTAssertEqual(back.attempts, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.runDirectory("abc")), ["record.json"])
        // The lock is exclusive between descriptors.
        let lock = try XCTUnwrap(try RunLock(path: dir.lockPath("abc")))
        XCTAssertTrue(RunLock.isHeld(path: dir.lockPath("abc")))
        XCTAssertNil(try RunLock(path: dir.lockPath("abc")))
        lock.release()
        XCTAssertFalse(RunLock.isHeld(path: dir.lockPath("abc")))
    }
}
