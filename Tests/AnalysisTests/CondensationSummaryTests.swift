@testable import Analysis
import LinearAlgebra
import Model
import XCTest

final class CondensationSummaryTests: XCTestCase {
    /// A layer (width × dim) whose neurons sit in orientation groups of the given sizes; groups come
    /// in opposite pairs when `antipodal` (like tanh's one line). Extra rows may be appended.
    private func layer(_ sizes: [Int], dimension: Int = 6, antipodal: Bool = true, noise: Int = 0,
                       seed: UInt64 = 1) -> Synthetic {
        Synthetic(sizes: sizes, dimension: dimension, spread: 0.05, noise: noise, antipodal: antipodal, seed: seed)
    }

    private func summary(_ data: Synthetic, extra: [[Double]] = [], readout: [Double]? = nil, p: Int?,
                         predicted: [Double]? = nil,
                         options: CondensationOptions = .init()) throws -> CondensationSummary {
        let rows = data.rows + extra.flatMap { $0 }
        let m = Matrix(rows: data.count + extra.count, cols: data.dimension, elements: rows)
        return try CondensationSummary(weights: m, readout: readout, multiplicity: p,
                                       predictedDirection: predicted, options: options)
    }

    func testOneLineIsWithinTheBoundForTanh() throws {
        let data = layer([28, 22])
        let s = try summary(data, p: 1)
        XCTAssertEqual(s.keptCount, 50)
        XCTAssertEqual(s.orientations.map(\.size), [28, 22])
        XCTAssertEqual(s.condensedOrientationCount, 2)
        XCTAssertEqual(s.condensedLineCount, 1)
        XCTAssertEqual(s.lines.count, 1)
        XCTAssertEqual(s.lines[0].neuronShare, 1, accuracy: 1e-12)
        XCTAssertTrue(s.isCondensed)
        XCTAssertEqual(s.verdict, .condensedWithinBound)
        XCTAssertEqual(s.bound, 2)
        XCTAssertEqual(s.topShare!, 1, accuracy: 1e-12)
        XCTAssertEqual(s.effectiveNumber, .init(lower: 2, upper: 2))
        XCTAssertEqual(s.effectiveRatio!.upper, 0.04, accuracy: 1e-12)
        XCTAssertEqual(s.orientations[0].line, 0)
        XCTAssertEqual(s.orientations[1].line, 0)
        XCTAssertEqual(s.lines[0].signs.sorted(), [-1, 1])
        XCTAssertEqual(Set(s.orientations.flatMap(\.members)), Set(0..<50))
        // Without a multiplicity (ReLU) the counts stay, the verdict says the bound is undefined.
        let relu = try summary(data, p: nil)
        XCTAssertEqual(relu.verdict, .boundUndefined)
        XCTAssertEqual(relu.condensedOrientationCount, 2)
        XCTAssertNil(relu.topShare)
        XCTAssertNil(relu.bound)
    }

    func testThreeLinesExceedTheBoundOfPOneButNotOfPThree() throws {
        let data = layer([10, 9, 9, 8, 8, 6])
        let s1 = try summary(data, p: 1)
        XCTAssertEqual(s1.condensedOrientationCount, 6)
        XCTAssertEqual(s1.condensedLineCount, 3)
        XCTAssertEqual(s1.verdict, .exceedsBound)
        XCTAssertEqual(s1.topShare!, 19.0 / 50, accuracy: 1e-12)
        XCTAssertEqual(try summary(data, p: 2).verdict, .exceedsBound)
        XCTAssertEqual(try summary(data, p: 3).verdict, .condensedWithinBound)
    }

    func testRandomDirectionsAreNotCondensed() throws {
        let data = layer([], noise: 50)
        let s = try summary(data, p: 1)
        XCTAssertEqual(s.condensedOrientationCount, 0)
        XCTAssertFalse(s.isCondensed)
        XCTAssertEqual(s.verdict, .notCondensed)
        XCTAssertGreaterThan(s.effectiveRatio!.lower, 0.8)
        XCTAssertEqual(try summary(data, p: nil).verdict, .notCondensed)
    }

