import ArgumentParser
import Foundation

/// An error raised by our own checks; its description is the one line shown to the user.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
