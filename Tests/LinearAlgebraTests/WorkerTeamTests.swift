import XCTest
@testable import LinearAlgebra

final class WorkerTeamTests: XCTestCase {
    /// Every member runs exactly once per section, sections do not overlap, and `run` returns only when all are
    /// done: each member adds its index into its own slot 10 000 times in a row, and the sums are checked after
    /// every section. Members that sleep between sections (after a pause) wake up again.
    func testEveryMemberRunsOncePerSection() {
        for size in [1, 2, 3, 4] {
            let team = WorkerTeam(size: size)
            let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: size)
            defer { slots.deallocate() }
            slots.initialize(repeating: 0)
            for section in 1...4_000 {
                team.run { member in slots[member] += member + 1 }
                if section % 1_000 == 0 {
                    XCTAssertEqual(Array(slots), (0..<size).map { ($0 + 1) * section }, "team of \(size)")
                    usleep(2_000)   // long enough for the workers to go to sleep
                }
            }
        }
    }

    /// The parts cover the range in order, without overlap, on the alignment, and may be empty at the end.
    func testShareCoversTheRangeOnTheAlignment() {
        for (count, parts, alignment) in [(10, 3, 1), (1000, 2, 8), (7, 4, 8), (0, 2, 1), (131_079, 3, 8)] {
            var next = 0
            for member in 0..<parts {
                let r = WorkerTeam.share(of: count, member: member, of: parts, alignment: alignment)
                XCTAssertEqual(r.lowerBound, next, "\(count) in \(parts)")
                if r.upperBound < count { XCTAssertEqual(r.upperBound % alignment, 0) }
                next = r.upperBound
            }
            XCTAssertEqual(next, count)
        }
    }

    /// A team's copy equals the source, split or not, with a tail that is not a multiple of the alignment.
    func testCopyEqualsTheSource() {
        for size in [1, 2, 3] {
            let team = WorkerTeam(size: size)
            for count in [10, WorkerTeam.parallelCopyThreshold + 5] {
                let source = (0..<count).map { Double($0) * 0.5 - 3 }
                var destination = [Double](repeating: .nan, count: count)
                source.withUnsafeBufferPointer { s in
                    destination.withUnsafeMutableBufferPointer { d in
                        team.copy(s.baseAddress!, to: d.baseAddress!, count: count)
                    }
                }
                XCTAssertEqual(destination, source, "team of \(size), \(count) values")
            }
        }
    }
}
