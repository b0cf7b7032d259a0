import ArgumentParser
import Foundation
import Training

/// Step, loss, steps/s and time left, as a self-overwriting terminal line or as periodic plain lines.
final class ProgressLine {
    static let lineInterval = 30.0
    let mode: ProgressMode
    private var shown = false
    private var lastLine = -Double.infinity

    /// `quiet` turns progress off whatever the mode; `auto` resolves by whether stderr is a terminal.
    init(mode: ProgressMode, quiet: Bool) {
        if quiet { self.mode = .none } else if mode == .auto {
            self.mode = isatty(STDERR_FILENO) == 1 ? .terminal : .lines
        } else { self.mode = mode }
    }

    func show(_ p: TrainingProgress) {
        switch mode {
        case .none, .auto: return
        case .terminal:
            FileHandle.standardError.write(Data(("\r" + Self.text(p) + "   ").utf8))
            shown = true
        case .lines:
            let now = ProcessInfo.processInfo.systemUptime
            guard now - lastLine >= Self.lineInterval || p.step == p.totalSteps else { return }
            lastLine = now
            FileHandle.standardError.write(Data((Self.text(p) + "\n").utf8))
        }
    }

    func clear() {
        guard mode == .terminal, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func text(_ p: TrainingProgress) -> String {
        let left = p.stepsPerSecond > 0 ? Double(p.totalSteps - p.step) / p.stepsPerSecond : .nan
        return String(format: "step %d/%d  loss %.4e  %.0f steps/s  ", p.step, p.totalSteps, p.loss, p.stepsPerSecond)
            + duration(left) + " left"
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        if s < 60 { return String(format: "%.0fs", s) }
        if s < 3600 { return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60) }
        return String(format: "%dh%02dm", Int(s) / 3600, (Int(s) % 3600) / 60)
    }
}
