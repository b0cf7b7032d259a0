import Foundation

extension Activation.Expression {
    /// Parses the expression language (case-insensitive, spaces anywhere between tokens).
    ///
    /// Grammar (`^` right-associative, unary minus below `^`, so `-x^2 = -(x^2)` and `2^-x` is allowed):
    /// ```
    /// sum     := product (('+' | '-') product)*
    /// product := unary (('*' | '/') unary)*
    /// unary   := ('-' | '+') unary | power
    /// power   := primary ('^' unary)?
    /// primary := number | 'x' | 'pi' | 'e' | function '(' sum ')' | '(' sum ')'
    /// ```
    /// Errors are `ModelError.activation`s that name the 1-based column and quote a short excerpt around it.
    ///
    /// Input limits, stated in the errors: at most `maximumLength` characters, `maximumTerms` terms (numbers, x,
    /// constants, operators and function calls: the nodes of the tree) and `maximumDepth` levels of nesting
    /// (parentheses, function calls and chains of operators all nest the tree). The derivative and the compiled
    /// programs grow with terms × depth, and every pass over the tree recurses as deep as it is, so without them an
    /// expression nested 2000 deep ran for minutes. The canonical `description` of a tree within the limits parses
    /// back within them (same terms and depth, and constants print in at most 24 characters).
    public init(parsing text: String) throws {
        var parser = try ExpressionParser(text)
        self = try parser.parseAll()
    }

    /// The most characters an expression may have.
    public static let maximumLength = 20_000
    /// The most terms (tree nodes) an expression may have.
    public static let maximumTerms = 500
    /// The deepest an expression may nest.
    public static let maximumDepth = 100
}
