import Model

/// The runs `sweep run --index` names: manifest indices and inclusive ranges, `7`, `3,4,5`, `3-5,9` (what a Slurm
/// array task of `sweep slurm` runs; a single index is the run alone, as before seed batches).
public enum RunSelection {
    /// The indices in the order given; each within the manifest's `runs`, none twice.
    public static func parse(_ text: String, runs: Int) throws -> [Int] {
        let range = runs > 0 ? "runs 0…\(runs - 1)" : "no runs"
        let shown = TextExcerpt.of(text)
        var out: [Int] = [], seen = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            // A whole number (negative too) is one index; else `a-b`.
            if let k = Int(item) {
                guard (0..<runs).contains(k) else { throw SweepError.option("--index \(shown): the sweep has \(range)") }
                guard seen.insert(k).inserted else { throw SweepError.option("--index \(shown) lists run \(k) twice") }
                out.append(k)
                continue
            }
            let parts = item.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]) else {
                throw SweepError.option("--index '\(shown)' is not a run index or list (e.g. 7, 3,4,5 or 3-5)")
            }
            guard lo <= hi else { throw SweepError.option("--index \(shown): the range \(item) runs backwards; write \(hi)-\(lo)") }
            guard lo >= 0, hi < runs else { throw SweepError.option("--index \(shown): the sweep has \(range)") }
            for k in lo...hi {
                guard seen.insert(k).inserted else { throw SweepError.option("--index \(shown) lists run \(k) twice") }
                out.append(k)
            }
        }
        return out
    }
}
