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
    /// Errors are `ActivationError`s that name the 1-based column in the quoted text.
    public init(parsing text: String) throws {
        var parser = ExpressionParser(text)
        self = try parser.parseAll()
    }
}

/// Recursive-descent parser over the characters of one expression.
struct ExpressionParser {
    typealias Expression = Activation.Expression

    let original: String
    let chars: [Character]
    var index = 0

    init(_ text: String) {
        original = text
        // ASCII-only lowercasing keeps columns aligned with the text the user wrote.
        chars = text.map { c in
            if let a = c.asciiValue, a >= 65, a <= 90 { return Character(UnicodeScalar(a + 32)) }
            return c
        }
    }

    func fail(_ what: String, at position: Int) -> ActivationError {
        ActivationError("\(what) at column \(position + 1) in \"\(original)\"")
    }

    mutating func skipSpaces() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    mutating func peek() -> Character? {
        skipSpaces()
        return index < chars.count ? chars[index] : nil
    }

    func describeHere(_ i: Int) -> String {
        i < chars.count ? "'\(chars[i])'" : "end of text"
    }

    mutating func parseAll() throws -> Expression {
        if peek() == nil { throw ActivationError("empty expression \"\(original)\": write an expression in x such as \"x^3*tanh(x)\"") }
        let e = try parseSum()
        if let c = peek() {
            if c == ")" { throw fail("unmatched ')'", at: index) }
            if c.isASCII, c.isLetter || c.isNumber || c == "(" || c == "." || c == "_" {
                throw fail("expected an operator (+ - * / ^) but found '\(c)'", at: index)
            }
            throw fail("unexpected character '\(c)'", at: index)
        }
        return e
    }

    mutating func parseSum() throws -> Expression {
        var e = try parseProduct()
        while let c = peek(), c == "+" || c == "-" {
            index += 1
            let rhs = try parseProduct()
            e = c == "+" ? .add(e, rhs) : .subtract(e, rhs)
        }
        return e
    }

    mutating func parseProduct() throws -> Expression {
        var e = try parseUnary()
        while let c = peek(), c == "*" || c == "/" {
            index += 1
            let rhs = try parseUnary()
            e = c == "*" ? .multiply(e, rhs) : .divide(e, rhs)
        }
        return e
    }

    mutating func parseUnary() throws -> Expression {
        if let c = peek(), c == "-" || c == "+" {
            index += 1
            let operand = try parseUnary()
            return c == "-" ? .negate(operand) : operand
        }
        return try parsePower()
    }

    mutating func parsePower() throws -> Expression {
        let base = try parsePrimary()
        if peek() == "^" {
            index += 1
            return .power(base, try parseUnary())
        }
        return base
    }

    mutating func parsePrimary() throws -> Expression {
        guard let c = peek() else { throw fail("expected a number, x, a function or '('", at: index) }
        let start = index
        if c == "(" {
            index += 1
            let inner = try parseSum()
            guard peek() == ")" else { throw fail("expected ')' but found \(describeHere(index))", at: index) }
            index += 1
            return inner
        }
        if c.isASCII, c.isNumber || c == "." { return .constant(try parseNumber()) }
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
                let arg = try parseSum()
                guard peek() == ")" else { throw fail("expected ')' but found \(describeHere(index))", at: index) }
                index += 1
                return .call(f, arg)
            }
            switch name {
            case "x": return .x
            case "pi": return .constant(Double.pi)
            case "e": return .constant(M_E)
            default:
                if peek() == "(" {
                    throw fail("unknown function '\(name)' (known: "
                               + Expression.Function.allCases.map(\.rawValue).joined(separator: " ") + ")", at: start)
                }
                throw fail("unknown name '\(name)' (the variable is x; the constants are pi and e)", at: start)
            }
        }
        if "+-*/^)".contains(c) { throw fail("expected a number, x, a function or '(' but found '\(c)'", at: index) }
        throw fail("unexpected character '\(c)'", at: index)
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
        guard text != ".", let v = Double(text) else { throw fail("malformed number '\(text)'", at: start) }
        guard v.isFinite else { throw fail("number '\(text)' is out of range", at: start) }
        return v
    }
}
