import Foundation
import Model

/// The flow of a hidden neuron's input weight ω = (w, b) for a layer with one-dimensional input, and the
/// orientations it settles on (P1 Fig. 6, §5 "Case 2").
///
/// **The field.** For f(x) = Σ_j a_j σ(w_j·x̃), x̃ = (x, 1), and R = 1/(2n) Σ_i e_i², e_i = f(x_i) − y_i, gradient
/// flow moves neuron j's input weight by
///
///     ẇ_j = −∂R/∂w_j = −a_j · (1/n) Σ_i e_i σ'(w_j·x̃_i) x̃_i = a_j · F(w_j),
///     F(ω) = −(1/n) Σ_i e_i σ'(ω·x̃_i) x̃_i,
///
/// with the residuals of the current snapshot. F is P1's formula exactly (the field of a neuron with readout
/// a = +1); a neuron with a < 0 moves along −F. This type evaluates F; its zeros are stationary orientations
/// for both signs, and which sign a zero attracts is reported with it (`Zero.stableFor`).
///
/// Two evaluations:
/// - **leading order** (`radius` nil): with small weights, σ'(z) ≈ σ⁽ᵖ⁾(0) z^{p−1}/(p−1)! = p·c·z^{p−1}, where p is
///   the activation's multiplicity and c its leading Taylor coefficient (`Multiplicity.order(p, leading: c)`).
///   Then F(ω) = −(p·c/n) Σ_i e_i (ω·x̃_i)^{p−1} x̃_i, homogeneous of degree p − 1 in ω, so the orientation flow
///   does not depend on ‖ω‖. This is the field P1 analyzes. It needs a defined multiplicity (not ReLU).
/// - **at a radius r**: F_r(ω) = −(1/n) Σ_i e_i σ'(r·ω·x̃_i) x̃_i with the activation's exact derivative, for
///   weights of norm r. For r → 0 its orientation flow tends to the leading-order one; for ReLU (positively
///   homogeneous) it is the same at every r.
///
/// **Orientations.** On the unit circle ω = (cos φ, sin φ), i.e. φ = atan2(b, w) ∈ [−π, π), the same angle as the
/// analyzer's θ for layers with 1-D input. With ω⊥ = (−sin φ, cos φ) the angle moves as φ̇ = a·g(φ)/r, where
/// g(φ) = ω⊥·F(ω) is the **tangential component**. A zero of g is a stationary orientation; it attracts neurons
/// with a > 0 when g crosses from + to − as φ increases, and neurons with a < 0 when g crosses from − to +
/// (their flow is −g). A zero where g touches 0 without changing sign attracts from one side only and is not
/// reported.
///
/// **Symmetry of the leading-order field.** F(−ω) = (−1)^{p−1} F(ω) and ω⊥ turns into −ω⊥ with ω, so
/// g(φ + π) = (−1)^p g(φ) and g'(φ + π) = (−1)^p g'(φ): zeros come in antipodal pairs, the **lines**. For odd p
/// the two ends of a line attract opposite readout signs (p = 1: −v attracts a > 0, +v attracts a < 0, with
/// v = Σ_i e_i x̃_i when c > 0, P1 §5.1); for even p both ends attract the same sign, and lines attracting a > 0
/// alternate with lines attracting a < 0 around the half circle. g is a homogeneous polynomial of degree p in
/// (cos φ, sin φ), sin^p φ · P(cot φ) with P of degree ≤ p — P1's "Case 2" polynomial — so unless it vanishes
/// identically it has **at most p lines**; for odd p it changes sign over half a turn, so it has at least one.
///
/// **Counting stable lines.** Every transversal zero attracts one readout sign, so with neurons of both signs
/// (as at initialization) every zero line is a stable line: `stableLineCount(for: nil)` = `lines.count`. This
/// is the count that matches P1's 1 / 2 / 3 stable lines for tanh / x·tanh x / x²·tanh x: counting only a > 0
/// would give 1 line for x·tanh x, whose second line attracts the a < 0 neurons.
public struct DirectionField: Sendable {
    /// Which neurons a stationary orientation attracts: those with readout a > 0 or a < 0.
    public enum Readout: String, Sendable, Equatable {
        case positive, negative
    }

