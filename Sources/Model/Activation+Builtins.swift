import Foundation

extension Activation {
    /// The canonical spec of every built-in activation (leaky_relu with its default slope), in the
    /// order `--help` lists them.
    public static let builtinNames: [String] = [
        "relu", "leaky_relu(0.01)", "tanh", "sigmoid", "softplus", "silu", "gelu", "xtanh", "x2tanh", "linear",
    ]

    /// The slope of leaky_relu for x < 0 when none is given.
    public static let defaultLeakySlope = 0.01

    /// The built-in names, without leaky_relu's slope, with the aliases they also accept.
    static let builtinAliases: [String: String] = [
        "relu": "relu", "leaky_relu": "leaky_relu", "leakyrelu": "leaky_relu", "lrelu": "leaky_relu",
        "tanh": "tanh", "sigmoid": "sigmoid", "logistic": "sigmoid", "softplus": "softplus",
        "silu": "silu", "swish": "silu", "gelu": "gelu", "xtanh": "xtanh", "x_tanh": "xtanh",
        "x2tanh": "x2tanh", "x2_tanh": "x2tanh", "linear": "linear", "identity": "linear",
    ]

    /// The expression that defines a built-in; its Taylor series gives the multiplicity, and the
    /// tests check the hand-written kernel against it.
    static func builtinDefinition(_ name: String, slope: Double = defaultLeakySlope) -> Expression? {
        let text: String
        switch name {
        case "relu": text = "relu(x)"
        case "leaky_relu": text = "relu(x)-\(Expression.compact(slope))*relu(-x)"
        case "tanh": text = "tanh(x)"
        case "sigmoid": text = "sigmoid(x)"
        case "softplus": text = "softplus(x)"
        case "silu": text = "x*sigmoid(x)"
        case "gelu": text = "x*(1+erf(x/sqrt(2)))/2"
        case "xtanh": text = "x*tanh(x)"
        case "x2tanh": text = "x^2*tanh(x)"
        case "linear": text = "x"
        default: return nil
        }
        return try? Expression(parsing: text)
    }

    /// The built-in of that canonical name (see `builtinAliases`), with its hand-written kernel.
    static func builtin(_ name: String, slope: Double = defaultLeakySlope) -> Activation? {
        guard let definition = builtinDefinition(name, slope: slope) else { return nil }
        let multiplicity = definition.multiplicity()
        func make(_ spec: String, _ f: @escaping @Sendable (Double) -> (value: Double, derivative: Double),
                  _ kernel: @escaping @Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                                 UnsafeMutableBufferPointer<Double>?) -> Void) -> Activation {
            Activation(spec: spec, multiplicity: multiplicity, scalar: f, kernel: kernel)
        }
        switch name {
        case "relu":
            return make("relu", BuiltinKernels.relu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.relu) }
        case "leaky_relu":
            let f: @Sendable (Double) -> (value: Double, derivative: Double) = { x in
                x > 0 ? (x, 1) : (slope * x, slope)
            }
            return make("leaky_relu(\(Expression.compact(slope)))", f) { z, v, d in
                BuiltinKernels.map(z, v, d) { x in x > 0 ? (x, 1) : (slope * x, slope) }
            }
        case "tanh":
            return make("tanh", BuiltinKernels.tanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.tanhWithDerivative)
            }
        case "sigmoid":
            return make("sigmoid", BuiltinKernels.sigmoid) { z, v, d in
                BuiltinKernels.map(z, v, d, BuiltinKernels.sigmoid)
            }
        case "softplus":
            return make("softplus", BuiltinKernels.softplus) { z, v, d in
                BuiltinKernels.map(z, v, d, BuiltinKernels.softplus)
            }
        case "silu":
            return make("silu", BuiltinKernels.silu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.silu) }
        case "gelu":
            return make("gelu", BuiltinKernels.gelu) { z, v, d in BuiltinKernels.map(z, v, d, BuiltinKernels.gelu) }
        case "xtanh":
            return make("xtanh", BuiltinKernels.xtanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.xtanhWithDerivative)
            }
        case "x2tanh":
            return make("x2tanh", BuiltinKernels.x2tanh) { z, v, d in
                BuiltinKernels.mapVector(z, v, d, VectorMath.x2tanhWithDerivative)
            }
        case "linear":
            return make("linear", BuiltinKernels.linear) { z, v, d in
                if let zb = z.baseAddress, let vb = v.baseAddress { vb.update(from: zb, count: z.count) }
                if let d, let db = d.baseAddress { db.update(repeating: 1, count: d.count) }
            }
        default:
            return nil
        }
    }
}
