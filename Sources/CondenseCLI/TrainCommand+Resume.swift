import ArgumentParser

/// What `condense train --resume` accepts besides the run file.
///
/// A resume continues the stored run exactly as it was configured (`Trainer(resuming:)` reads the configuration
/// from the file): it honors a new step total, and how this process runs and writes — threads, `--live`,
/// `--sync-snapshots`, `--checkpoint-every`, `--quiet`, `--progress`. Every other option would be ignored, and was:
/// `--resume r.h5 --activation relu --hidden 7 --lr 5` exited 0 after training the stored 50-wide tanh net. They
/// are refused in one line naming them. (`--stop-loss` and `--snapshots` are stored in the run's configuration
/// and are not changed by a resume either.)
extension TrainCommand {
    /// The options that go with `--resume`, as the help and the refusal name them.
    static let resumeOptions = "--steps, --threads, --live, --sync-snapshots, --checkpoint-every, --quiet, --progress"

    /// The options given on this command line that a resume would ignore.
    var optionsIgnoredByResume: [String] {
        let o = output, n = network, i = initialization, p = optimization, d = data
        let given: [(String, Bool)] = [
            ("-o", o.outputPath != nil), ("--force", o.force), ("--compress", o.compress != nil),
            ("--hidden", n.hidden != nil), ("--activation", !n.activation.isEmpty),
            ("--hidden-bias", n.hiddenBias != nil), ("--readout-bias", n.readoutBias != nil),
            ("--residual", n.residual != nil), ("--dropout", n.dropout != nil), ("--alpha", n.alpha != nil),
            ("--init", i.`init` != nil), ("--gamma", i.gamma != nil), ("--init-std", i.initStd != nil),
            ("--readout-init", i.readoutInit != nil), ("--readout-gamma", i.readoutGamma != nil),
            ("--readout-std", i.readoutStd != nil),
            ("--optimizer", p.optimizer != nil), ("--lr", p.lr != nil), ("--momentum", p.momentum != nil),
            ("--beta1", p.beta1 != nil), ("--beta2", p.beta2 != nil), ("--eps", p.eps != nil),
            ("--weight-decay", p.weightDecay != nil), ("--lr-schedule", p.lrSchedule != nil), ("--loss", p.loss != nil),
            ("--stop-loss", p.stopLoss != nil), ("--batch-size", p.batchSize != nil), ("--full-batch", p.fullBatch),
            ("--snapshots", p.snapshots != nil), ("--seed", p.seed != nil),
            ("--target", d.target != nil), ("--n-train", d.nTrain != nil), ("--n-test", d.nTest != nil),
            ("--input-dim", d.inputDim != nil), ("--data", d.data != nil), ("--test-data", d.testData != nil),
            ("--x-cols", d.xCols != nil), ("--y-cols", d.yCols != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        try validateSeeds()
        guard output.resume != nil else { return }
        let ignored = optionsIgnoredByResume
        guard ignored.isEmpty else {
            throw ValidationError("--resume continues the run as stored, so \(ignored.joined(separator: ", ")) "
                                  + "would be ignored: drop \(ignored.count == 1 ? "it" : "them") (with --resume only "
                                  + "\(Self.resumeOptions) apply; start a changed run with --from)")
        }
    }
}