    /// How σ' enters the field.
    public enum Evaluation: Sendable, Equatable {
        /// σ'(z) ≈ p·c·z^{p−1}: the leading order for small weights.
        case leadingOrder(multiplicity: Int, leading: Double)
        /// σ'(r·z) with the exact derivative, for weights of norm r.
        case radius(Double)
    }

    /// The layer inputs x̃_i = (x_{i1}, x_{i2}); (x_i, 1) for a network's first layer.
    public let points: [SIMD2<Double>]
    /// e_i = f(x_i) − y_i.
    public let residuals: [Double]
    public let evaluation: Evaluation
    private let derivative: (@Sendable (Double) -> Double)?

    /// The field of a network's first layer with 1-D inputs x_i: x̃_i = (x_i, 1).
    ///
    /// - Parameters:
    ///   - inputs: x_i.
    ///   - residuals: e_i = f(x_i) − y_i at the snapshot.
    ///   - activation: the layer's activation (its multiplicity for the leading order, its derivative at a radius).
    ///   - radius: nil for the leading-order field, else r > 0.
    /// - Throws: `AnalysisError.shape` when the counts differ or are zero; `AnalysisError.option` for a bad radius
    ///   or, at leading order, an activation with undefined multiplicity.
    public init(inputs: [Double], residuals: [Double], activation: Activation, radius: Double? = nil) throws {
        try self.init(points: inputs.map { SIMD2($0, 1) }, residuals: residuals, activation: activation, radius: radius)
    }

    /// The field for arbitrary two-component layer inputs x̃_i (see `init(inputs:residuals:activation:radius:)`).
    public init(points: [SIMD2<Double>], residuals: [Double], activation: Activation, radius: Double? = nil) throws {
        if let radius {
            guard radius > 0, radius.isFinite else {
                throw AnalysisError.option("radius \(radius) must be positive and finite")
            }
            try self.init(points: points, residuals: residuals, evaluation: .radius(radius),
                          derivative: { activation.derivative($0) })
        } else {
            guard case .order(let p, let c) = activation.multiplicity else {
                throw AnalysisError.option(
                    "activation '\(activation.spec)' has no multiplicity (\(activation.multiplicity)), so no leading-order field; give a radius")
            }
            try self.init(points: points, residuals: residuals, multiplicity: p, leading: c)
        }
    }

    /// The leading-order field of any multiplicity p ≥ 1 and leading coefficient c ≠ 0 (σ(z) − σ(0) ≈ c·z^p).
    public init(points: [SIMD2<Double>], residuals: [Double], multiplicity p: Int, leading c: Double = 1) throws {
        guard p >= 1 else { throw AnalysisError.option("multiplicity \(p) must be ≥ 1") }
        guard c != 0, c.isFinite else { throw AnalysisError.option("leading coefficient \(c) must be finite and non-zero") }
        try self.init(points: points, residuals: residuals, evaluation: .leadingOrder(multiplicity: p, leading: c),
                      derivative: nil)
    }

