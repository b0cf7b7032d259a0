import Foundation

/// The claims on condensed-orientation counts that several experiments share, each judged by the one share rule.
enum CountClaims {
    /// "k lines" (or orientations) in `layer` at `step` (nil: the last snapshot).
    static func count(_ runs: ExperimentRuns, filter: [String: String] = [:], key: String, claim: String,
                      source: String, layer: String = "layer_1", step: Int? = nil, lines: Bool,
                      expected: Int) -> ClaimOutcome {
        let values = runs.perSeed(filter) { run -> Double? in
            guard let l = run.layer(layer) else { return nil }
            let v: Int? = step.map { lines ? l.lines(atStep: $0) : l.orientations(atStep: $0) }
                ?? (lines ? l.finalLines : l.finalOrientations)
            return v.map(Double.init)
        }
        let unit = lines ? (expected == 1 ? "line" : "lines") : (expected == 1 ? "orientation" : "orientations")
        return .counted(key: key, claim: claim, source: source, expected: "\(expected) \(unit)",
                        seeds: runs.seeds, perSeed: values, matches: { $0 == Double(expected) },
                        reason: runs.problems(filter))
    }

    /// "At most 2p condensed orientations in the initial stage": per seed the stage's count; a seed matches when
    /// its stage's verdict is within the bound. For an activation without a multiplicity (ReLU) the bound is
    /// undefined: counts are reported, agreement n/a.
    static func initialWithinBound(_ runs: ExperimentRuns, filter: [String: String] = [:], key: String, subject: String,
                                   source: String, layer: String = "layer_1", multiplicity p: Int?) -> ClaimOutcome {
        let claim = "\(subject): initial stage has at most 2p condensed orientations"
        let facts = runs.seeds.map { s in runs.runs.first { $0.seed == s && $0.matches(filter) }?.layer(layer) }
        let values = facts.map { f -> Double in f?.stage.map { Double($0.orientations) } ?? .nan }
        let never = facts.filter { $0 != nil && $0!.stage == nil }.count
        var notes: [String] = []
        if never > 0 { notes.append("\(never) without an initial stage") }
        let problems = runs.problems(filter)
        if !problems.isEmpty { notes.append(problems) }
        guard let p else {
            return ClaimOutcome(key: key, claim: claim, source: source,
                                expected: "bound undefined (no multiplicity)", seeds: runs.seeds, perSeed: values,
                                matches: values.map { _ in false }, agreement: .notApplicable,
                                reason: (["2p is undefined for this activation: counts only"] + notes).joined(separator: "; "))
        }
        let matches = facts.map { $0?.stage?.verdict == .withinBound }
        let n = matches.filter { $0 }.count
        return ClaimOutcome(key: key, claim: claim, source: source,
                            expected: "≤ 2p = \(2 * p)", seeds: runs.seeds, perSeed: values, matches: matches,
                            agreement: Agreement.fromShare(matching: n, of: runs.seeds.count),
                            reason: (["\(n) of \(runs.seeds.count) seeds within bound"] + notes).joined(separator: "; "))
    }

    /// "Exactly 2p condensed orientations in the initial stage".
    static func initialExactly(_ runs: ExperimentRuns, filter: [String: String] = [:], key: String, subject: String,
                               source: String,
                               layer: String = "layer_1", expected: Int) -> ClaimOutcome {
        let values = runs.perSeed(filter) { run in run.layer(layer)?.stage.map { Double($0.orientations) } }
        let never = runs.perSeed(filter) { run in run.layer(layer).map { $0.stage == nil ? 1 : 0 } }
            .filter { $0 == 1 }.count
        let note = [never > 0 ? "\(never) without an initial stage" : "", runs.problems(filter)].filter { !$0.isEmpty }
            .joined(separator: "; ")
        return .counted(key: key, claim: "\(subject): initial stage has exactly 2p condensed orientations", source: source,
                        expected: "\(expected) orientations", seeds: runs.seeds, perSeed: values,
                        matches: { $0 == Double(expected) }, reason: note)
    }
}
