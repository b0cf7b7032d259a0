import Foundation
import RunFormat
import XCTest

/// `condense train --init` with the theory-driven schemes (RAI, anti-correlated, Lyapunov) end to end.
final class TrainInitSchemesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try CondenseProcess.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testTrainsAFewStepsWithEachNewScheme() throws {
        // scheme given → (the start of) the spec stored in the run file's configuration
        let schemes = [("rai", "\"rai\""), ("lyapunov_gaussian(slope=0.1)", "lyapunov_gaussian(slope=0.1)"),
                       ("lyapunov_orthogonal(slope=0.1)", "lyapunov_orthogonal(slope=0.1)"),
                       ("anti_correlated(kappa=-0.5)", "anti_correlated(kappa=-0.5,sigma2="),
                       ("anti_correlated_rai", "anti_correlated_rai(kappa=-0.5)")]
        for (i, (scheme, spec)) in schemes.enumerated() {
            let out = dir.appendingPathComponent("run\(i).h5").path
            let r = try CondenseProcess.run(["train", "-o", out, "--steps", "3", "--hidden", "8,8",
                                             "--activation", "leaky_relu(0.1)", "--init", scheme, "--readout-init", "he_normal",
                                             "--target", "teacher", "--n-train", "20", "--n-test", "0", "-q"])
            XCTAssertEqual(r.status, 0, "\(scheme): \(r.stderr)")
            let run = try RunReader(path: out)
            defer { try? run.close() }
            XCTAssertEqual(run.status, .completed, scheme)
            let w = try run.weights(layer: 1, snapshot: 0)      // layer_2: 8 × (8 + 1)
            XCTAssertTrue(w.allSatisfy(\.isFinite))
            XCTAssertGreaterThan(w.map(abs).max()!, 0, scheme)
            let losses = try XCTUnwrap(run.snapshotVariable("train_loss"))
            XCTAssertTrue(losses.allSatisfy(\.isFinite), scheme)
            let config = try XCTUnwrap(run.configJSON)
            XCTAssertTrue(config.contains(spec), "\(spec) in \(config)")
        }
    }

    func testBadSchemeParametersExitTwoWithOneLine() throws {
        for scheme in ["lyapunov_gaussian(slope=0)", "anti_correlated(kappa=-2)", "lyapunov_orthogonal(slope=2)"] {
            let r = try CondenseProcess.run(["train", "-o", dir.appendingPathComponent("bad.h5").path, "--steps", "1",
                                             "--init", scheme])
            XCTAssertEqual(r.status, 2, scheme)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("condense: error:"), r.stderr)
        }
    }

    func testHelpListsTheNewSchemes() throws {
        let r = try CondenseProcess.run(["train", "--help"])
        XCTAssertEqual(r.status, 0)
        let flat = r.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        for name in ["rai", "anti_correlated_rai", "lyapunov_gaussian", "lyapunov_orthogonal"] {
            XCTAssertTrue(flat.contains(name), name)
        }
    }
}