    private init(points: [SIMD2<Double>], residuals: [Double], evaluation: Evaluation,
                 derivative: (@Sendable (Double) -> Double)?) throws {
        guard points.count == residuals.count else {
            throw AnalysisError.shape("\(points.count) inputs but \(residuals.count) residuals")
        }
        guard !points.isEmpty else { throw AnalysisError.shape("no inputs") }
        guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }), residuals.allSatisfy(\.isFinite) else {
            throw AnalysisError.option("inputs and residuals must be finite")
        }
        self.points = points
        self.residuals = residuals
        self.evaluation = evaluation
        self.derivative = derivative
    }

    /// F(ω): the velocity of an input weight ω of a neuron with readout a = +1 (multiply by a for others).
    /// At leading order ω may have any norm (F scales as ‖ω‖^{p−1}); at a radius r, ω is a unit vector and
    /// the weight is r·ω.
    public func velocity(_ omega: SIMD2<Double>) -> SIMD2<Double> {
        // Plain loops over buffers (no SIMD2 arithmetic, no iterators): the zero search calls this thousands
        // of times per field, and unoptimized test builds are slow at anything else.
        var s1 = 0.0, s2 = 0.0
        let w1 = omega.x, w2 = omega.y
        let n = points.count
        points.withUnsafeBufferPointer { x in
            residuals.withUnsafeBufferPointer { e in
                switch evaluation {
                case .leadingOrder(let p, _):
                    for i in 0..<n {
                        let a = x[i].x, b = x[i].y
                        let z = w1 * a + w2 * b
                        var t = e[i]
                        for _ in 1..<p { t *= z }
                        s1 += t * a; s2 += t * b
                    }
                case .radius(let r):
                    let sigmaPrime = derivative!
                    for i in 0..<n {
                        let a = x[i].x, b = x[i].y
                        let t = e[i] * sigmaPrime(r * (w1 * a + w2 * b))
                        s1 += t * a; s2 += t * b
                    }
                }
            }
        }
        let factor: Double
        switch evaluation {
        case .leadingOrder(let p, let c): factor = -Double(p) * c / Double(n)
        case .radius: factor = -1 / Double(n)
        }
        return SIMD2(factor * s1, factor * s2)
    }

    /// g(φ) = ω⊥·F(ω) with ω = (cos φ, sin φ), ω⊥ = (−sin φ, cos φ): a neuron's angle moves as φ̇ = a·g(φ)/‖w‖.
    public func tangential(_ phi: Double) -> Double {
        let v = velocity(SIMD2(cos(phi), sin(phi)))
        return -sin(phi) * v.x + cos(phi) * v.y
    }

    /// The stationary orientations and lines of this field (see `zeros(of:options:)`).
    public func stationaryOrientations(options: SearchOptions = SearchOptions()) throws -> Zeros {
        try Self.zeros(of: { tangential($0) }, options: options)
    }
}

// MARK: - Zeros on the circle

extension DirectionField {
    /// How the zeros of g are searched.
    public struct SearchOptions: Sendable, Equatable {
        /// Samples of g over [−π, π), evenly spaced from −π. 3600 = 0.1° apart: two zeros closer than a step
        /// can hide from each other; P1's stationary lines are tens of degrees apart.
        public var samples: Int
        /// Bisection stops when the bracket is narrower than this (radians).
        public var angleTolerance: Double
        /// Samples with |g| ≤ this × max|g| count as 0, so that rounding near a tangency (where g only touches 0)
        /// does not produce a spurious pair of crossings.
        public var relativeZeroThreshold: Double
        /// Zeros closer than this (radians) are one: the net sign change across them decides whether it is a
        /// crossing (kept) or a tangency (dropped). Below one sampling step (0.1°), so that resolved zeros never merge.
        public var mergeTolerance: Double
        /// Two zeros form a line when one lies within this (radians) of the other's antipode. The leading-order
        /// field is exactly antipodal (its zeros pair to ~1e−12); the field at a radius only approximately.
        public var lineTolerance: Double

        public init(samples: Int = 3600, angleTolerance: Double = 1e-12, relativeZeroThreshold: Double = 1e-10,
                    mergeTolerance: Double = 1e-3, lineTolerance: Double = 1e-2) {
            self.samples = samples; self.angleTolerance = angleTolerance
            self.relativeZeroThreshold = relativeZeroThreshold
            self.mergeTolerance = mergeTolerance; self.lineTolerance = lineTolerance
        }

        func validate() throws {
            guard samples >= 8 else { throw AnalysisError.option("samples \(samples) must be ≥ 8") }
            guard angleTolerance > 0 else { throw AnalysisError.option("angle tolerance must be positive") }
            guard relativeZeroThreshold >= 0, relativeZeroThreshold < 1 else {
                throw AnalysisError.option("relative zero threshold \(relativeZeroThreshold) must be in [0, 1)")
            }
            guard mergeTolerance >= 0, lineTolerance >= 0, lineTolerance < Double.pi / 2 else {
                throw AnalysisError.option("merge tolerance must be ≥ 0 and line tolerance in [0, π/2)")
            }
        }
    }

    /// A stationary orientation: a zero of g where it changes sign.
    public struct Zero: Sendable, Equatable {
        /// φ ∈ [−π, π): ω = (cos φ, sin φ) = (w, b)/‖(w, b)‖.
        public let angle: Double
        /// The readout sign it attracts: `.positive` when g goes from + to − (a neuron with a > 0 moves towards
        /// it), `.negative` when g goes from − to +.
        public let stableFor: Readout
        /// g'(φ) by a central difference (step 10⁻⁶); its sign agrees with `stableFor` except at a zero of
        /// higher odd order, where it may be ~0.
        public let slope: Double
    }

