import Foundation

/// What uniformly scattered directions put into one orientation cap {u : cos(u, c) > τ} on the unit sphere of
/// R^D, the baseline a condensed orientation must beat. It matters in low dimension only: at τ = 0.95 a cap
/// covers 10.1 % of the circle (D = 2, one-dimensional input plus bias), 2.5 % of the sphere in D = 3 and less
/// than 0.06 % from D = 6 on, so random initial directions form "clusters" of that share by chance.
public enum ChanceLevel {
    /// The share of the sphere's area inside the cap: ∫₀^θc sin^(D−2) t dt / ∫₀^π sin^(D−2) t dt, θc = arccos τ.
    /// D = 2: θc/π; D = 3: (1 − τ)/2.
    public static func capFraction(dimension d: Int, cosine tau: Double) -> Double {
        precondition(d >= 2 && tau > -1 && tau < 1)
        let cap = acos(tau)
        let inside = integral(d, from: 0, to: cap) { _ in 1 }, whole = integral(d, from: 0, to: Double.pi) { _ in 1 }
        return inside.value / whole.value * exp(inside.logScale - whole.logScale)
    }

    /// The mean angle to the cap's centre of directions uniform in the cap: ∫ t sin^(D−2) t / ∫ sin^(D−2) t over
    /// [0, θc]. D = 2: θc/2; it tends to θc as D grows (the area gathers at the rim).
    public static func meanAngleInCap(dimension d: Int, cosine tau: Double) -> Double {
        precondition(d >= 2 && tau > -1 && tau < 1)
        let cap = acos(tau)
        return integral(d, from: 0, to: cap) { $0 }.value / integral(d, from: 0, to: cap) { _ in 1 }.value
    }

    /// ∫ f(t) sin^(D−2)(t) dt = value · e^logScale by composite Simpson (2000 panels; the integrand is smooth).
    /// The power is taken in logs relative to its largest value on the range, so it neither under- nor overflows.
    private static func integral(_ d: Int, from a: Double, to b: Double,
                                 _ f: (Double) -> Double) -> (value: Double, logScale: Double) {
        let panels = 2000
        let h = (b - a) / Double(panels)
        let power = Double(d - 2)
        let peak = power == 0 ? 0 : power * log(sin(min(b, Double.pi / 2)))
        var sum = 0.0
        for i in 0...panels {
            let t = a + Double(i) * h
            let s = sin(t)
            let w = power == 0 ? 1 : (s > 0 ? exp(power * log(s) - peak) : 0)
            let coefficient: Double = i == 0 || i == panels ? 1 : (i % 2 == 1 ? 4 : 2)
            sum += coefficient * f(t) * w
        }
        return (sum * h / 3, peak)
    }
}
