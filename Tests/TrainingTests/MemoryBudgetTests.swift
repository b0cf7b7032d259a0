import Foundation
import XCTest
@testable import Training

/// The memory bound of the run checks: the machine's, or a control group's limit on the way from this process's
/// group up to the root, read from fixture files laid out as /proc/self/cgroup and /sys/fs/cgroup are.
final class MemoryBudgetTests: ScratchDirectoryTestCase {
    private func write(_ text: String, _ relative: String) throws {
        let url = directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func budget(_ membership: String) throws -> MemoryBudget {
        try write(membership, "proc-cgroup")
        return MemoryBudget.reading(physical: 64e9, membership: path("proc-cgroup"), root: path("sys"))
    }

    func testCgroupV2LimitOnAParentBinds() throws {
        try write("max\n", "sys/slurm/job_7/step_0/memory.max")
        try write("4294967296\n", "sys/slurm/job_7/memory.max")      // the job's 4 GiB, on the step's parent
        let b = try budget("0::/slurm/job_7/step_0\n")
        XCTAssertEqual(b.bytes, 4_294_967_296)
        XCTAssertTrue(b.bound.contains("control group"), b.bound)
    }

    func testCgroupV1MemoryControllerLimit() throws {
        try write("2147483648\n", "sys/memory/docker/abc/memory.limit_in_bytes")
        try write("9223372036854771712\n", "sys/memory/memory.limit_in_bytes")   // v1's "unlimited"
        let b = try budget("5:cpuset:/\n4:memory:/docker/abc\n0::/\n")
        XCTAssertEqual(b.bytes, 2_147_483_648)
    }

    func testNoLimitOrAnUnreadableTreeIsTheMachine() throws {
        try write("max\n", "sys/user.slice/memory.max")
        XCTAssertEqual(try budget("0::/user.slice\n"), MemoryBudget(machine: 64e9))
        XCTAssertEqual(try budget("0::/nowhere\n"), MemoryBudget(machine: 64e9))
        try write("128000000000\n", "sys/big/memory.max")            // above the machine: the machine binds
        XCTAssertEqual(try budget("0::/big\n"), MemoryBudget(machine: 64e9))
        XCTAssertEqual(MemoryBudget.reading(physical: 1e9, membership: path("absent"), root: path("sys")),
                       MemoryBudget(machine: 1e9))
    }

    /// A seed batch larger than its job's limit is refused in one line that names the limit.
    func testSeedBatchRefusalNamesTheBound() {
        let c = config { $0.architecture.inputDim = 5; $0.architecture.outputDim = 1 }
        let limit = MemoryBudget(bytes: 1e6, bound: "this process may use (its control group's memory limit)")
        XCTAssertThrowsError(try SeedBatch.checkMemory(c, networks: 16, trainRows: 80, testRows: 1000, budget: limit)) {
            let text = "\($0)"
            XCTAssertTrue(text.contains("control group") && text.contains("at most"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}
