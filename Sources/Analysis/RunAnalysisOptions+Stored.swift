import Foundation

/// How the options of an analysis are stored with it in `/analysis` (FORMAT.md): `condense analyze` writes them,
/// and `sweep collect` compares a run's stored ones with its own to decide whether the stored analysis can be
/// reused.
extension RunAnalysisOptions {
    /// Every threshold and level as a numeric attribute of `/analysis`.
    public var storedAttributes: [(String, Double)] {
        let c = condensation
        return [("cosine_threshold", c.cosineThreshold), ("relative_norm_threshold", c.relativeNormThreshold),
                ("minimum_condensed_share", c.minimumCondensedShare),
                ("minimum_condensed_size", Double(c.minimumCondensedSize)), ("chance_factor", c.chanceFactor),
                ("enter_coverage", c.enterCoverage), ("hold_coverage", c.leaveCoverage),
                ("minimum_cluster_size", Double(c.minimumClusterSize)),
                ("minimum_cluster_share", c.minimumClusterShare), ("settle", Double(settle)),
                ("heatmap_neurons", Double(heatmapNeurons))]
    }

    /// `/analysis@options`: every option that shapes the stored values, as JSON.
    public var storedJSON: String {
        let c = condensation
        return """
        {"cosine_threshold":\(c.cosineThreshold),"relative_norm_threshold":\(c.relativeNormThreshold),\
        "minimum_condensed_share":\(c.minimumCondensedShare),"minimum_condensed_size":\(c.minimumCondensedSize),"chance_factor":\(c.chanceFactor),\
        "enter_coverage":\(c.enterCoverage),"hold_coverage":\(c.leaveCoverage),"coverage_weighting":"\(c.coverageWeighting.rawValue)",\
        "settle":\(settle),"check_thresholds":[\(robustnessThresholds.map { "\($0)" }.joined(separator: ","))],\
        "minimum_cluster_size":\(c.minimumClusterSize),"minimum_cluster_share":\(c.minimumClusterShare),\
        "sample_size":\(c.sampleSize),"heatmap_neurons":\(heatmapNeurons),\
        "effective_ratio":"upper bound on m_eff (cluster directions + greedy cover) / kept neurons"}
        """
    }

    /// The stored options that change no count, share or verdict (only the heat maps' size), and so do not decide
    /// whether a stored analysis gives the same results.
    public static let presentationOnlyKeys: Set<String> = ["heatmap_neurons"]

    /// Whether an analysis stored with `json` as its `options` counted with these options: the same keys and
    /// values, presentation-only keys aside. JSON that does not parse never matches.
    public func countsAlike(storedJSON json: String) -> Bool {
        func parse(_ text: String) -> NSDictionary? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return object.filter { !Self.presentationOnlyKeys.contains($0.key) } as NSDictionary
        }
        guard let stored = parse(json), let ours = parse(storedJSON) else { return false }
        return stored.isEqual(ours)
    }
}
