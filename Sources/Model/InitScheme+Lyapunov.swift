import Foundation
import Theory

extension InitScheme {
    /// The Lyapunov closed forms for (width, slope), computed once per process: a deep network has many blocks
    /// of one width, and each computation is a mixture of Beta quadratures (milliseconds at width 1000).
    static func lyapunov(width: Int, slope: Double) throws -> LeakyReLULyapunov {
        try LyapunovCache.shared.value(width: width, slope: slope)
    }
}
