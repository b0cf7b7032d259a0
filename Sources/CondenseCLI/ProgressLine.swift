import Foundation
import Training

/// One self-overwriting line on a terminal: step, loss, steps/s, time left. Silent when not enabled.
final class ProgressLine {
    let enabled: Bool
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: TrainingProgress) {
        guard enabled else { return }
        let left = p.stepsPerSecond > 0 ? Double(p.totalSteps - p.step) / p.stepsPerSecond : .nan
        let text = String(format: "\rstep %d/%d  loss %.4e  %.0f steps/s  ", p.step, p.totalSteps, p.loss,
                          p.stepsPerSecond) + Self.duration(left) + " left   "
        FileHandle.standardError.write(Data(text.utf8))
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        if s < 60 { return String(format: "%.0fs", s) }
        if s < 3600 { return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60) }
        return String(format: "%dh%02dm", Int(s) / 3600, (Int(s) % 3600) / 60)
    }
}
