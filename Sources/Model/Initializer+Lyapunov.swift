import Foundation
import Theory

extension InitScheme {
    /// The Lyapunov closed forms for (width, slope), computed once per process: a deep network has many blocks
    /// of one width, and each computation is a mixture of Beta quadratures (milliseconds at width 1000).
    static func lyapunov(width: Int, slope: Double) throws -> LeakyReLULyapunov {
        try LyapunovCache.shared.value(width: width, slope: slope)
    }
}

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
