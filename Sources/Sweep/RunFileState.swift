import Foundation
import RunFormat

/// What the run file on disk says about resuming.
enum RunFileState {
    case absent, resumable, finished

    init(path: String) {
        guard FileManager.default.fileExists(atPath: path), let reader = try? RunReader(path: path) else {
            self = .absent
            return
        }
        defer { try? reader.close() }
        switch reader.status {
        case .completed?, .stopped?: self = .finished
        case .diverged?, .failed?: self = .absent
        default: self = reader.snapshotCount > 0 && reader.configJSON != nil ? .resumable : .absent
        }
    }
}
