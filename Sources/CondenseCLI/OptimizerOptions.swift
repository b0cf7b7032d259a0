import ArgumentParser
import Model
import Training

/// Optimizer, learning rate, loss, duration, batches and snapshots.
struct OptimizerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The optimizer (default: adam).", valueName: "name"))
    var optimizer: OptimizerChoice?

    @Option(parsing: .unconditional, help: ArgumentHelp("Learning rate (default: 1e-3).", valueName: "η"))
    var lr: Double?

    @Option(parsing: .unconditional, help: "Momentum factor (default: 0.9 with --optimizer momentum or nesterov, 0 with sgd).")
    var momentum: Double?

    @Option(name: .customLong("beta1"), parsing: .unconditional, help: "Adam β₁ (default: 0.9).")
    var beta1: Double?

    @Option(name: .customLong("beta2"), parsing: .unconditional, help: "Adam β₂ (default: 0.999).")
    var beta2: Double?

    @Option(parsing: .unconditional, help: "Adam ε, added outside the square root as in PyTorch (default: 1e-8).")
    var eps: Double?

    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "L2 weight decay added to the gradient, PyTorch semantics (default: 0).")
    var weightDecay: Double?

    @Option(name: .customLong("lr-schedule"),
            help: ArgumentHelp("constant or step(every=N,factor=f).", valueName: "schedule"))
    var lrSchedule: String?

    @Option(help: ArgumentHelp("The training loss (default: half-sum).", valueName: "kind"))
    var loss: LossKind?

    @Option(parsing: .unconditional, help: "Optimizer steps, e.g. 20000 or 2e4 (default: 100; with --resume: the new total).",
            transform: IntegerArgument.parse)
    var steps: Int?

    @Option(name: .customLong("stop-loss"), parsing: .unconditional, help: ArgumentHelp("Stop once the training loss is at or below this.", valueName: "value"))
    var stopLoss: Double?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Mini-batch size (default: full batch); batches are shuffled per epoch.", transform: IntegerArgument.parse)
    var batchSize: Int?

    @Flag(name: .customLong("full-batch"), help: "Use the whole training set every step (the default).")
    var fullBatch = false

    @Option(help: ArgumentHelp("every:K (steps), every:Kepochs, log:N (N log-spaced steps) or list:0,5,100; steps 0 and the last are always kept (default: every:10).",
                               valueName: "schedule"))
    var snapshots: String?

    @Option(parsing: .unconditional, help: "Seed of every random draw: initialization, data, shuffling, dropout (default: 1).")
    var seed: UInt64?

    /// What can be checked without the configuration the options change (the defaults, or `--from`'s).
    func validate() throws {
        if optimizer == .adam && momentum != nil {
            throw ValidationError("--momentum is for SGD (--optimizer sgd, momentum or nesterov); Adam's is --beta1")
        }
        if let optimizer, optimizer != .adam, let name = adamOnlyOptionGiven {
            throw ValidationError("\(name) is for Adam (--optimizer adam)")
        }
        if fullBatch && batchSize != nil { throw ValidationError("--full-batch and --batch-size cannot be combined") }
        do {
            if let lrSchedule { _ = try LearningRateSchedule(parsing: lrSchedule) }
            if let snapshots { _ = try SnapshotSchedule(parsing: snapshots) }
        } catch { throw ValidationError("\(error)") }
    }

    /// The first of --beta1, --beta2, --eps given.
    private var adamOnlyOptionGiven: String? {
        [("--beta1", beta1), ("--beta2", beta2), ("--eps", eps)].first { $0.1 != nil }?.0
    }

    func apply(to c: inout TrainingConfig) throws {
        var o = c.optimizer
        if let optimizer { optimizer.apply(to: &o, momentum: momentum) } else if let momentum { o.momentum = momentum }
        if let lr { o.lr = lr }
        if let beta1 { o.beta1 = beta1 }
        if let beta2 { o.beta2 = beta2 }
        if let eps { o.eps = eps }
        if let weightDecay { o.weightDecay = weightDecay }
        c.optimizer = o
        // Without --optimizer the optimizer is the configuration's (the default Adam, or --from's): an option of
        // the other one would go unused without a word.
        if o.kind == .adam && momentum != nil {
            throw UsageError.option("--momentum is for SGD (--optimizer sgd, momentum or nesterov); Adam's is --beta1")
        }
        if o.kind == .sgd, let name = adamOnlyOptionGiven { throw UsageError.option("\(name) is for Adam (--optimizer adam)") }
        if let lrSchedule { c.learningRateSchedule = try LearningRateSchedule(parsing: lrSchedule) }
        if let loss { c.loss = loss }
        if let steps { c.steps = steps }
        if let stopLoss { c.stopLoss = stopLoss }
        if fullBatch { c.batchSize = nil }
        if let batchSize { c.batchSize = batchSize }
        if let snapshots { c.snapshots = try SnapshotSchedule(parsing: snapshots) }
        if let seed { c.seed = seed }
    }
}