    /// A line through the origin holding one or two stationary orientations (two when a zero's antipode is a
    /// zero too, as always at leading order).
    public struct Line: Sendable, Equatable {
        /// The line's angle in [−π/2, π/2) (orientation and antipode folded together).
        public let angle: Double
        /// Its stationary orientations, one or two.
        public let zeros: [Zero]
        /// Whether it holds an orientation that attracts the given readout sign.
        public func isStable(for readout: Readout) -> Bool { zeros.contains { $0.stableFor == readout } }
    }

    /// The stationary orientations and lines of a field.
    public struct Zeros: Sendable, Equatable {
        /// Sign-changing zeros, by ascending angle.
        public let zeros: [Zero]
        /// Zeros paired with their antipodes, by ascending angle.
        public let lines: [Line]
        /// Clusters of sampled zeros whose net sign change was nil (tangencies), left out of `zeros`.
        public let droppedTangencies: Int
        /// g vanishes at every sample (e.g. all residuals are 0): no orientation is singled out.
        public let isIdenticallyZero: Bool
        /// The sampled g at φ_k = −π + 2πk/N, k = 0…N−1 (for plots).
        public let samples: [Double]

        /// Angles of the orientations that attract the given readout sign (the unstable ones for the other).
        public func stableAngles(for readout: Readout) -> [Double] {
            zeros.filter { $0.stableFor == readout }.map(\.angle)
        }

        /// Angles of the orientations that repel the given readout sign.
        public func unstableAngles(for readout: Readout) -> [Double] {
            zeros.filter { $0.stableFor != readout }.map(\.angle)
        }

        /// Lines holding an orientation stable for `readout`; nil counts lines stable for either sign, which,
        /// since every sign-changing zero attracts one sign, is every line (P1's count; see `DirectionField`).
        public func stableLineCount(for readout: Readout?) -> Int {
            guard let readout else { return lines.count }
            return lines.filter { $0.isStable(for: readout) }.count
        }
    }

