import Foundation
import RunFormat
import XCTest

/// Shared pieces of the sweep tests: sweep files in a temporary directory, the runs' records.
class SweepTestCase: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Writes a sweep file of tiny ReLU runs on the 4-point target with these axes (JSON text) and options.
    @discardableResult
    func writeSweep(_ name: String, axes: String, seeds: String? = nil, steps: Int = 200,
                    extra: String = "") throws -> String {
        let text = """
        {"name": "test", "options": {"activation": "relu", "target": "tworelu1d", "n-test": 0, "optimizer": "sgd",
          "lr": 0.05, "gamma": 1.5, "steps": \(steps), "snapshots": "every:50"\(extra)},
         "axes": \(axes)\(seeds.map { ", \"seeds\": \($0)" } ?? "")}
        """
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func plan(_ sweep: String, _ out: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try CondenseProcess.run(["sweep", "plan", sweep, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r.stdout
    }

    /// The run directories' records, by manifest index.
    func records(_ sweepDir: String) throws -> [Int: [String: Any]] {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sweepDir + "/manifest.json"))) as! [String: Any]
        var out: [Int: [String: Any]] = [:]
        for run in manifest["runs"] as! [[String: Any]] {
            let id = run["id"] as! String, index = run["index"] as! Int
            let url = URL(fileURLWithPath: "\(sweepDir)/runs/\(id)/record.json")
            guard let data = try? Data(contentsOf: url) else { continue }
            out[index] = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
        return out
    }

    func runIDs(_ sweepDir: String) throws -> [String] {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sweepDir + "/manifest.json"))) as! [String: Any]
        return (manifest["runs"] as! [[String: Any]]).map { $0["id"] as! String }
    }

    /// `runFileBits` without the snapshot losses.
    func bits(_ path: String) throws -> [UInt64] { try runFileBits(path) }

    /// Starts `condense <arguments>` without waiting (output discarded).
    func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = CondenseProcess.binary
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (bounded) until `condition` holds.
    func wait(seconds: Double, file: StaticString = #filePath, line: UInt = #line, _ condition: () throws -> Bool) rethrows {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return }
            usleep(50_000)
        }
        XCTFail("condition not met within \(seconds) s", file: file, line: line)
    }
}

/// Per snapshot every layer's weights, then the step losses and, with `snapshotLosses`, every snapshot's train and
/// test loss, as bit patterns: what a seed batch's run file must share with the run its seed gives alone.
func runFileBits(_ path: String, snapshotLosses: Bool = false) throws -> [UInt64] {
    let r = try RunReader(path: path)
    defer { try? r.close() }
    var all: [UInt64] = []
    for s in 0..<r.snapshotCount {
        for l in 0..<r.layers.count { all += try r.weights(layer: l, snapshot: s).map(\.bitPattern) }
    }
    all += try XCTUnwrap(r.stepLosses()).map(\.bitPattern)
    if snapshotLosses {
        all += try XCTUnwrap(r.snapshotVariable("train_loss")).map(\.bitPattern)
        all += try XCTUnwrap(r.snapshotVariable("test_loss")).map(\.bitPattern)
    }
    return all
}
