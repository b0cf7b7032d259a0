import Foundation

/// One or two expression trees compiled into a straight-line register program with shared common
/// subexpressions (so `tanh(x)` in `x^3*tanh(x)` and in its derivative is computed once).
///
/// Evaluation runs the program over chunks of the input: each instruction is a tight loop over the
/// chunk, and the registers live in one temporary (stack) allocation per call, so evaluating a buffer
/// allocates nothing on the heap in the common case. Integer powers become products
/// (`x^3 → (x·x)·x`), so they are exact for negative bases too.
struct CompiledExpression: Sendable {
    typealias Expression = Activation.Expression

    enum Instruction: Sendable, Equatable {
        case x
        case constant(Double)
        case negate(Int)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case divide(Int, Int)
        case powerConstant(Int, Double)
        case power(Int, Int)
        case call(Expression.Function, Int)
    }

    private(set) var instructions: [Instruction] = []
    /// The register holding each root's value.
    private(set) var outputs: [Int] = []

    init(_ roots: [Expression]) {
        var registers: [Expression: Int] = [:]
        for root in roots { outputs.append(emit(root, &registers)) }
    }

    private mutating func append(_ i: Instruction, for e: Expression, _ registers: inout [Expression: Int]) -> Int {
        instructions.append(i)
        registers[e] = instructions.count - 1
        return instructions.count - 1
    }

    private mutating func emit(_ e: Expression, _ registers: inout [Expression: Int]) -> Int {
        if let r = registers[e] { return r }
        switch e {
        case .x: return append(.x, for: e, &registers)
        case .constant(let c): return append(.constant(c), for: e, &registers)
        case .negate(let a): let ra = emit(a, &registers); return append(.negate(ra), for: e, &registers)
        case .add(let a, let b):
            let ra = emit(a, &registers), rb = emit(b, &registers)
            return append(.add(ra, rb), for: e, &registers)
        case .subtract(let a, let b):
            let ra = emit(a, &registers), rb = emit(b, &registers)
            return append(.subtract(ra, rb), for: e, &registers)
        case .multiply(let a, let b):
            let ra = emit(a, &registers), rb = emit(b, &registers)
            return append(.multiply(ra, rb), for: e, &registers)
        case .divide(let a, let b):
            let ra = emit(a, &registers), rb = emit(b, &registers)
            return append(.divide(ra, rb), for: e, &registers)
        case .power(let a, .constant(let c)):
            if c == c.rounded(), Swift.abs(c) <= 64 {
                let n = Int(Swift.abs(c))
                if n == 0 { return append(.constant(1), for: e, &registers) }
                let magnitude = emit(Self.product(a, n), &registers)
                if c > 0 { registers[e] = magnitude; return magnitude }
                let one = emit(.constant(1), &registers)
                return append(.divide(one, magnitude), for: e, &registers)
            }
            if c == 0.5 { return emit(.call(.sqrt, a), &registers) }
            let ra = emit(a, &registers)
            return append(.powerConstant(ra, c), for: e, &registers)
        case .power(let a, let b):
            let ra = emit(a, &registers), rb = emit(b, &registers)
            return append(.power(ra, rb), for: e, &registers)
        case .call(let f, let a):
            let ra = emit(a, &registers)
            return append(.call(f, ra), for: e, &registers)
        }
    }

    /// `a^n` (n ≥ 1) as a product tree by binary splitting, so shared halves are reused.
    private static func product(_ a: Expression, _ n: Int) -> Expression {
        if n == 1 { return a }
        let half = product(a, n / 2)
        let square = Expression.multiply(half, half)
        return n % 2 == 0 ? square : .multiply(square, a)
    }

