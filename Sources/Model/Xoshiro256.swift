import Foundation

/// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64, with uniform and Box–Muller
/// normal draws. Every random number in condense (initialization, dropout masks, data) comes from
/// this generator, so a run is reproduced from its seed, and resumed from `state`.
///
/// **Seeding.** With the 64-bit SplitMix64 step
///
///     x ← x + 0x9E3779B97F4A7C15;  z ← x
///     z ← (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9
///     z ← (z ^ (z >> 27)) · 0x94D049BB133111EB
///     output z ^ (z >> 31)                      (all arithmetic mod 2⁶⁴)
///
/// and its finalizer F (the last three lines applied to a value), the SplitMix64 start is
/// `x₀ = seed XOR F(stream · 0x9E3779B97F4A7C15)` (so stream 0 gives `x₀ = seed`), and the four
/// state words s₀…s₃ are the first four SplitMix64 outputs. Different `stream` values give
/// independent generators from one user seed (e.g. stream 0 initialization, 1 dropout, 2 data).
///
/// **Step.** `next()` returns `rotl(s₁·5, 7)·9`, then `t = s₁ << 17; s₂ ^= s₀; s₃ ^= s₁; s₁ ^= s₂;
/// s₀ ^= s₃; s₂ ^= t; s₃ = rotl(s₃, 45)`.
///
/// **Uniform.** `nextUniform() = (next() >> 11) · 2⁻⁵³` ∈ [0, 1), 53 random bits.
///
/// **Normal.** Box–Muller in pairs: u₁ = 1 − nextUniform() ∈ (0, 1], u₂ = nextUniform(),
/// r = √(−2 ln u₁); the call returns r·cos(2πu₂) and caches r·sin(2πu₂), which the next call
/// returns without drawing. The cache is part of `state`, so a restored generator continues the
/// exact sequence. Bit-identical across runs and machines that share the C math library
/// (`log`, `cos`, `sin`); other libms may differ in the last bit of normal draws.
///
/// **State.** `state` is 6 words: s₀, s₁, s₂, s₃, a flag (1 if a normal is cached, else 0) and the
/// cached normal's IEEE-754 bit pattern (0 when none).
public struct Xoshiro256: RandomNumberGenerator, Equatable, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var cachedNormal: Double?

    /// The SplitMix64 output finalizer.
    @inlinable
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for (`seed`, `stream`); see the type's documentation for the exact recipe.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed ^ Xoshiro256.mix(stream &* 0x9E37_79B9_7F4A_7C15)
        func splitMix() -> UInt64 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            return Xoshiro256.mix(x)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        cachedNormal = nil
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }   // the all-zero state is a fixed point; unreachable in practice
    }

    /// Restores a generator from a saved `state` (6 words, or 4 words meaning "no cached normal").
    public init(state: [UInt64]) throws {
        self.init(seed: 0)
        guard Xoshiro256.isValid(state) else { throw ModelError.randomState(state) }
        self.state = state
    }

    static func isValid(_ w: [UInt64]) -> Bool {
        guard w.count == 4 || w.count == 6, w[0] | w[1] | w[2] | w[3] != 0 else { return false }
        return w.count == 4 || w[4] <= 1
    }

    /// The full generator state, 6 words (see the type's documentation); settable for resume.
    /// Setting an invalid state traps; use `init(state:)` to validate untrusted input.
    public var state: [UInt64] {
        get { [s0, s1, s2, s3, cachedNormal == nil ? 0 : 1, cachedNormal?.bitPattern ?? 0] }
        set {
            precondition(Xoshiro256.isValid(newValue), ModelError.randomState(newValue).description)
            s0 = newValue[0]; s1 = newValue[1]; s2 = newValue[2]; s3 = newValue[3]
            cachedNormal = newValue.count == 6 && newValue[4] == 1 ? Double(bitPattern: newValue[5]) : nil
        }
    }

    @inlinable
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Xoshiro256.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Xoshiro256.rotl(s3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller, pairs cached; see the type's documentation).
    public mutating func nextNormal() -> Double {
        if let z = cachedNormal {
            cachedNormal = nil
            return z
        }
        let u1 = 1 - nextUniform()
        let u2 = nextUniform()
        let r = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        cachedNormal = r * sin(angle)
        return r * cos(angle)
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func nextNormal(mean: Double, std: Double) -> Double {
        mean + std * nextNormal()
    }
}
