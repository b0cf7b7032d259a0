import Foundation
import XCTest
@testable import Training

/// A test case with a fresh directory of its own for every test (`directory`, removed afterwards), for the
/// TrainingTests that write run and data files; `path(_:)` names a file in it.
class ScratchDirectoryTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("condense-\(String(describing: type(of: self)))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
        try super.tearDownWithError()
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The paper's default run with `change` applied; the network's input and output sizes follow the data.
    func config(_ change: (inout TrainingConfig) -> Void = { _ in }) -> TrainingConfig {
        var c = TrainingConfig.paperDefault
        c.architecture.inputDim = 0
        c.architecture.outputDim = 0
        change(&c)
        return c
    }
}