    func testStragglersDoNotVetoCondensation() throws {
        // 40 neurons in one line, 10 in 5 pairs (4 % each: clusters, but not condensed): the line holds 80 % of
        // the neurons, the other 20 % are stragglers, and the layer is condensed.
        var data = layer([22, 18], seed: 2)
        let pairs = layer([2, 2, 2, 2, 2], dimension: 6, antipodal: false, seed: 3)
        data.rows += pairs.rows
        data.truth += pairs.truth
        let s = try summary(data, p: 1, options: .init(coverageWeighting: .neurons))
        XCTAssertEqual(s.orientations.count, 7)
        XCTAssertEqual(s.condensedOrientationCount, 2)
        XCTAssertEqual(s.coveredShare, 0.8, accuracy: 1e-12)
        XCTAssertEqual(s.stragglerShare, 0.2, accuracy: 1e-12)
        XCTAssertEqual(s.verdict, .condensedWithinBound)
        // At the old 90 % level it would not have been.
        XCTAssertEqual(try summary(data, p: 1, options: .init(enterCoverage: 0.9, coverageWeighting: .neurons)).verdict,
                       .notCondensed)
    }

    func testSmallOrientationsAreNotCondensedAndCoverageUsesAmplitude() throws {
        // 30 neurons in one line, 20 in 10 pairs (4 % each: clusters, but not condensed).
        var data = layer([16, 14], seed: 2)
        let pairs = layer([2, 2, 2, 2, 2, 2, 2, 2, 2, 2], dimension: 6, antipodal: false, seed: 3)
        data.rows += pairs.rows
        data.truth += pairs.truth
        let byNeurons = try summary(data, p: 1, options: .init(coverageWeighting: .neurons))
        XCTAssertEqual(byNeurons.orientations.count, 12)
        XCTAssertEqual(byNeurons.condensedOrientationCount, 2)
        XCTAssertEqual(byNeurons.condensedNeuronShare, 0.6, accuracy: 1e-12)
        XCTAssertEqual(byNeurons.coverageWeighting, .neurons)
        XCTAssertEqual(byNeurons.verdict, .notCondensed)
        // 60 % is below the entry level (2/3) but above the hold level (1/2).
        XCTAssertFalse(byNeurons.reachesEntry)
        XCTAssertTrue(byNeurons.reachesHold)
        // The pairs have tiny readout weights: by amplitude, the line holds > 99 %.
        let readout = (0..<50).map { $0 < 30 ? 1.0 : 1e-3 }
        var scaled = data
        for i in 0..<50 {
            let n = (0..<6).map { scaled.rows[i * 6 + $0] }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<6 { scaled.rows[i * 6 + j] /= n }         // unit norms: amplitude = |a_j|
        }
        let byAmplitude = try summary(scaled, readout: readout, p: 1)
        XCTAssertEqual(byAmplitude.coverageWeighting, .amplitude)
        XCTAssertEqual(byAmplitude.condensedAmplitudeShare, 30 / (30 + 20e-3), accuracy: 1e-9)
        XCTAssertEqual(byAmplitude.verdict, .condensedWithinBound)
        // A zero readout leaves amplitude undefined: the rule falls back to neurons.
        let zero = try summary(scaled, readout: [Double](repeating: 0, count: 50), p: 1)
        XCTAssertTrue(zero.condensedAmplitudeShare.isNaN)
        XCTAssertEqual(zero.coverageWeighting, .neurons)
        XCTAssertEqual(zero.verdict, .notCondensed)
    }

