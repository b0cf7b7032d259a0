import XCTest
import Foundation
import Model
@testable import Propagation
import RunFormat

final class PropagationFileTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("propagation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func makeRecord(networks: Int) throws -> PropagationRecord {
        let setup = PropagationSetup(widths: [10, 20, 20, 20, 3], theta0: 0.8, networks: networks, seed: 2)
        let prediction = try PropagationPrediction(setup: setup, densityPoints: 301)
        let simulation = networks > 0 ? try PropagationSimulator.run(setup) : nil
        return PropagationRecord(setup: setup, prediction: prediction, simulation: simulation, commandLine: "condense propagate test")
    }

    func testRoundTripWithAndWithoutSimulation() throws {
        for n in [0, 7] {
            let path = dir.appendingPathComponent("p\(n).h5").path
            let record = try makeRecord(networks: n)
            try PropagationFile.write(record, to: path, overwrite: false)
            XCTAssertEqual(try PropagationFile.read(path), record)
            XCTAssertThrowsError(try PropagationFile.write(record, to: path, overwrite: false))
        }
        XCTAssertThrowsError(try PropagationFile.read(dir.appendingPathComponent("none.h5").path))
    }

    /// h5py and xarray (h5netcdf) see the layout of FORMAT.md: named dimensions, string coordinates, NaN gaps.
    func testPythonReadersSeeTheLayout() throws {
        let path = dir.appendingPathComponent("p.h5").path
        let record = try makeRecord(networks: 7)
        try PropagationFile.write(record, to: path, overwrite: false)
        let script = """
        import sys, math, json, h5py, numpy as np
        f = h5py.File(sys.argv[1], 'r')
        assert f.attrs['format'] == 'condense-propagate', f.attrs['format']
        assert f.attrs['format_version'] == '1.0'
        assert list(f.attrs['widths']) == [10, 20, 20, 20, 3], f.attrs['widths']
        assert f.attrs['activation'] == 'relu' and f.attrs['init'].startswith('he_normal')
        assert json.loads(f.attrs['config'])['networks'] == 7
        pm = f['prediction_mean']
        assert pm.shape == (5, 4, 5), pm.shape
        assert [pm.dims[i].label for i in range(3)] == ['model', 'layer', 'quantity']
        assert list(f['model'].asstr()[()]) == ['finite_width', 'infinite_width', 'mean_field', 'linearised', 'lyapunov']
        assert list(f['quantity'].asstr()[()]) == ['log_norm', 'correlation', 'theta', 'ln_sin2_theta', 'q']
        assert f['simulation'].shape == (7, 4, 5) and [f['simulation'].dims[i].label for i in range(3)] == ['network', 'layer', 'quantity']
        assert math.isnan(pm[2, 1, 2])  # mean_field says nothing about theta
        sim = f['simulation'][()]
        assert np.allclose(sim.mean(axis=0), f['simulation_mean'][()])
        assert np.allclose(sim.std(axis=0, ddof=1) / math.sqrt(7), f['simulation_sem'][()])
        import xarray as xr
        ds = xr.open_dataset(sys.argv[1], engine='h5netcdf')
        assert ds['prediction_mean'].dims == ('model', 'layer', 'quantity'), ds['prediction_mean'].dims
        v = float(ds['prediction_mean'].sel(model='finite_width', layer=3, quantity='ln_sin2_theta'))
        assert abs(v - pm[0, 3, 3]) < 1e-15
        assert list(ds['network'].values) == list(range(7))
        assert abs(float(ds['simulation_mean'].sel(layer=0, quantity='theta')) - 0.8) < 1e-14
        print('ok')
        """
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no \(python)") }
        let probe = try run(python, ["-c", "import h5py, xarray, h5netcdf"])
        guard probe.status == 0 else { throw XCTSkip("h5py/xarray/h5netcdf not installed") }
        let r = try run(python, ["-c", script, path])
        XCTAssertEqual(r.status, 0, r.error)
        XCTAssertEqual(r.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok", r.error)
    }

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
