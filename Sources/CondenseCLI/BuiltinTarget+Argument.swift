import ArgumentParser
import Training

/// `--target`: a built-in target by its name (in any case).
extension BuiltinTarget: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    public static var allValueDescriptions: [String: String] {
        ["sin5d": "Σ 3.5 sin(5x_k+1) on U[-4,2]^5 (the default; P1 Fig. 2)",
         "sin5d-low": "Σ 3.5 sin(2x_k+1) on sin5d's inputs (P1 Fig. 4a)",
         "sin3d": "Σ 4 sin(12x_k+1) on U[-4,2]^3 (P1 Fig. 3)",
         "sin1d": "sin(3x) + sin(6x)/2 on a grid of [-1,1.5] (P1 Fig. 5)",
         "tworelu1d": "0.2 ReLU(x-1/3) + 0.2 ReLU(-x-1/3) at 4 points (the notebook)",
         "teacher": "Σ_j a_j tanh(w_j·x), x ~ N(0, I_d) (--input-dim, default 10)"]
    }
}