    func testNegligibleAndNonFiniteNeuronsAreLeftOut() throws {
        let data = layer([12, 10])
        let extra: [[Double]] = [[1e-9, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [.nan, 1, 1, 1, 1, 1]]
        let s = try summary(data, extra: extra, p: 1)
        XCTAssertEqual(s.width, 25)
        XCTAssertEqual(s.keptCount, 22)
        XCTAssertEqual(s.negligibleCount, 2)
        XCTAssertEqual(s.nonFiniteCount, 1)
        XCTAssertEqual(Array(s.labels.suffix(3)), [-1, -1, -1])
        XCTAssertEqual(s.verdict, .condensedWithinBound)
        XCTAssertEqual(s.orientations.reduce(0) { $0 + $1.neuronShare }, 1, accuracy: 1e-12)
    }

    func testEmptyAndAllZeroLayers() throws {
        let zero = try CondensationSummary(weights: Matrix(rows: 4, cols: 3), multiplicity: 1)
        XCTAssertEqual(zero.keptCount, 0)
        XCTAssertEqual(zero.negligibleCount, 4)
        XCTAssertEqual(zero.verdict, .notCondensed)
        XCTAssertNil(zero.effectiveRatio)
        XCTAssertNil(zero.topShare)
        let single = try CondensationSummary(weights: Matrix(rows: 1, cols: 3, elements: [1, 2, 3]), multiplicity: 1)
        XCTAssertEqual(single.keptCount, 1)
        XCTAssertEqual(single.verdict, .notCondensed)
        XCTAssertEqual(single.effectiveNumber, .init(lower: 1, upper: 1))
    }

    func testBadInputsThrow() {
        let m = Matrix(rows: 2, cols: 3, elements: [1, 0, 0, 0, 1, 0])
        XCTAssertThrowsError(try CondensationSummary(weights: m, readout: [1], multiplicity: 1))
        XCTAssertThrowsError(try CondensationSummary(weights: m, multiplicity: 0))
        XCTAssertThrowsError(try CondensationSummary(weights: m, multiplicity: 1, predictedDirection: [1, 0]))
        XCTAssertThrowsError(try CondensationSummary(weights: m, multiplicity: 1,
                                                     options: .init(cosineThreshold: 1.5))) { error in
            XCTAssertTrue("\(error)".contains("cosine threshold"))
        }
    }

    func testPredictedAlignmentWithTheLargestLine() throws {
        let data = layer([26, 24])
        let s = try summary(data, p: 1, predicted: data.centres[0].map { -3 * $0 })
        XCTAssertGreaterThan(s.predictedAlignment!, 0.999)
        var other = [Double](repeating: 0, count: 6)
        // A direction orthogonal to the line.
        let c = data.centres[0]
        other[0] = c[1]; other[1] = -c[0]
        let t = try summary(data, p: 1, predicted: other)
        XCTAssertLessThan(t.predictedAlignment!, 0.05)
    }

    func testNeuronOrderDoesNotMatter() throws {
        let data = layer([15, 12, 9, 8, 6], noise: 10, seed: 4)
        let a = try summary(data, p: 2)
        let (rows, perm) = data.permuted(seed: 11)
        let b = try CondensationSummary(weights: Matrix(rows: data.count, cols: 6, elements: rows), multiplicity: 2)
        XCTAssertEqual(a.orientations.map(\.direction), b.orientations.map(\.direction))
        XCTAssertEqual(a.lines, b.lines.map { line in line })
        XCTAssertEqual(a.verdict, b.verdict)
        for new in 0..<data.count { XCTAssertEqual(b.labels[new], a.labels[perm[new]]) }
    }
}

final class MeasuresTests: XCTestCase {
    func testRelativeDistance() throws {
        let w0 = Matrix(rows: 2, cols: 2, elements: [1, 0, 0, 1])
        let w = Matrix(rows: 2, cols: 2, elements: [1, 1, 0, 1])
        XCTAssertEqual(try relativeDistance(current: w, initial: w0), 1 / 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(try relativeDistance(current: w0, initial: w0), 0)
        let zero = Matrix(rows: 2, cols: 2)
        XCTAssertEqual(try relativeDistance(current: zero, initial: zero), 0)
        XCTAssertEqual(try relativeDistance(current: w, initial: zero), .infinity)
        // Two layers together: √(1 + 4) / √(2 + 1).
        let v0 = Matrix(rows: 1, cols: 1, elements: [1]), v = Matrix(rows: 1, cols: 1, elements: [3])
        XCTAssertEqual(try relativeDistance(current: [w, v], initial: [w0, v0]), (5.0 / 3).squareRoot(), accuracy: 1e-15)
        XCTAssertThrowsError(try relativeDistance(current: w, initial: Matrix(rows: 2, cols: 3)))
        XCTAssertThrowsError(try relativeDistance(current: [w], initial: []))
    }

    func testPredictedDirectionWorkedByHand() throws {
        // x = 1, 2, −1 and e = 1, −1, 2: v = (1, 1) − (2, 1) + 2·(−1, 1) = (−3, 2); canonical sign → (3, −2)/√13.
        let x = Matrix(rows: 3, cols: 1, elements: [1, 2, -1])
        let e = Matrix(rows: 3, cols: 1, elements: [1, -1, 2])
        let v = try XCTUnwrap(try predictedDirection(residuals: e, layerInput: x))
        XCTAssertEqual(v[0], 3 / 13.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(v[1], -2 / 13.0.squareRoot(), accuracy: 1e-15)
        // Two outputs with proportional residuals: M has rank 1, same direction.
        let e2 = Matrix(rows: 3, cols: 2, elements: [1, -2, -1, 2, 2, -4])
        let v2 = try XCTUnwrap(try predictedDirection(residuals: e2, layerInput: x))
        XCTAssertEqual(v2[0], v[0], accuracy: 1e-12)
        XCTAssertEqual(v2[1], v[1], accuracy: 1e-12)
        // Zero residuals: no direction.
        XCTAssertNil(try predictedDirection(residuals: Matrix(rows: 3, cols: 1), layerInput: x))
        XCTAssertThrowsError(try predictedDirection(residuals: Matrix(rows: 2, cols: 1), layerInput: x))
    }
}

final class InitialStageTests: XCTestCase {
    private func stage(_ counts: [Int], _ condensed: [Bool]? = nil, settle: Int = 3) -> InitialStage? {
        InitialStage(counts: counts, lines: counts.map { ($0 + 1) / 2 },
                     condensed: condensed ?? counts.map { $0 > 0 }, settle: settle)
    }

    func testGroupsMergingIntoOneStartTheStageOnlyOnceTheCountSettles() throws {
        // Three groups merging into one (as sigmoid runs show): the stage is the settled single orientation.
        let s = try XCTUnwrap(stage([0, 3, 3, 2, 1, 1, 1, 1]))
        XCTAssertEqual(s.start, 4)
        XCTAssertEqual(s.end, 7)
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s.lines, 1)
        XCTAssertTrue(s.settled)
        XCTAssertEqual(s.endedBy, .endOfSeries)
        // With a settle length of 1 the first condensed snapshot starts it, as before.
        XCTAssertEqual(stage([0, 3, 3, 2, 1, 1, 1, 1], settle: 1)?.start, 1)
    }

    func testGrowthNeedsTheSettleLengthAndExcursionsStayInside() throws {
        // A single 3 is an excursion; 4, 4, 4 is growth.
        let s = try XCTUnwrap(stage([2, 2, 2, 2, 3, 2, 4, 4, 4]))
        XCTAssertEqual(s.start, 0)
        XCTAssertEqual(s.end, 5)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s.endedBy, .growth)
        // A rise in the last two snapshots cannot yet be told from an excursion.
        XCTAssertEqual(stage([2, 2, 2, 2, 4, 4])?.endedBy, .endOfSeries)
        // Dips below the count stay inside.
        XCTAssertEqual(stage([2, 2, 2, 1, 2, 2])?.end, 5)
    }

