import Foundation
import Model
import RunFormat

/// Writes a trainer's snapshots to its run file on a thread of its own, so that training does not wait for HDF5.
///
/// The trainer takes a free `Slot`, copies the snapshot into it (parameters, the losses since the last snapshot,
/// and, for a checkpoint, the optimizer and generator states) and submits it; the writer thread appends every
/// queued slot to the file and flushes once per batch, with the optimizer state of the batch's last checkpoint,
/// then frees the slots. A
/// fixed pool of slots bounds memory: when the writer falls behind, `acquire` waits for it, so the trainer never
/// runs more than `slotCount` snapshots ahead of the file. A batch is appended with one extension and one write
/// per dataset, so the cost per snapshot of a small network falls as snapshots come faster.
///
/// With `testLoss` set (the trainer sets it when BLAS runs on one thread, so that a second core is free and the
/// two threads' BLAS calls do not share OpenBLAS's thread pool), the writer thread also evaluates each snapshot's
/// test loss from the slot's copy of the parameters, with the trainer's code, so its value is the same bit for
/// bit as one computed in line.
///
/// What is in the file: a snapshot is there once its batch has been flushed. A run stopped by SIGINT/SIGTERM,
/// divergence or the end of training drains the queue first (`finish`), so every snapshot taken is in the file;
/// a process killed outright (SIGKILL, power loss) loses the snapshots still queued, at most `slotCount`, and
/// the file still ends at a consistent snapshot, with the optimizer state of its last checkpoint (from which a
/// resume continues).
final class SnapshotPipeline {
    /// One snapshot on its way to the file. Its buffers are allocated once and reused.
    final class Slot {
        var record: SnapshotRecord
        let parameters: Parameters
        var optimizer: OptimizerSnapshot
        /// Whether `optimizer` holds this snapshot's state (a checkpoint); else the trainer did not copy it.
        var carriesOptimizerState = false
        var stepLosses: [Double] = []
        /// Whether the writer thread still has to compute `record.testLoss`.
        var needsTestLoss = false
        /// Where the snapshot's losses are in the trainer's `history`.
        var historyIndex = 0
        /// When it was submitted (`DispatchTime` nanoseconds): the writer lets no snapshot wait longer than
        /// `maxDelay`.
        var submittedAt: UInt64 = 0

        init(architecture: Architecture, optimizerKind: String) {
            record = SnapshotRecord(step: 0, epoch: 0, wallTime: 0, trainLoss: .nan, testLoss: .nan, learningRate: 0)
            // The largest layer's copy starts on a page, so the run writer sends it to disk without another copy.
            func size(_ l: Int) -> Int { architecture.fanOut(layer: l) * (architecture.fanIn(layer: l) + 1) }
            let largest = (0..<architecture.layerCount).max { size($0) < size($1) }
            parameters = Parameters(architecture: architecture, pageAlignedLayer: largest)
            optimizer = OptimizerSnapshot(kind: optimizerKind, step: 0, optimizerSteps: 0, buffers: [:],
                                          rngDropout: [], rngShuffle: [], batchOrder: [], batchCursor: 0)
        }
    }

    /// How many snapshots may wait for the writer: as many as fit in `queueBytes` (parameters and optimizer
    /// state per slot), at least 2 and at most 1024. Small networks get many, so the writer thread appends them
    /// in large batches; a network of a million parameters gets 2.
    static func slotCount(parameters: Int, optimizerBuffers: Int, queueBytes: Int = queueBytes) -> Int {
        let bytes = max(1, parameters * (1 + optimizerBuffers) * MemoryLayout<Double>.size)
        return max(2, min(1024, queueBytes / bytes))
    }

    static let queueBytes = 48 << 20

    /// The writer starts on a batch once half the slots are queued, or once the oldest queued snapshot has waited
    /// `maxDelay` seconds, whichever comes first; a drain or close starts it at once. Each batch costs a write per
    /// dataset, the optimizer state and an HDF5 flush, whatever its size (milliseconds of the writer's CPU), so
    /// waking for every snapshot of a small network would keep the writer busy all the time and slow training
    /// down, and even a batch every 0.05 s cost a small network's run several percent of its CPU time
    /// (`tools/bench/results.md`). A snapshot thus reaches the file within about `maxDelay` plus one write; 0 writes every
    /// snapshot at once (the kill tests, which must know what a kill leaves, set it through the trainer's
    /// `snapshotMaxDelay`).
    let maxDelay: Double
    static let defaultMaxDelay = 0.25

    /// Queued snapshots that start a batch before `maxDelay` (half the pool, at least one).
    let batchSize: Int

    let slotCount: Int

    private let writer: RunWriter
    private let testLoss: ((Parameters) -> Double)?
    /// Classification runs: the test accuracy, computed with the test loss (same thread, same workspace).
    private let testAccuracy: ((Parameters) -> Double)?
    private let condition = NSCondition()
    /// Slots the writer has handed back; the pool grows to `slotCount` slots as the trainer first needs them (a
    /// short run uses a few, and allocating, clearing and faulting in hundreds of small copies up front cost a small
    /// network's short run, and each network of a seed batch, more than its training). Once grown, no allocation.
    private var free: [Slot] = []
    private var allocatedSlots = 0
    private let architecture: Architecture
    private let optimizerKind: String
    private var queued: [Slot] = []
    private var writing = false
    private var closing = false
    /// Callers of `drain` waiting for the queue to empty.
    private var draining = 0
    /// Whether a batch has been written (the first snapshot is not held back).
    private var wroteFirst = false
    private var failure: Error?
    /// Test losses computed by the writer thread, for the trainer's history: (history index, loss).
    private var computedTestLosses: [(Int, Double)] = []
    private let finished = DispatchSemaphore(value: 0)
    /// The writer thread's buffer for a batch's step losses, one snapshot's after another (the weights go to the
    /// run writer from the slots themselves).
    private var gatheredLosses: [Double] = []

