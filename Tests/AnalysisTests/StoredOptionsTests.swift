import Analysis
import Foundation
import XCTest

/// `countsAlike(storedJSON:)` decides whether `sweep collect` may reuse a stored analysis: equal options, the heat
/// maps' size aside.
final class StoredOptionsTests: XCTestCase {
    func testOnlyTheHeatMapSizeMayDiffer() throws {
        let ours = RunAnalysisOptions(heatmaps: 0)
        XCTAssertTrue(ours.countsAlike(storedJSON: ours.storedJSON))
        // What `condense analyze` stores with its defaults (heat maps, another sample size for them).
        XCTAssertTrue(ours.countsAlike(storedJSON: RunAnalysisOptions(heatmaps: 3, heatmapNeurons: 50).storedJSON))

        var cos = CondensationOptions(); cos.cosineThreshold = 0.9
        XCTAssertFalse(ours.countsAlike(storedJSON: RunAnalysisOptions(condensation: cos).storedJSON))
        XCTAssertFalse(ours.countsAlike(storedJSON: RunAnalysisOptions(settle: 4).storedJSON))
        XCTAssertFalse(ours.countsAlike(storedJSON: RunAnalysisOptions(robustnessThresholds: [0.9]).storedJSON))
        var share = CondensationOptions(); share.minimumClusterShare = 0.01
        XCTAssertFalse(ours.countsAlike(storedJSON: RunAnalysisOptions(condensation: share).storedJSON))

        // A key missing (an older condense), an extra one (a newer), or text that is not JSON: never alike.
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ours.storedJSON.utf8)) as? [String: Any])
        var missing = object; missing["settle"] = nil
        var extra = object; extra["new_option"] = 1
        for other in [missing, extra] {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: other), as: UTF8.self)
            XCTAssertFalse(ours.countsAlike(storedJSON: text), text)
        }
        XCTAssertFalse(ours.countsAlike(storedJSON: "not json"))
        XCTAssertFalse(ours.countsAlike(storedJSON: "[1, 2]"))
        // Equal values written differently still match (it compares values, not text).
        let reordered = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        XCTAssertTrue(ours.countsAlike(storedJSON: reordered))
    }
}