    func testStageEndsWhenCondensationIsLost() throws {
        let s = try XCTUnwrap(stage([1, 1, 1, 1, 1], [true, true, true, false, true]))
        XCTAssertEqual(s.start, 0)
        XCTAssertEqual(s.end, 2)
        XCTAssertEqual(s.endedBy, .lostCondensation)
    }

    func testACountThatNeverSettlesIsReportedUnsettledOrNotAtAll() throws {
        // Still changing at the end: the last run of equal counts, marked unsettled.
        let open = try XCTUnwrap(stage([0, 1, 2, 3, 4, 4]))
        XCTAssertEqual(open.start, 4)
        XCTAssertEqual(open.count, 4)
        XCTAssertFalse(open.settled)
        // A single condensed snapshot at the end (e.g. `analyze --snapshots last`).
        let last = try XCTUnwrap(stage([0, 4]))
        XCTAssertEqual(last.start, 1)
        XCTAssertFalse(last.settled)
        // Condensed for a while without settling, then not condensed: no stage.
        XCTAssertNil(stage([1, 2, 3, 0]))
        XCTAssertNil(stage([0, 0]))
        XCTAssertNil(stage([]))
    }

    func testHysteresisKeepsAFlappingShareCondensed() {
        // Covered shares 0.70, 0.62, 0.70, 0.64, 0.45, 0.60 against entry 2/3 and hold 1/2.
        let shares = [0.70, 0.62, 0.70, 0.64, 0.45, 0.60]
        let states = condensedStates(reachesEntry: shares.map { $0 >= 2.0 / 3 }, reachesHold: shares.map { $0 >= 0.5 })
        XCTAssertEqual(states, [true, true, true, true, false, false])
        // Without a condensed past, the hold level does not start anything.
        XCTAssertEqual(condensedStates(reachesEntry: [false, false, true], reachesHold: [true, true, true]),
                       [false, false, true])
    }
}

final class OrientationBlockTests: XCTestCase {
    private func summary(_ rows: [Double], dimension: Int, p: Int?) throws -> CondensationSummary {
        try CondensationSummary(weights: Matrix(rows: rows.count / dimension, cols: dimension, elements: rows),
                                multiplicity: p)
    }

