import Foundation
import XCTest
@testable import HDF5

/// Files written here, read by other programs (h5py via /usr/bin/python3, h5dump).
final class InteropTests: HDF5TestCase {
    func testH5pySeesScalesLabelsAndVariableLengthStringsAsStr() throws {
        try requirePythonH5py()
        let filePath = path("interop.h5")
        try DimensionScaleTests.writeRun(filePath)
        let script = """
        import sys, h5py, math
        f = h5py.File(sys.argv[1], 'r')
        assert isinstance(f.attrs['title'], str), type(f.attrs['title'])
        assert f.attrs['title'] == 'condensation run \\u2211', f.attrs['title']
        d = f['run/samples']
        assert d.shape == (3, 2, 2), d.shape
        assert d.maxshape == (None, 2, 2), d.maxshape
        assert d.compression == 'gzip' and d.shuffle, (d.compression, d.shuffle)
        assert math.isnan(d.fillvalue)
        assert math.isnan(d.attrs['_FillValue']) and d.attrs['_FillValue'].dtype == 'f8'
        assert d.dims[0].label == 'sample', d.dims[0].label
        names = [d.dims[i][0].name for i in range(3)]
        assert names == ['/run/sample', '/run/member', '/run/component'], names
        assert [len(d.dims[i]) for i in range(3)] == [1, 1, 1]
        assert h5py.h5ds.is_scale(f['run/member'].id)
        assert not h5py.h5ds.is_scale(d.id)
        c = f['run/component']
        assert h5py.check_string_dtype(c.dtype).encoding == 'utf-8'
        assert list(c.asstr()[()]) == ['x0', 'log_prob'], list(c.asstr()[()])
        assert [int(v) for v in f['run/sample'][()]] == [0, 1, 2]
        assert d[2, 0, 0] == 2.0
        print('ok')
        """
        let result = try runProcess("/usr/bin/python3", ["-c", script, filePath])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok", result.error)
    }

    /// netCDF readers (ncdump, xarray via h5netcdf when installed) see named dimensions and coordinates.
    func testNetCDFReadersSeeNamedDimensions() throws {
        let filePath = path("netcdf.h5")
        try DimensionScaleTests.writeRun(filePath)
        var checked = false
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/ncdump") {
            let dump = try runProcess("/usr/bin/ncdump", ["-h", filePath])
            XCTAssertEqual(dump.status, 0, dump.error)
            XCTAssertTrue(dump.output.contains("sample = UNLIMITED ; // (3 currently)"), dump.output)
            XCTAssertTrue(dump.output.contains("double samples(sample, member, component)"), dump.output)
            XCTAssertTrue(dump.output.contains("string component(component)"), dump.output)
            checked = true
        }
        let python = "/usr/bin/python3"
        if FileManager.default.isExecutableFile(atPath: python),
           try runProcess(python, ["-c", "import xarray, h5netcdf"]).status == 0 {
            let script = """
            import sys, xarray as xr
            ds = xr.open_dataset(sys.argv[1], engine='h5netcdf', group='run')
            assert ds['samples'].dims == ('sample', 'member', 'component'), ds['samples'].dims
            assert list(ds['component'].values) == ['x0', 'log_prob'], ds['component'].values
            assert float(ds['samples'].sel(sample=2, member=0, component='x0')) == 2.0
            assert '_FillValue' not in ds['samples'].attrs
            print('ok')
            """
            let result = try runProcess(python, ["-c", script, filePath])
            XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok", result.error)
            checked = true
        }
        if !checked { throw XCTSkip("neither ncdump nor xarray+h5netcdf is installed") }
    }

    /// Backs "a killed run keeps every flushed snapshot": a file flushed after appends and still open (for
    /// writing) in this process is readable by other processes with HDF5_USE_FILE_LOCKING=FALSE.
    func testFlushedFileLeftOpenIsReadableByOtherProcesses() throws {
        let filePath = path("live.h5")
        let file = try H5File.create(filePath)
        let run = try file.root.createGroup("run")
        let samples = try run.createDataset("samples", type: .float64, shape: [0, 3], maxShape: [nil, 3],
                                            deflate: 4)
        let names = try run.createDataset("names", type: .string, shape: [0], maxShape: [nil])
        for row in 0..<4 {
            try samples.append([Double(row), Double(row) + 0.5, -1])
            try names.append(["row\(row)"])
            try file.flush()
        }
        // Written but not flushed: readers need not see it; it must not break what is flushed.
        try samples.append([99, 99, 99])
        try samples.append([98, 98, 98])
        try file.flush()
        XCTAssertTrue(file.isOpen)
        let environment = ["HDF5_USE_FILE_LOCKING": "FALSE"]

        let h5dump = "/usr/bin/h5dump"
        if FileManager.default.isExecutableFile(atPath: h5dump) {
            let dump = try runProcess(h5dump, ["-d", "/run/samples", filePath], environment: environment)
            XCTAssertEqual(dump.status, 0, dump.error)
            XCTAssertTrue(dump.output.contains("( 6, 3 ) / ( H5S_UNLIMITED, 3 )"), dump.output)
            XCTAssertTrue(dump.output.contains("3, 3.5, -1"), dump.output)
            XCTAssertTrue(dump.output.contains("98, 98, 98"), dump.output)
        }
        guard (try? requirePythonH5py()) != nil else { return }
        let script = """
        import sys, h5py
        with h5py.File(sys.argv[1], 'r') as f:
            d = f['run/samples'][()]
            assert d.shape == (6, 3), d.shape
            assert [list(r) for r in d[:4]] == [[i, i + 0.5, -1] for i in range(4)], d
            assert list(f['run/names'].asstr()[()]) == ['row0', 'row1', 'row2', 'row3']
        print('ok')
        """
        let read = try runProcess("/usr/bin/python3", ["-c", script, filePath], environment: environment)
        XCTAssertEqual(read.status, 0, read.error)
        XCTAssertEqual(read.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok", read.error)
        // Still writable afterwards.
        try samples.append([7, 7, 7])
        XCTAssertEqual(samples.shape, [7, 3])
        try file.close()
    }

    /// Opening a file that another process holds open for writing names the path and says what to do.
    func testFileLockedByAnotherWriterGivesClearMessage() throws {
        try requirePythonH5py()
        let filePath = path("locked.h5")
        try H5File.create(filePath).close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let script = """
        import sys, time, h5py
        f = h5py.File(sys.argv[1], 'a')
        print('ready', flush=True)
        sys.stdin.readline()
        f.close()
        """
        process.arguments = ["-c", script, filePath]
        var environment = ProcessInfo.processInfo.environment
        environment["HDF5_USE_FILE_LOCKING"] = nil
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let line = output.fileHandleForReading.availableDataLine()
        XCTAssertEqual(line, "ready")
        guard ProcessInfo.processInfo.environment["HDF5_USE_FILE_LOCKING"] != "FALSE" else {
            throw XCTSkip("file locking is disabled in this environment")
        }
        assertHDF5Error([filePath, "another process has it open for writing"]) {
            try H5File.open(filePath, writable: true)
        }
        assertHDF5Error([filePath, "another process"]) { try H5File.open(filePath) }
    }
}

private extension FileHandle {
    /// Reads one line (blocking), without the newline.
    func availableDataLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
