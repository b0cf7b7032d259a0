import XCTest
import Foundation
@testable import Propagation

extension XCTestCase {
    /// Every comparison row of `setup` (optionally only some layers / models) within 3 standard errors, and each of
    /// `expectModels` present.
    func checkAgreement(_ setup: PropagationSetup, layers: [Int]? = nil, models: [PredictionModel]? = nil,
                        quantities: [PropagationQuantity]? = nil,
               expectModels: [PredictionModel], file: StaticString = #filePath, line: UInt = #line) throws {
        let prediction = try PropagationPrediction(setup: setup, densityPoints: 301)
        let simulation = try PropagationSimulator.run(setup)
        let table = PropagationComparison(prediction: prediction, simulation: simulation)
        let present = Set(table.rows.map(\.model))
        for m in expectModels { XCTAssertTrue(present.contains(m), "\(m) gave no prediction: \(prediction.notes[m] ?? "")", file: file, line: line) }
        var checked = 0
        for row in table.rows where (layers?.contains(row.layer) ?? true) && (models?.contains(row.model) ?? true)
            && (quantities?.contains(row.quantity) ?? true) {
            XCTAssertEqual(row.count, setup.networks, file: file, line: line)
            XCTAssertLessThan(abs(row.z), 3, "\(row.model.rawValue) layer \(row.layer) \(row.quantity.rawValue): predicted \(row.predictedMean), simulated \(row.simulatedMean) ± \(row.sem) in \(setup.widths) \(setup.activation) \(setup.initScheme.spec)", file: file, line: line)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0, file: file, line: line)
    }

}
