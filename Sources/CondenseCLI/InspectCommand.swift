import ArgumentParser
import Foundation
import RunFormat

/// `condense inspect run.h5`: what a run file holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a run file holds: layers, shapes, snapshots, steps, losses and configuration.")

    @Argument(help: "The run file.")
    var path: String

    @Flag(help: "Print the full configuration JSON.")
    var config = false

    func run() throws {
        let r = try RunReader(path: path)
        defer { try? r.close() }
        let steps = try r.steps()
        var out = "run file    \(path)\n"
        out += "format      \(RunFileFormat.name) \(r.formatVersion), written by \(r.creator)\n"
        let message = r.statusMessage.isEmpty ? "" : " (\(r.statusMessage))"
        out += "status      \(r.statusText)\(message)\n"
        if !r.commandLine.isEmpty { out += "command     \(r.commandLine)\n" }
        if let seed = r.seed { out += "seed        \(seed)\n" }
        out += "snapshots   \(steps.count)"
        if let first = steps.first, let last = steps.last { out += ", steps \(first) … \(last)" }
        out += "\n"
        if let losses = try r.stepLosses() { out += "step losses \(losses.count)\n" }
        out += "layers\n"
        for l in r.layers {
            var line = "  \(l.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(l.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) weights (\(steps.count), \(l.width), \(l.components))"
            if let a = l.activation { line += "  \(a)" }
            if l.kind == .hidden { line += "  p = \(l.multiplicity.map(String.init) ?? "undefined")" }
            if !l.hasBias { line += "  no bias" }
            if l.residual { line += "  residual" }
            if l.dropout > 0 { line += "  dropout \(l.dropout)" }
            out += line + "\n"
        }
        for split in ["train", "test"] {
            if let d = try r.data(split) {
                out += "data/\(split)  \(d.n) samples, \(d.inputDim) inputs, \(d.outputDim) outputs\n"
                if let p = d.provenance { out += "  provenance \(p)\n" }
            }
        }
        if let train = try r.snapshotVariable("train_loss"), let test = try r.snapshotVariable("test_loss"),
           !steps.isEmpty {
            let kind = r.lossKind() ?? "?"
            // Classification runs also show the accuracies.
            var accuracy: ([Double], [Double])?
            if let a = try r.snapshotVariable("train_accuracy"), let t = try r.snapshotVariable("test_accuracy") { accuracy = (a, t) }
            out += "loss (\(kind))\n"
            out += "  step        train        test" + (accuracy == nil ? "" : "  accuracy train   test") + "\n"
            for i in Self.rowsToShow(steps.count) {
                out += "  " + String(steps[i]).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + Self.format(train[i]) + "  " + Self.format(test[i])
                if let (a, t) = accuracy { out += String(format: "          %.4f %.4f", a[i], t[i]) }
                out += "\n"
            }
        }
        if let opt = try r.optimizerState() {
            out += "optimizer   \(opt.kind), state at step \(opt.step) (\(opt.optimizerSteps) updates)\n"
        }
        // A damaged /analysis (an older condense killed while writing it) must not hide the rest of the file.
        let storedAnalysis: [(layer: String, stage: LayerStageRecord)]?
        do { storedAnalysis = try r.storedAnalysis() } catch {
            storedAnalysis = nil
            out += "analysis    unreadable (\(error)); run condense analyze again to replace it\n"
        }
        if let analysis = storedAnalysis {
            for (layer, stage) in analysis {
                let what = stage.initialStage == nil ? "never condensed"
                    : "initial stage \(stage.initialOrientations) orientations, \(stage.initialLines) lines: \(stage.initialVerdict)"
                out += "analysis    \(layer): \(what)\n"
            }
        }
        if config, let json = r.configJSON { out += "config      \(json)\n" }
        print(out, terminator: "")
    }

    /// First, last and a few in between.
    static func rowsToShow(_ n: Int) -> [Int] {
        if n <= 8 { return Array(0..<n) }
        return Array(Set((0..<6).map { $0 * (n - 1) / 6 } + [n - 1])).sorted()
    }

    static func format(_ x: Double) -> String {
        x.isNaN ? "        nan" : String(format: "%11.4e", x)
    }
}
