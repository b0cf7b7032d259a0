import Foundation

extension Activation {
    /// Parses an activation spec (case-insensitive; spaces allowed):
    /// - a built-in: `relu`, `leaky_relu` (slope 0.01) or `leaky_relu(0.2)`, `tanh`, `sigmoid`,
    ///   `softplus`, `silu`, `gelu` (x·Φ(x), exact erf form), `xtanh` (x·tanh x), `x2tanh` (x²·tanh x),
    ///   `linear` (alias `identity`);
    /// - an expression in x, as `expr:<text>` or as any text that is not a built-in name but parses as
    ///   an expression (`x^3*tanh(x)`, `log(1+exp(x))`, `1-cos(x)`); see `Activation.Expression`.
    ///
    /// The result's `spec` is canonical: `Activation(parsing: a.spec)` is the same function.
    /// Throws `ModelError.activation` for an unknown name, a malformed expression (with its column), an
    /// expression without x, or one that is not finite at 0 or not defined on the real line.
    public init(parsing spec: String) throws {
        // The expression limit bounds every spec, before trimming and lowercasing walk a huge text.
        if spec.utf8.count > Expression.maximumLength + 64, spec.prefix(Expression.maximumLength + 65).count > Expression.maximumLength + 64 {
            throw ModelError.activation("activation is longer than the limit of \(Expression.maximumLength) characters "
                                  + "(it starts \"\(TextExcerpt.of(spec))\")")
        }
        let trimmed = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = String(trimmed.map { c -> Character in
            if let a = c.asciiValue, a >= 65, a <= 90 { return Character(UnicodeScalar(a + 32)) }
            return c
        })
        if lower.hasPrefix("expr:") {
            let text = String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespacesAndNewlines)
            self = try Activation.fromExpression(text)
            return
        }
        let compact = String(lower.filter { !$0.isWhitespace })
        let key = String(compact.map { $0 == "-" ? "_" : $0 })
        if let name = Activation.builtinAliases[key], name != "leaky_relu", let a = Activation.builtin(name) {
            self = a
            return
        }
        if let a = try Activation.leakyReLU(compact, key: key, original: trimmed) {
            self = a
            return
        }
        let isBareName = !compact.isEmpty && compact.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !["x", "pi", "e"].contains(compact)
        if trimmed.isEmpty || isBareName {
            throw ModelError.activation("unknown activation '\(TextExcerpt.of(trimmed))': use one of "
                                  + Activation.usageNames + " or an expression in x such as \"x^3*tanh(x)\"")
        }
        self = try Activation.fromExpression(trimmed)
    }

    /// "relu, leaky_relu(slope), tanh, …" for messages and help texts.
    public static var usageNames: String {
        builtinNames.map { $0.hasPrefix("leaky_relu") ? "leaky_relu(slope)" : $0 }.joined(separator: ", ")
    }

    /// `leaky_relu`, `leaky_relu(α)` (any finite α) or nil when the text is not about leaky_relu.
    private static func leakyReLU(_ compact: String, key: String, original: String) throws -> Activation? {
        for prefix in ["leaky_relu", "leakyrelu", "lrelu"] where key.hasPrefix(prefix) {
            let rest = compact.dropFirst(prefix.count)
            if rest.isEmpty { return builtin("leaky_relu") }
            guard rest.hasPrefix("("), rest.hasSuffix(")"), rest.count >= 2 else { return nil }
            let inside = rest.dropFirst().dropLast()
            guard let slope = Double(inside), slope.isFinite else {
                throw ModelError.activation("invalid slope '\(TextExcerpt.of(inside))' in '\(TextExcerpt.of(original))': give a number, "
                                      + "e.g. leaky_relu(0.2)")
            }
            return builtin("leaky_relu", slope: slope)
        }
        return nil
    }

    /// A user expression compiled into value and derivative programs, after checking that it is a
    /// usable activation.
    static func fromExpression(_ fullText: String) throws -> Activation {
        let tree = try Expression(parsing: fullText)
        let text = TextExcerpt.of(fullText)
        guard tree.dependsOnX else {
            throw ModelError.activation("expression \"\(text)\" does not depend on x: an activation is a function of x, "
                                  + "e.g. \"x*tanh(x)\"")
        }
        let value = tree.simplified()
        let full = CompiledExpression([value, value.derivative()])
        let valueOnly = CompiledExpression([value])

        let (v0, d0) = full.run(0)
        guard v0.isFinite else {
            throw ModelError.activation("expression \"\(text)\" is not finite at x = 0 (value \(v0)): "
                                  + "the multiplicity and small initialization need a finite value at 0")
        }
        guard d0.isFinite else {
            throw ModelError.activation("expression \"\(text)\" has no finite derivative at x = 0 (\(d0)): "
                                  + "an activation needs a finite slope at 0")
        }
        for x in [-3.0, -2, -1, -0.5, -0.1, 0.1, 0.5, 1, 2, 3] {
            let (v, d) = full.run(x)
            guard v.isFinite, d.isFinite else {
                throw ModelError.activation("expression \"\(text)\" is not finite at x = \(Expression.compact(x)) "
                                      + "(value \(v), derivative \(d)): an activation must be defined for every real input")
            }
        }
        return Activation(spec: "expr:" + tree.description, multiplicity: tree.multiplicity(),
                          scalar: { x in full.run(x) },
                          kernel: { z, v, d in
                              if let d { full.run(z, v, d) } else { valueOnly.run(z, v, nil) }
                          })
    }

    /// The expression that defines this activation (a built-in's definition, or the user
    /// expression), or nil for an activation made directly from closures.
    public var expression: Expression? {
        if spec.hasPrefix("expr:") { return try? Expression(parsing: String(spec.dropFirst(5))) }
        if spec.hasPrefix("leaky_relu("), spec.hasSuffix(")"),
           let slope = Double(spec.dropFirst("leaky_relu(".count).dropLast()) {
            return Activation.builtinDefinition("leaky_relu", slope: slope)
        }
        return Activation.builtinDefinition(spec)
    }
}
