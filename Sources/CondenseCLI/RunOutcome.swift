import RunFormat
import Training

/// One finished run: how it ended and its losses per snapshot step.
struct RunOutcome {
    var status: RunStatus
    var history: [LossRecord]
}
