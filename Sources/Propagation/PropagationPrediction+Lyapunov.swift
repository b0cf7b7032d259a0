import Foundation
import Theory

extension PropagationPrediction {
    /// log‖x_l‖ by the Lyapunov exponent and CLT variance per layer. Returns why it does not apply, or nil.
    mutating func fillLyapunov(_ setup: PropagationSetup, _ law: WeightLaw, _ slope: Double?) throws -> String? {
        "the Lyapunov formulas (LeakyReLULyapunov, branch init) are not in this build"
    }
}
