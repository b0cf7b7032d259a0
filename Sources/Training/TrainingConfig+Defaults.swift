import Model

extension TrainingConfig {
    /// The main paper's 5-D experiment (P1 Fig. 2a): 5-50-1 tanh, y = Σ 3.5 sin(5x_k+1) on 80 points of U[-4,2]^5,
    /// every parameter ~ N(0, 0.005²), Adam lr 1e-3 full batch for 100 steps, loss 1/(2n)Σ(f−y)², snapshots every
    /// 10 steps. `condense train` with no options runs this.
    public static var paperDefault: TrainingConfig {
        TrainingConfig(
            architecture: Architecture(inputDim: 5, hiddenWidths: [50], outputDim: 1, activations: ["tanh"]),
            hiddenInit: .gaussian(std: 0.005), readoutInit: .gaussian(std: 0.005),
            optimizer: OptimizerConfig.adam(lr: 1e-3),
            learningRateSchedule: .constant, loss: .halfSum, steps: 100, stopLoss: nil, batchSize: nil,
            data: .builtin(target: .sin5d, n: nil, nTest: nil, inputDim: nil),
            snapshots: .every(10), seed: 1)
    }
}