    func testALooseGroupIsOneOrientationNotFragments() throws {
        // Two opposite loose groups: members up to 0.5 rad (29°) from their centre, pairwise cosines down to ~0.55
        // and mostly 0.8–0.97, as a collapsing tanh layer shows. τ = 0.95 cuts each into fragments that touch.
        let data = Synthetic(sizes: [30, 20], dimension: 6, spread: 0.5, antipodal: true, seed: 11)
        let s = try summary(data.rows, dimension: 6, p: 1)
        let clustering = SphereClustering(rows: data.rows, count: 50, dimension: 6)
        XCTAssertGreaterThan(clustering.clusters.count, 2, "the test needs a group that τ cuts into fragments")
        XCTAssertEqual(s.orientations.filter(\.isCondensed).count, 2)
        XCTAssertEqual(s.condensedLineCount, 1)
        XCTAssertGreaterThan(s.orientations[0].fragments, 1)
        // Some of the loose members are in no fragment at τ = 0.95; at the loosest threshold checked (0.90) the
        // same two orientations hold the layer (what `LayerSnapshotResult.decision` then uses).
        let loose = try CondensationSummary(weights: Matrix(rows: 50, cols: 6, elements: data.rows), multiplicity: 1,
                                            options: .init(cosineThreshold: 0.90))
        XCTAssertEqual(loose.condensedOrientationCount, 2)
        XCTAssertTrue(loose.reachesHold)
        XCTAssertGreaterThan(loose.coveredShare, s.coveredShare)
        // Each orientation's members are exactly one planted group.
        for o in s.orientations where o.isCondensed {
            XCTAssertEqual(Set(o.members.map { data.truth[$0] }).count, 1)
        }
    }

    func testSeparatedTightGroupsStayApart() throws {
        // Six tight orientations on the circle of a one-dimensional input (three lines, p = 3's 2p).
        let data = Synthetic(sizes: [10, 10, 9, 9, 8, 8], dimension: 2, spread: 0.03, antipodal: true, seed: 5)
        let s = try summary(data.rows, dimension: 2, p: 3)
        XCTAssertEqual(s.condensedOrientationCount, 6)
        XCTAssertEqual(s.condensedLineCount, 3)
        XCTAssertTrue(s.orientations.allSatisfy { $0.fragments == 1 })
        XCTAssertEqual(s.verdict, .condensedWithinBound)
    }

    func testRandomDirectionsOnTheCircleDoNotChainIntoACondensedBlock() throws {
        // 100 uniform directions in D = 2: chance clusters touch all the way round; judged against a cap of
        // their own radius they are what chance gives, so nothing is condensed.
        for seed in [UInt64(1), 2, 3] {
            let data = Synthetic(sizes: [], dimension: 2, noise: 100, seed: seed)
            let s = try summary(data.rows, dimension: 2, p: 1)
            XCTAssertEqual(s.condensedOrientationCount, 0, "seed \(seed)")
            XCTAssertEqual(s.verdict, .notCondensed)
        }
    }
}
