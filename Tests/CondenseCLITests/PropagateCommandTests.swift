import Foundation
import XCTest

/// `condense propagate` end to end: bad input is one line and exit 2; the file and the JSON are what they say.
final class PropagateCommandTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func reject(_ args: [String], mentions needle: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CondenseProcess.run(["propagate"] + args)
        XCTAssertEqual(r.status, 2, "exit status for \(args): \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "expected one line, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("condense: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.lowercased().contains(needle.lowercased()), "\(r.stderr) lacks '\(needle)'", file: file, line: line)
    }

    func testKappaBelowMinusOne() throws {
        try reject(["--widths", "10,20,5", "--kappa=-1.5"], mentions: "≥ −1")
        try reject(["--widths", "10,20,5", "--kappa", "-1.5"], mentions: "≥ −1")   // a negative value after a space
    }
    func testLeakySlopeOutOfRange() throws {
        try reject(["--widths", "10,20,5", "--activation", "leaky_relu(1.5)"], mentions: "slope")
        try reject(["--widths", "10,20,5", "--activation", "leaky_relu(0)"], mentions: "slope")
    }
    func testWidthBelowOne() throws { try reject(["--widths", "10,0,5"], mentions: "≥ 1") }
    func testThetaOutOfRange() throws {
        try reject(["--widths", "10,20,5", "--theta0", "0"], mentions: "theta0")
        try reject(["--widths", "10,20,5", "--theta0", "3.2"], mentions: "theta0")
    }
    func testZeroDepth() throws {
        try reject(["--hidden", "10", "--depth", "0"], mentions: "depth")
        try reject(["--widths", "784,10"], mentions: "hidden")
    }
    /// Beyond the machine: one line, not an abort in an allocation.
    func testBeyondTheMachine() throws {
        try reject(["--hidden", "1000", "--depth", "100000000"], mentions: "at most")
        try reject(["--hidden", "100", "--depth", "10", "--simulate", "100000000000"], mentions: "of memory")
        try reject(["--widths", "784,100,10", "--threads", "100000"], mentions: "at most")
    }
    func testLyapunovForPlainReLU() throws { try reject(["--preset", "lyapunov", "--activation", "relu"], mentions: "leaky") }
    func testUnknownPresetAndInit() throws {
        try reject(["--preset", "200x3"], mentions: "200x3")
        try reject(["--widths", "10,20,5", "--init", "magic"], mentions: "magic")
    }

    /// -o writes the propagation file; h5py reads per-network values equal to the JSON's statistics.
    func testFileAndJSONAgree() throws {
        let out = dir.appendingPathComponent("p.h5").path
        let r = try CondenseProcess.run(["propagate", "--widths", "12,40,40,3", "--theta0", "0.9", "--simulate", "9",
                                         "--seed", "3", "--json", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let stats = json["simulation"] as! [[String: Any]]
        let theta2 = stats.first { ($0["layer"] as! Int) == 2 && ($0["quantity"] as! String) == "theta" }!
        let comparison = json["comparison"] as! [[String: Any]]
        XCTAssertTrue(comparison.contains { ($0["model"] as! String) == "finite_width" })
        let script = """
        import h5py, math
        f = h5py.File('\(out)', 'r')
        assert f.attrs['format'] == 'condense-propagate'
        assert 'condense' in f.attrs['command_line'] and '--simulate' in f.attrs['command_line']
        q = list(f['quantity'].asstr()[()]).index('theta')
        print(repr(float(f['simulation'][:, 2, q].mean())))
        """
        let py = try CondenseProcess.python(script, modules: ["h5py"])
        XCTAssertEqual(py.status, 0, py.stderr)
        XCTAssertEqual(Double(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!, theta2["mean"] as! Double, accuracy: 1e-12)
        // The same command refuses to overwrite without --force.
        let again = try CondenseProcess.run(["propagate", "--widths", "12,40,40,3", "-o", out])
        XCTAssertEqual(again.status, 2)
    }

    func testDegeneracyPresetListsTheSixArchitectures() throws {
        let r = try CondenseProcess.run(["propagate", "--preset", "degeneracy", "--density-points", "151"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["85x2", "100x10", "30x15", "15x30", "75x35", "50x50"] { XCTAssertTrue(r.stdout.contains(name), r.stdout) }
    }
}