    /// Runs the program on every element of `z`, writing root 0 into `out0` and root 1 (if any) into `out1`.
    func run(_ z: UnsafeBufferPointer<Double>, _ out0: UnsafeMutableBufferPointer<Double>,
             _ out1: UnsafeMutableBufferPointer<Double>?) {
        let n = z.count
        guard n > 0, let zBase = z.baseAddress, let o0 = out0.baseAddress else { return }
        let count = instructions.count
        let chunk = Swift.max(1, Swift.min(64, 4096 / Swift.max(count, 1)))
        instructions.withUnsafeBufferPointer { program in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count * chunk) { storage in
                let base = storage.baseAddress!
                for i in 0..<count {
                    if case .constant(let c) = program[i] { (base + i * chunk).initialize(repeating: c, count: chunk) }
                }
                var start = 0
                while start < n {
                    let m = Swift.min(chunk, n - start)
                    for i in 0..<count {
                        let d = base + i * chunk
                        switch program[i] {
                        case .x: d.update(from: zBase + start, count: m)
                        case .constant: break
                        case .negate(let a):
                            let pa = base + a * chunk
                            for j in 0..<m { d[j] = -pa[j] }
                        case .add(let a, let b):
                            let pa = base + a * chunk, pb = base + b * chunk
                            for j in 0..<m { d[j] = pa[j] + pb[j] }
                        case .subtract(let a, let b):
                            let pa = base + a * chunk, pb = base + b * chunk
                            for j in 0..<m { d[j] = pa[j] - pb[j] }
                        case .multiply(let a, let b):
                            let pa = base + a * chunk, pb = base + b * chunk
                            for j in 0..<m { d[j] = pa[j] * pb[j] }
                        case .divide(let a, let b):
                            let pa = base + a * chunk, pb = base + b * chunk
                            for j in 0..<m { d[j] = pa[j] / pb[j] }
                        case .powerConstant(let a, let c):
                            let pa = base + a * chunk
                            for j in 0..<m { d[j] = Foundation.pow(pa[j], c) }
                        case .power(let a, let b):
                            let pa = base + a * chunk, pb = base + b * chunk
                            for j in 0..<m { d[j] = Expression.power(pa[j], pb[j]) }
                        case .call(let f, let a):
                            Self.apply(f, base + a * chunk, d, m)
                        }
                    }
                    (o0 + start).update(from: base + outputs[0] * chunk, count: m)
                    if let out1, let o1 = out1.baseAddress, outputs.count > 1 {
                        (o1 + start).update(from: base + outputs[1] * chunk, count: m)
                    }
                    start += m
                }
            }
        }
    }

    /// The value of root 0 (and root 1 when compiled) at one point.
    func run(_ x: Double) -> (Double, Double) {
        var input = x, first = 0.0, second = 0.0
        withUnsafeMutablePointer(to: &first) { p0 in
            withUnsafeMutablePointer(to: &second) { p1 in
                withUnsafePointer(to: &input) { px in
                    run(UnsafeBufferPointer(start: px, count: 1), UnsafeMutableBufferPointer(start: p0, count: 1),
                        UnsafeMutableBufferPointer(start: p1, count: 1))
                }
            }
        }
        return (first, second)
    }

    @inline(__always)
    private static func apply(_ f: Expression.Function, _ a: UnsafeMutablePointer<Double>,
                              _ d: UnsafeMutablePointer<Double>, _ m: Int) {
        switch f {
        case .exp: for j in 0..<m { d[j] = Foundation.exp(a[j]) }
        case .log: for j in 0..<m { d[j] = Foundation.log(a[j]) }
        case .sqrt: for j in 0..<m { d[j] = a[j].squareRoot() }
        case .sin: for j in 0..<m { d[j] = Foundation.sin(a[j]) }
        case .cos: for j in 0..<m { d[j] = Foundation.cos(a[j]) }
        case .tan: for j in 0..<m { d[j] = Foundation.tan(a[j]) }
        case .tanh: for j in 0..<m { d[j] = Foundation.tanh(a[j]) }
        case .sinh: for j in 0..<m { d[j] = Foundation.sinh(a[j]) }
        case .cosh: for j in 0..<m { d[j] = Foundation.cosh(a[j]) }
        case .sigmoid: for j in 0..<m { d[j] = stableSigmoid(a[j]) }
        case .softplus: for j in 0..<m { d[j] = stableSoftplus(a[j]) }
        case .abs: for j in 0..<m { d[j] = Swift.abs(a[j]) }
        case .erf: for j in 0..<m { d[j] = Foundation.erf(a[j]) }
        case .atan: for j in 0..<m { d[j] = Foundation.atan(a[j]) }
        case .relu, .sign, .step: for j in 0..<m { d[j] = f(a[j]) }
        }
    }
}
