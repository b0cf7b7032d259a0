import Foundation
import Theory

/// A process-wide, thread-safe memo of `LeakyReLULyapunov` values (only successful ones are kept).
final class LyapunovCache: @unchecked Sendable {
    static let shared = LyapunovCache()
    private struct Key: Hashable { let width: Int; let slopeBits: UInt64 }
    private let lock = NSLock()
    private var values: [Key: LeakyReLULyapunov] = [:]

    func value(width: Int, slope: Double) throws -> LeakyReLULyapunov {
        let key = Key(width: width, slopeBits: slope.bitPattern)
        lock.lock()
        let known = values[key]
        lock.unlock()
        if let known { return known }
        let computed = try LeakyReLULyapunov(width: width, slope: slope)
        lock.lock()
        values[key] = computed
        lock.unlock()
        return computed
    }
}
