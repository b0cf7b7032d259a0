extension Optimizer {
    /// The optimizer's state under PyTorch's names: `"step"` (one value, the step count), and
    /// `"momentum_buffer"` (SGD with momentum, once a step has set it) or `"exp_avg"` and `"exp_avg_sq"` (Adam).
    public func saveState() -> [String: [Double]] {
        var state: [String: [Double]] = ["step": [Double(stepCount)]]
        switch config.kind {
        case .sgd:
            if momentumBuffer.count > 0 && momentumInitialized { state["momentum_buffer"] = Array(momentumBuffer) }
        case .adam:
            state["exp_avg"] = Array(expAvg)
            state["exp_avg_sq"] = Array(expAvgSq)
        }
        return state
    }

    /// How many parameter-sized buffers the state holds (Adam 2, SGD with momentum 1, plain SGD 0), without
    /// copying them as `saveState` does.
    public var stateBufferCount: Int { expAvg.count > 0 ? 2 : (momentumBuffer.count > 0 ? 1 : 0) }

    /// What `saveState` returns without `"step"`, copied into `buffers`, reusing its arrays when they already have
    /// the right length (so a caller that keeps one dictionary allocates only the first time).
    public func copyBuffers(into buffers: inout [String: [Double]]) {
        func copy(_ name: String, _ source: UnsafeMutableBufferPointer<Double>) {
            if buffers[name]?.count == source.count {
                buffers[name]!.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: source) }
            } else {
                buffers[name] = Array(source)
            }
        }
        switch config.kind {
        case .sgd:
            if momentumBuffer.count > 0 && momentumInitialized { copy("momentum_buffer", momentumBuffer) }
            else { buffers["momentum_buffer"] = nil }
        case .adam:
            copy("exp_avg", expAvg)
            copy("exp_avg_sq", expAvgSq)
        }
    }

    /// Restores what `saveState` returned, so that the next `step` continues bit-identically. Checks every buffer
    /// before changing anything; throws a one-line `TrainingError` for a missing, misshapen or non-finite entry.
    public func restoreState(_ state: [String: [Double]]) throws {
        guard let s = state["step"], s.count == 1, s[0].isFinite, s[0] >= 0, s[0] == s[0].rounded(),
              s[0] < 9.0e15 else {
            throw TrainingError.run("optimizer state needs 'step' as one whole number ≥ 0 (got \(state["step"] ?? []))")
        }
        let steps = Int(s[0])
        func checked(_ name: String, _ count: Int) throws -> [Double] {
            guard let values = state[name] else {
                throw TrainingError.run("optimizer state lacks '\(name)' (\(config.kind.rawValue) after \(steps) steps)")
            }
            guard values.count == count else {
                throw TrainingError.run("optimizer state '\(name)' has \(values.count) values; this network has \(count) parameters")
            }
            if let bad = values.first(where: { !$0.isFinite }) {
                throw TrainingError.run("optimizer state '\(name)' holds the non-finite value \(bad)")
            }
            return values
        }
        switch config.kind {
        case .sgd:
            if momentumBuffer.count > 0 {
                // torch's buffer is None until the first step; a state from step 0 may omit it.
                if steps == 0 && state["momentum_buffer"] == nil {
                    momentumBuffer.update(repeating: 0)
                    momentumInitialized = false
                } else {
                    let b = try checked("momentum_buffer", parameterCount)
                    _ = momentumBuffer.update(fromContentsOf: b)
                    momentumInitialized = true
                }
            }
        case .adam:
            let m = try checked("exp_avg", parameterCount)
            let v = try checked("exp_avg_sq", parameterCount)
            if let bad = v.first(where: { $0 < 0 }) {
                throw TrainingError.run("optimizer state 'exp_avg_sq' holds the negative value \(bad)")
            }
            _ = expAvg.update(fromContentsOf: m)
            _ = expAvgSq.update(fromContentsOf: v)
        }
        stepCount = steps
    }
}
