import Foundation
import XCTest
@testable import HDF5

/// A fresh temporary directory per test, removed afterwards.
class HDF5TestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hdf5tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Asserts that `body` throws an `HDF5Error` whose one-line description contains every fragment.
    func assertHDF5Error<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> T) {
        do {
            _ = try body()
            XCTFail("expected an HDF5Error mentioning \(fragments)", file: file, line: line)
        } catch let error as HDF5Error {
            let text = error.description
            XCTAssertFalse(text.contains("\n"), "description is not one line: \(text)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(text.contains(fragment), "'\(text)' does not mention '\(fragment)'", file: file, line: line)
            }
        } catch {
            XCTFail("expected HDF5Error, got \(type(of: error)): \(error)", file: file, line: line)
        }
    }
}

/// Result of a child process.
struct ProcessResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs `executable` with `arguments` and extra environment, waiting for it to finish.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                         error: String(decoding: errData, as: UTF8.self))
}

/// Skips the test unless /usr/bin/python3 can import h5py.
func requirePythonH5py() throws {
    let python = "/usr/bin/python3"
    guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no \(python)") }
    let probe = try runProcess(python, ["-c", "import h5py"])
    guard probe.status == 0 else { throw XCTSkip("h5py is not importable by \(python)") }
}
