import ArgumentParser
import Model

/// Whole-number option values written the way researchers write them: `10000`, `1e4`, `2.5e3`. A value in
/// exponent or decimal form is accepted when it is exactly a whole number (so `1e4` is 10000, `1.5` is refused).
enum IntegerArgument {
    @Sendable static func parse(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let v = Int(t) { return v }
        guard let d = Double(t), d.isFinite, d.rounded() == d, abs(d) < 9.0e15 else {
            throw ValidationError("'\(TextExcerpt.of(text))' is not a whole number (e.g. 10000 or 1e4)")
        }
        return Int(d)
    }
}
