import Foundation
import HDF5

/// Writes a `ReproductionSummary`: one group per experiment, each a self-contained netCDF-style group that
/// `xarray.open_dataset(path, engine="h5netcdf", group=id)` reads with named dimensions.
public enum ReproductionSummaryWriter {
    /// Written under a hidden name beside `path` and renamed to it once complete, so a kill leaves the previous
    /// summary or the new one; a hidden file an error left is removed by the next write in the directory.
    public static func write(_ s: ReproductionSummary, to path: String) throws {
        let file = try H5File.create(path, mode: .truncate, publishingLater: true)
        let root = file.root
        try root.setAttribute("format", ReproductionSummaryFormat.name)
        try root.setAttribute("format_version", ReproductionSummaryFormat.version)
        try root.setAttribute("creator", "condense \(RunFileFormat.toolVersion)")
        try root.setAttribute("created_utc", UTCTimestamp.string())
        try root.setAttribute("agreement_rule", s.rule)
        try root.setAttribute("experiments", s.experiments.map(\.id))
        for e in s.experiments {
            let n = e.key.count, k = e.seeds.count
            for (name, count) in [("claim", e.claim.count), ("source", e.source.count), ("expected", e.expected.count),
                                  ("agreement", e.agreement.count), ("reason", e.reason.count), ("matching", e.matching.count),
                                  ("median", e.median.count), ("min", e.minimum.count), ("max", e.maximum.count)]
            where count != n {
                throw HDF5Error.value("reproduction summary \(e.id): \(count) values of \(name) for \(n) claims")
            }
            guard e.obtained.count == n * k, e.matches.count == n * k else {
                throw HDF5Error.value("reproduction summary \(e.id): obtained/matches need \(n) × \(k) values")
            }
            let g = try root.createGroup(e.id)
            try g.setAttribute("figure", e.figure)
            try g.setAttribute("summary", e.summary)
            try g.setAttribute("quick", e.quick)
            try g.setAttribute("notes", e.notes.joined(separator: "\n"))
            try g.setAttribute("agreement_rule", e.rule)
            let claimScale = try g.write(ReproductionSummaryFormat.claimDim, e.key)
            try claimScale.makeDimensionScale(ReproductionSummaryFormat.claimDim)
            let seedScale = try g.write(ReproductionSummaryFormat.seedDim, e.seeds)
            try seedScale.makeDimensionScale(ReproductionSummaryFormat.seedDim)
            func perClaim(_ d: H5Dataset, _ meaning: String) throws {
                try d.attach(scale: claimScale, toDimension: 0)
                try d.setAttribute("long_name", meaning)
            }
            func perSeed(_ d: H5Dataset, _ meaning: String) throws {
                try d.attach(scale: claimScale, toDimension: 0)
                try d.attach(scale: seedScale, toDimension: 1)
                try d.setAttribute("long_name", meaning)
            }
            try perClaim(try g.write("claim_text", e.claim), "the claim in words")
            try perClaim(try g.write("source", e.source), "paper and figure")
            try perClaim(try g.write("expected", e.expected), "the paper's value")
            try perClaim(try g.write("agreement", e.agreement), "agrees, partly, disagrees, n/a, not yet computed")
            try perClaim(try g.write("reason", e.reason), "why (matching seeds, missing runs, fits)")
            try perClaim(try g.write("matching", e.matching), "seeds whose value matches the claim")
            try perClaim(try g.write("median", e.median), "median of the per-seed values (NaN: none)")
            try perClaim(try g.write("min", e.minimum), "smallest per-seed value")
            try perClaim(try g.write("max", e.maximum), "largest per-seed value")
            try perSeed(try g.write("obtained", e.obtained, shape: [n, k]), "the value each seed obtained (NaN: no value)")
            try perSeed(try g.write("matches", e.matches, shape: [n, k]), "1: the seed's value matches the claim, 0: not")
        }
        try file.flush()
        try file.publish()
        try file.close()
    }
}