    init(writer: RunWriter, architecture: Architecture, optimizerKind: String, optimizerBuffers: Int,
         testLoss: ((Parameters) -> Double)?, testAccuracy: ((Parameters) -> Double)? = nil,
         maxDelay: Double = SnapshotPipeline.defaultMaxDelay, queueBytes: Int = SnapshotPipeline.queueBytes) {
        self.writer = writer
        self.maxDelay = max(0, maxDelay)
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        let layout = Parameters(architecture: architecture).layout
        let slots = Self.slotCount(parameters: layout.last.map { $0.offset + $0.count } ?? 0,
                                   optimizerBuffers: optimizerBuffers, queueBytes: queueBytes)
        slotCount = slots
        batchSize = max(1, slots / 2)
        self.architecture = architecture
        self.optimizerKind = optimizerKind
        let thread = Thread { [self] in run() }
        thread.name = "condense-snapshot-writer"
        thread.start()
    }

    /// Whether the writer thread evaluates test losses (else the trainer fills `record.testLoss` itself).
    var computesTestLoss: Bool { testLoss != nil }

    /// A free slot (a new one while the pool is below `slotCount`); waits while all are queued. Rethrows the
    /// writer's first error.
    func acquire() throws -> Slot {
        condition.lock()
        while free.isEmpty && allocatedSlots >= slotCount && failure == nil { condition.wait() }
        if let failure { condition.unlock(); throw failure }
        if let slot = free.popLast() { condition.unlock(); return slot }
        allocatedSlots += 1
        condition.unlock()
        return Slot(architecture: architecture, optimizerKind: optimizerKind)
    }

    /// Queues a filled slot for the writer thread (waking it when the queue starts and when a batch is full).
    func submit(_ slot: Slot) {
        slot.submittedAt = DispatchTime.now().uptimeNanoseconds
        condition.lock()
        queued.append(slot)
        // Wake the writer when the queue starts (it then sleeps until the snapshot is due) and when a batch is full.
        if queued.count == 1 || queued.count >= batchSize { condition.broadcast() }
        condition.unlock()
    }

    /// Waits until every submitted snapshot is in the file (flushed), then hands over the test losses the writer
    /// computed since the last call. Rethrows the writer's first error.
    func drain() throws -> [(Int, Double)] {
        condition.lock()
        defer { condition.unlock() }
        draining += 1
        condition.broadcast()
        while (!queued.isEmpty || writing) && failure == nil { condition.wait() }
        draining -= 1
        if let failure { throw failure }
        let losses = computedTestLosses
        computedTestLosses.removeAll()
        return losses
    }

    /// Stops the writer thread after it has written what is queued (unless it failed) and waits for it. After
    /// `close` the trainer may use the `RunWriter` directly again.
    func close() {
        condition.lock()
        let wasClosing = closing
        closing = true
        condition.broadcast()
        condition.unlock()
        if !wasClosing { finished.wait() }
    }

    // MARK: - The writer thread

    private func run() {
        condition.lock()
        while true {
            if failure != nil || (closing && queued.isEmpty) { break }
            let now = DispatchTime.now().uptimeNanoseconds
            let delay = UInt64(maxDelay * 1e9)
            // The first snapshot goes at once: until it is flushed the file holds no snapshot to resume from
            // (and a live file is not yet open to readers).
            let due = !queued.isEmpty && (closing || draining > 0 || queued.count >= batchSize || !wroteFirst
                                          || now &- queued[0].submittedAt >= delay)
            if queued.isEmpty {
                condition.wait()      // `submit` wakes it for the first snapshot queued; `close` too
                continue
            }
            if !due {
                // Sleep until the oldest snapshot is due; a full batch, `drain` and `close` wake it earlier.
                let wait = delay - min(delay, now &- queued[0].submittedAt)
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait) / 1e9))
                continue
            }
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            writing = true
            condition.unlock()
            let result = Result { try write(batch) }
            condition.lock()
            writing = false
            wroteFirst = true
            if case .failure(let error) = result, failure == nil { failure = error }
            for slot in batch where !slot.needsTestLoss && testLoss != nil {
                computedTestLosses.append((slot.historyIndex, slot.record.testLoss))
            }
            free.append(contentsOf: batch)
            condition.broadcast()
        }
        // After a failure, what is still queued is dropped; `acquire`/`drain` report the failure.
        queued.removeAll()
        condition.broadcast()
        condition.unlock()
        finished.signal()
    }

    private func write(_ batch: [Slot]) throws {
        if let testLoss {
            for slot in batch where slot.needsTestLoss {
                slot.record.testLoss = testLoss(slot.parameters)
                if let testAccuracy { slot.record.testAccuracy = testAccuracy(slot.parameters) }
                slot.needsTestLoss = false
            }
        }
        let layers = batch[0].parameters.layout.indices
        let weights = layers.map { l in batch.map { UnsafeBufferPointer($0.parameters.block(layer: l)) } }
        gatheredLosses.removeAll(keepingCapacity: true)
        for slot in batch { gatheredLosses.append(contentsOf: slot.stepLosses) }
        try gatheredLosses.withUnsafeBufferPointer { losses in
            try writer.appendSnapshots(batch.map(\.record), layerWeights: weights, stepLosses: losses,
                                       optimizer: batch.last(where: \.carriesOptimizerState)?.optimizer)
        }
    }
}
