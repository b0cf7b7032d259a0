import ArgumentParser
import Foundation
import Model

/// `condense multiplicity "x^2*tanh(x)"`: p and the leading Taylor coefficients at 0.
struct MultiplicityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "multiplicity",
        abstract: "Print an activation's multiplicity p at 0 and its leading Taylor coefficients.",
        discussion: """
        p is the order of the first non-zero derivative at 0 (σ(0) itself is not constrained); the theory bounds \
        the condensed orientations of the initial stage by 2p. Computed exactly by Taylor-series arithmetic on the \
        activation's expression, from each side where it is piecewise (relu, abs).
        """)

    /// Collected with `.allUnrecognized` so that an expression starting with a minus sign ("-x^2") is the
    /// activation, not an unknown option (it was "Missing expected argument").
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("A built-in name (tanh, xtanh, relu, …) or an expression in x, e.g. \"x^2*tanh(x)\" or \"-x^2\".", valueName: "activation"))
    var words: [String] = []

    /// The words without the "--" that ends options (collected with them).
    var given: [String] { words.first == "--" ? Array(words.dropFirst()) : words }

    var activation: String { given.first ?? "" }

    func validate() throws {
        let words = given
        guard words.count == 1 else {
            throw ValidationError(words.isEmpty ? "give one activation, e.g. condense multiplicity \"x^2*tanh(x)\""
                                  : "give one activation (got \(words.count) arguments; quote an expression with spaces)")
        }
    }

    @Option(parsing: .unconditional, help: "How many Taylor coefficients to print (c0 … c_{n-1}).")
    var terms = 6

    func run() throws {
        guard (1...25).contains(terms) else { throw UsageError.option("--terms must be 1…25 (got \(terms))") }
        let a = try Activation(parsing: activation)
        let r = try Activation.multiplicityReport(a, terms: terms)
        var out = "activation  \(r.spec)\n"
        out += "definition  \(r.definition)\n"
        switch r.multiplicity {
        case .order(let p, let leading):
            out += "p           \(p)   (bound: at most \(2 * p) condensed orientations, \(p) line\(p == 1 ? "" : "s"))\n"
            out += "leading     c\(p) = \(Self.format(leading))\n"
        case .undefined(let why):
            out += "p           undefined: \(why)\n"
        }
        if r.isSmooth {
            out += "taylor      " + Self.series(r.right) + "\n"
        } else {
            out += "x → 0+      " + Self.series(r.right) + "\n"
            out += "x → 0-      " + Self.series(r.left) + "\n"
        }
        print(out, terminator: "")
    }

    static func series(_ c: [Double]) -> String {
        c.enumerated().map { "c\($0.offset) = \(format($0.element))" }.joined(separator: ", ")
    }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%.10g", v)
    }
}
