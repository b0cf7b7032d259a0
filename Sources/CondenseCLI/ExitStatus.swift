import ArgumentParser
import Foundation

/// Exit statuses beyond 0 (success) and 2 (bad input).
enum ExitStatus {
    static let diverged: Int32 = 3
    static let interrupted: Int32 = 130
}
