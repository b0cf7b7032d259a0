import Foundation

/// Recursive-descent parser over the characters of one expression.
struct ExpressionParser {
    typealias Expression = Activation.Expression

    /// A parsed subtree and how deep it nests (a leaf is 1).
    typealias Node = (expression: Expression, depth: Int)

    let original: String
    let chars: [Character]
    var index = 0
    /// Nodes made so far (checked against `Expression.maximumTerms`).
    var terms = 0
    /// Open parentheses around the current position; "((((x))))" adds no node, but each level recurses.
    var nesting = 0

    init(_ text: String) throws {
        // Checked before anything else looks at the text, and without counting all of a huge one.
        guard text.utf8.count <= Expression.maximumLength || text.prefix(Expression.maximumLength + 1).count <= Expression.maximumLength else {
            throw ModelError.activation("expression is longer than the limit of \(Expression.maximumLength) characters "
                                  + "(it starts \"\(TextExcerpt.of(text))\")")
        }
        original = text
        // ASCII-only lowercasing keeps columns aligned with the text the user wrote.
        chars = text.map { c in
            if let a = c.asciiValue, a >= 65, a <= 90 { return Character(UnicodeScalar(a + 32)) }
            return c
        }
    }

    func fail(_ what: String, at position: Int) -> ModelError {
        ModelError.activation("\(what) at column \(position + 1) in \"\(TextExcerpt.around(original, position: position))\"")
    }

    /// A new node over children of the given depths, within the limits on terms and depth.
    mutating func node(_ e: Expression, over depths: Int..., at position: Int) throws -> Node {
        terms += 1
        guard terms <= Expression.maximumTerms else {
            throw fail("more than \(Expression.maximumTerms) terms (the limit of an expression)", at: position)
        }
        let depth = (depths.max() ?? 0) + 1
        guard depth <= Expression.maximumDepth else {
            throw fail("nested more than \(Expression.maximumDepth) deep (the limit of an expression)", at: position)
        }
        return (e, depth)
    }

    mutating func skipSpaces() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    mutating func peek() -> Character? {
        skipSpaces()
        return index < chars.count ? chars[index] : nil
    }

    func describeHere(_ i: Int) -> String {
        i < chars.count ? "'\(TextExcerpt.printable(chars[i]))'" : "end of text"
    }

    mutating func parseAll() throws -> Expression {
        if peek() == nil {
            throw ModelError.activation("empty expression \"\(TextExcerpt.of(original))\": write an expression in x such as \"x^3*tanh(x)\"")
        }
        let e = try parseSum()
        if let c = peek() {
            if c == ")" { throw fail("unmatched ')'", at: index) }
            if c.isASCII, c.isLetter || c.isNumber || c == "(" || c == "." || c == "_" {
                throw fail("expected an operator (+ - * / ^) but found '\(TextExcerpt.printable(c))'", at: index)
            }
            throw fail("unexpected character '\(TextExcerpt.printable(c))'", at: index)
        }
        return e.expression
    }

    mutating func parseSum() throws -> Node {
        var e = try parseProduct()
        while let c = peek(), c == "+" || c == "-" {
            let at = index
            index += 1
            let rhs = try parseProduct()
            e = try node(c == "+" ? .add(e.expression, rhs.expression) : .subtract(e.expression, rhs.expression),
                         over: e.depth, rhs.depth, at: at)
        }
        return e
    }

    mutating func parseProduct() throws -> Node {
        var e = try parseUnary()
        while let c = peek(), c == "*" || c == "/" {
            let at = index
            index += 1
            let rhs = try parseUnary()
            e = try node(c == "*" ? .multiply(e.expression, rhs.expression) : .divide(e.expression, rhs.expression),
                         over: e.depth, rhs.depth, at: at)
        }
        return e
    }

    /// Every level of nesting passes here (parentheses and calls through `parseSum`, signs, exponents), so the
    /// recursion is cut off at the depth limit before it can grow the stack.
    mutating func parseUnary() throws -> Node {
        // A plus sign makes no node, so a run of them is skipped here rather than recursed into.
        while peek() == "+" { index += 1 }
        if peek() == "-" {
            let at = index
            index += 1
            let operand = try parseUnary()
            return try node(.negate(operand.expression), over: operand.depth, at: at)
        }
        return try parsePower()
    }

    mutating func parsePower() throws -> Node {
        let base = try parsePrimary()
        if peek() == "^" {
            let at = index
            index += 1
            let exponent = try parseUnary()
            return try node(.power(base.expression, exponent.expression), over: base.depth, exponent.depth, at: at)
        }
        return base
    }

    /// `(` sum `)` — the opening parenthesis counts as a level, so "((((x))))" is as deep as it looks.
    mutating func parseGroup(at start: Int) throws -> Node {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting < Expression.maximumDepth else {
            throw fail("nested more than \(Expression.maximumDepth) deep (the limit of an expression)", at: start)
        }
        let inner = try parseSum()
        guard peek() == ")" else { throw fail("expected ')' but found \(describeHere(index))", at: index) }
        index += 1
        return inner
    }

    mutating func parsePrimary() throws -> Node {
        guard let c = peek() else { throw fail("expected a number, x, a function or '('", at: index) }
        let start = index
        if c == "(" {
            index += 1
            return try parseGroup(at: start)
        }
        if c.isASCII, c.isNumber || c == "." { return try node(.constant(try parseNumber()), at: start) }
        if c.isASCII, c.isLetter || c == "_" {
            var name = ""
            while index < chars.count, chars[index].isASCII,
                  chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
                name.append(chars[index]); index += 1
            }
            if let f = Expression.Function(rawValue: name) {
                guard peek() == "(" else {
                    throw fail("expected '(' after function '\(name)' but found \(describeHere(index))", at: index)
                }
                index += 1
                let arg = try parseGroup(at: start)
                return try node(.call(f, arg.expression), over: arg.depth, at: start)
            }
            switch name {
            case "x": return try node(.x, at: start)
            case "pi": return try node(.constant(Double.pi), at: start)
            case "e": return try node(.constant(M_E), at: start)
            default:
                let shown = TextExcerpt.of(name)
                if peek() == "(" {
                    throw fail("unknown function '\(shown)' (known: "
                               + Expression.Function.allCases.map(\.rawValue).joined(separator: " ") + ")", at: start)
                }
                throw fail("unknown name '\(shown)' (the variable is x; the constants are pi and e)", at: start)
            }
        }
        if "+-*/^)".contains(c) { throw fail("expected a number, x, a function or '(' but found '\(c)'", at: index) }
        throw fail("unexpected character '\(TextExcerpt.printable(c))'", at: index)
    }

    /// digits [. digits] [(e|E) [+-] digits], or . digits; `e` only counts as an exponent when digits follow.
    mutating func parseNumber() throws -> Double {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < chars.count && chars[i].isASCII && chars[i].isNumber }
        while isDigit(index) { index += 1 }
        if index < chars.count, chars[index] == "." {
            index += 1
            while isDigit(index) { index += 1 }
        }
        if index < chars.count, chars[index] == "e" {
            var j = index + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if isDigit(j) {
                index = j
                while isDigit(index) { index += 1 }
            }
        }
        let text = String(chars[start..<index])
        guard text != ".", let v = Double(text) else { throw fail("malformed number '\(TextExcerpt.of(text))'", at: start) }
        guard v.isFinite else { throw fail("number '\(TextExcerpt.of(text))' is out of range", at: start) }
        return v
    }
}
