import Foundation
import Propagation

/// Closed-form predictions at initialization against simulation, one independent simulation per seed.
///
/// The agreement test is the one the propagation tests use: a seed matches when its simulated mean lies within
/// |z| < 3 standard errors of the prediction, z = (simulated − predicted)/sem. The share of matching seeds then
/// goes through the same rule as every count claim.
enum TheoryClaims {
    static let zLimit = 3.0

    /// One prediction against `seeds` simulations: `simulate(seed)` gives (simulated mean, its standard error).
    static func compare(key: String, claim: String, source: String, predicted: Double, seeds: [Int],
                        note: String? = nil, simulate: (Int) throws -> (mean: Double, sem: Double)) rethrows -> ClaimOutcome {
        var values: [Double] = [], zs: [Double] = []
        for s in seeds {
            let r = try simulate(s)
            values.append(r.mean)
            zs.append((r.mean - predicted) / max(r.sem, 1e-12 * max(1, abs(predicted))))
        }
        let matches = zs.map { $0.isFinite && abs($0) < zLimit }
        let n = matches.filter { $0 }.count
        let finite = zs.filter(\.isFinite)
        var reason = "\(n) of \(seeds.count) seeds within |z| < \(Int(zLimit))"
        if let lo = finite.min(), let hi = finite.max() { reason += String(format: "; z from %+.2f to %+.2f", lo, hi) }
        if let note { reason += "; " + note }
        return ClaimOutcome(key: key, claim: claim, source: source, expected: String(format: "%.4g (predicted)", predicted),
                            seeds: seeds, perSeed: values, matches: matches,
                            agreement: predicted.isFinite ? Agreement.fromShare(matching: n, of: seeds.count) : .notApplicable,
                            reason: predicted.isFinite ? reason : "no finite prediction" + (note.map { ": " + $0 } ?? ""))
    }
}
