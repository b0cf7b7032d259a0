// cluster-runner INPUT N D LABELS [--tau T] [--min-size M] [--sample S] [--threads K] [--repeat R]
//
// INPUT: N·D float64 values, little-endian, row-major (a raw file, or a .npy whose header is skipped).
// LABELS: written as N lines, one int64 label each (−1 = unclustered or excluded).
// Prints one JSON line: {"seconds": best wall time of the clustering call over R repeats, "clusters": K,
// "unclustered": U, "m_eff_lower": …, "m_eff_upper": …}.
import Analysis
import Foundation
import LinearAlgebra

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("cluster-runner: " + message + "\n").data(using: .utf8)!)
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var options = SphereClustering.Options()
var repeats = 1
func take(_ flag: String) -> String? {
    guard let i = args.firstIndex(of: flag) else { return nil }
    guard i + 1 < args.count else { fail("\(flag) needs a value") }
    let value = args[i + 1]
    args.removeSubrange(i...(i + 1))
    return value
}
func number<T: LosslessStringConvertible>(_ flag: String) -> T? {
    guard let text = take(flag) else { return nil }
    guard let value = T(text) else { fail("bad \(flag) \(text)") }
    return value
}
if let t: Double = number("--tau") { options.cosineThreshold = t }
if let m: Int = number("--min-size") { options.minimumSize = m }
if let s: Int = number("--sample") { options.sampleSize = s }
if let k: Int = number("--threads") { BLAS.threads = k }
if let r: Int = number("--repeat") { repeats = max(1, r) }
guard args.count == 4, let n = Int(args[1]), let d = Int(args[2]), n >= 0, d >= 1 else {
    fail("usage: cluster-runner INPUT N D LABELS [--tau T] [--min-size M] [--sample S] [--threads K] [--repeat R]")
}
guard let data = FileManager.default.contents(atPath: args[0]) else { fail("cannot read \(args[0])") }
let payload = n * d * 8
guard data.count >= payload else { fail("\(args[0]) has \(data.count) bytes, need \(payload) for \(n)×\(d) float64") }
let offset = data.count - payload           // a .npy header (or nothing) precedes the values
var rows = [Double](repeating: 0, count: n * d)
rows.withUnsafeMutableBytes { dst in
    data.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset...])) }
}
for i in rows.indices { rows[i] = Double(bitPattern: UInt64(littleEndian: rows[i].bitPattern)) }

var best = Double.infinity
var result: SphereClustering? = nil
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    let r = SphereClustering(rows: rows, count: n, dimension: d, options: options)
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    result = r
}
let r = result!
let text = r.labels.map(String.init).joined(separator: "\n") + "\n"
do { try text.write(toFile: args[3], atomically: true, encoding: .utf8) } catch { fail("cannot write \(args[3]): \(error)") }
print("{\"seconds\": \(best), \"clusters\": \(r.clusters.count), \"unclustered\": \(r.unclusteredCount), "
      + "\"excluded\": \(r.excluded.count), \"m_eff_lower\": \(r.effectiveNumber.lower), "
      + "\"m_eff_upper\": \(r.effectiveNumber.upper)}")
