import Foundation
import Model

/// A Slurm time limit (`sbatch --time`) in one of the forms Slurm accepts: minutes, minutes:seconds,
/// hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds, or unlimited / infinite.
///
/// Checked before the script is written: `sweep slurm --time abc` once wrote `#SBATCH --time=abc`, which sbatch
/// refuses only at submission (and a newline in the value would have added a line to the script).
public struct SlurmTimeLimit: Equatable, Sendable, CustomStringConvertible {
    /// The text as given (Slurm reads it).
    public let description: String
    /// The limit in seconds; nil for unlimited.
    public let seconds: Int?

    private init(description: String, seconds: Int?) { self.description = description; self.seconds = seconds }

    /// `factor` times this limit (unlimited, or a factor of 1, as given), written `D-HH:MM:SS` from a day up, else `HH:MM:SS`:
    /// what a Slurm array task that trains `factor` runs one after another asks for when this is one run's limit.
    public func scaled(by factor: Int) -> SlurmTimeLimit {
        guard let seconds, factor > 1 else { return self }
        // The parsed forms stay below 10^9 minutes: times a factor of at most a few thousand this cannot overflow.
        let total = seconds * max(1, factor)
        let days = total / 86_400, h = total / 3600 % 24, m = total / 60 % 60, s = total % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let clock = "\(two(h)):\(two(m)):\(two(s))"
        return SlurmTimeLimit(description: days > 0 ? "\(days)-\(clock)" : clock, seconds: total)
    }

    public init(parsing text: String) throws {
        description = text
        let lower = text.lowercased()
        if lower == "unlimited" || lower == "infinite" { seconds = nil; return }
        func fail() -> SweepError {
            SweepError.option("--time '\(TextExcerpt.of(text))' is not a Slurm time limit: use minutes (90), MM:SS, HH:MM:SS, D-HH, "
                       + "D-HH:MM or D-HH:MM:SS (e.g. 1:00:00 or 2-12)")
        }
        // Whole numbers of at most 9 digits, so nothing overflows.
        func number(_ s: Substring) throws -> Int {
            guard !s.isEmpty, s.count <= 9, s.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(s) else { throw fail() }
            return v
        }
        func belowSixty(_ v: Int) throws -> Int { guard v < 60 else { throw fail() }; return v }
        let dash = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dash.count <= 2 else { throw fail() }
        let clock = dash.last!.split(separator: ":", omittingEmptySubsequences: false)
        if dash.count == 2 {
            // days-hours[:minutes[:seconds]]
            let days = try number(dash[0])
            guard clock.count <= 3 else { throw fail() }
            let hours = try number(clock[0])
            guard hours < 24 else { throw fail() }
            let minutes = clock.count > 1 ? try belowSixty(try number(clock[1])) : 0
            let secs = clock.count > 2 ? try belowSixty(try number(clock[2])) : 0
            seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
        } else {
            switch clock.count {
            case 1: seconds = try number(clock[0]) * 60
            case 2: seconds = try number(clock[0]) * 60 + (try belowSixty(try number(clock[1])))
            case 3:
                seconds = (try number(clock[0]) * 60 + (try belowSixty(try number(clock[1])))) * 60
                    + (try belowSixty(try number(clock[2])))
            default: throw fail()
            }
        }
    }
}