    /// The sign-changing zeros of a 2π-periodic function g on [−π, π) and their pairing into lines.
    ///
    /// g is sampled at `options.samples` evenly spaced angles; samples with |g| ≤ threshold·max|g| count as 0;
    /// every pair of cyclically consecutive non-zero samples of opposite sign brackets a zero, refined by
    /// bisection; zeros within `mergeTolerance` merge (kept when the sign changes across the group, dropped as a
    /// tangency when it does not); zeros within `lineTolerance` of each other's antipode pair into lines (closest
    /// pairs first), the rest are lines of one orientation.
    public static func zeros(of g: (Double) -> Double, options: SearchOptions = SearchOptions()) throws -> Zeros {
        try options.validate()
        let n = options.samples
        let step = 2 * Double.pi / Double(n)
        let angles = (0..<n).map { -Double.pi + step * Double($0) }
        let values = angles.map(g)
        guard values.allSatisfy(\.isFinite) else { throw AnalysisError.option("the field is not finite") }
        let scale = values.reduce(0) { Swift.max($0, Swift.abs($1)) }
        let signs = values.map { Swift.abs($0) <= options.relativeZeroThreshold * scale ? 0 : ($0 > 0 ? 1 : -1) }
        let nonZero = signs.indices.filter { signs[$0] != 0 }
        guard !nonZero.isEmpty else {
            return Zeros(zeros: [], lines: [], droppedTangencies: 0, isIdenticallyZero: true, samples: values)
        }

        // Brackets between cyclically consecutive non-zero samples; the right end is unwrapped past π.
        struct Raw { var angle: Double; var left: Int; var right: Int }
        var raw: [Raw] = []
        for (k, i) in nonZero.enumerated() {
            let j = nonZero[(k + 1) % nonZero.count]
            guard signs[i] != signs[j] else { continue }
            var lo = angles[i], hi = j > i ? angles[j] : angles[j] + 2 * Double.pi
            let leftSign = signs[i]
            var iterations = 0
            var found: Double? = nil
            while hi - lo > options.angleTolerance && iterations < 200 {
                let mid = lo / 2 + hi / 2
                let v = g(mid)
                if v == 0 { found = mid; break }
                if (v > 0 ? 1 : -1) == leftSign { lo = mid } else { hi = mid }
                iterations += 1
            }
            raw.append(Raw(angle: normalized(found ?? (lo / 2 + hi / 2)), left: leftSign, right: signs[j]))
        }
        raw.sort { $0.angle < $1.angle }

        // Merge cyclic runs of zeros closer than the merge tolerance, starting after the widest gap.
        var zeros: [Zero] = []
        var dropped = 0
        if !raw.isEmpty {
            func gapAfter(_ k: Int) -> Double {
                k + 1 < raw.count ? raw[k + 1].angle - raw[k].angle : raw[0].angle + 2 * Double.pi - raw[k].angle
            }
            let start = ((0..<raw.count).max { gapAfter($0) < gapAfter($1) }! + 1) % raw.count
            var group: [Raw] = []
            func close() {
                guard let first = group.first, let last = group.last else { return }
                if first.left == last.right {
                    dropped += 1
                } else {
                    var end = last.angle
                    if end < first.angle { end += 2 * Double.pi }
                    let angle = normalized(first.angle / 2 + end / 2)
                    let h = 1e-6
                    zeros.append(Zero(angle: angle, stableFor: first.left > 0 ? .positive : .negative,
                                      slope: (g(angle + h) - g(angle - h)) / (2 * h)))
                }
                group = []
            }
            for offset in 0..<raw.count {
                let k = (start + offset) % raw.count
                if let previous = group.last {
                    var gap = raw[k].angle - previous.angle
                    if gap < 0 { gap += 2 * Double.pi }
                    if gap > options.mergeTolerance { close() }
                }
                group.append(raw[k])
            }
            close()
        }
        zeros.sort { $0.angle < $1.angle }
        return Zeros(zeros: zeros, lines: lines(of: zeros, tolerance: options.lineTolerance),
                     droppedTangencies: dropped, isIdenticallyZero: false, samples: values)
    }

    /// Pairs zeros whose angles differ by π within `tolerance`, closest pairs first.
    static func lines(of zeros: [Zero], tolerance: Double) -> [Line] {
        var candidates: [(distance: Double, i: Int, j: Int)] = []
        for i in zeros.indices {
            for j in zeros.indices where j > i {
                let d = Swift.abs(normalized(zeros[j].angle - zeros[i].angle - Double.pi))
                if d <= tolerance { candidates.append((d, i, j)) }
            }
        }
        candidates.sort { ($0.distance, $0.i, $0.j) < ($1.distance, $1.i, $1.j) }
        var partner = [Int?](repeating: nil, count: zeros.count)
        for c in candidates where partner[c.i] == nil && partner[c.j] == nil {
            partner[c.i] = c.j; partner[c.j] = c.i
        }
        var lines: [Line] = []
        for i in zeros.indices {
            if let j = partner[i] {
                guard j > i else { continue }
                // The mean of the two angles folded onto one orientation, then onto [−π/2, π/2).
                let a = zeros[i].angle, b = a + normalized(zeros[j].angle - Double.pi - a)
                lines.append(Line(angle: folded(a / 2 + b / 2), zeros: [zeros[i], zeros[j]]))
            } else {
                lines.append(Line(angle: folded(zeros[i].angle), zeros: [zeros[i]]))
            }
        }
        return lines.sorted { $0.angle < $1.angle }
    }

    /// φ reduced to [−π, π).
    static func normalized(_ phi: Double) -> Double {
        let twoPi = 2 * Double.pi
        var r = phi - twoPi * ((phi + Double.pi) / twoPi).rounded(.down)
        if r >= Double.pi { r -= twoPi }
        if r < -Double.pi { r += twoPi }
        return r
    }

    /// A line's angle: φ reduced modulo π to [−π/2, π/2).
    static func folded(_ phi: Double) -> Double {
        var r = phi - Double.pi * ((phi + Double.pi / 2) / Double.pi).rounded(.down)
        if r >= Double.pi / 2 { r -= Double.pi }
        if r < -Double.pi / 2 { r += Double.pi }
        return r
    }
}
