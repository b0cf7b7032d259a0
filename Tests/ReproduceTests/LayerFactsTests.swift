import XCTest
@testable import Reproduce

final class LayerFactsTests: XCTestCase {
    func testCountsByStepAndAtTheEnd() {
        let f = PlantedRuns.layer(steps: [0, 10, 20], orientations: [0, 3, 5], lines: [0, 2, 3])
        XCTAssertEqual(f.orientations(atStep: 10), 3)
        XCTAssertEqual(f.lines(atStep: 20), 3)
        XCTAssertNil(f.orientations(atStep: 15))
        XCTAssertEqual(f.finalOrientations, 5)
        XCTAssertEqual(f.finalLines, 3)
    }
}
