import Foundation
import Model
import RunFormat

/// Delimited text: one sample per line, an optional header line of column names.
///
/// - Delimiter: `,`; a file whose first line has no comma but a tab (or else a semicolon) uses that instead.
/// - Blank lines and lines starting with `#` are skipped; line numbers in errors are the file's own.
/// - Cells are trimmed; surrounding double quotes are removed (no embedded delimiters).
/// - Header: the first line is a header when none of its cells is a number (or as forced by `header:`).
/// - Only the selected columns must hold finite numbers; other columns may hold anything.
enum CSVData {
    /// Reads the CSV file at `path` line by line (`TextLineReader`: lines of at most 1 MiB); `name` is how errors
    /// call it. Messages quote at most a short excerpt of a cell.
    static func parse(file path: String, name: String, xColumns: String?, yColumns: String?,
                      header forcedHeader: Bool? = nil) throws -> Dataset {
        var reader = try TextLineReader(path: path, name: name)
        defer { reader.close() }
        // The next line that holds data (blank lines and comments skipped).
        func nextLine() throws -> (number: Int, text: String)? {
            while let line = try reader.next() {
                let t = line.text.drop(while: { $0.isWhitespace })
                if t.isEmpty || t.hasPrefix("#") { continue }
                return line
            }
            return nil
        }
        guard let first = try nextLine() else { throw TrainingError.data("data file \(name) is empty (no data lines)") }
        let delimiter: Character = first.text.contains(",") ? ","
            : first.text.contains("\t") ? "\t" : first.text.contains(";") ? ";" : ","
        func cells(_ line: String) -> [Substring] {
            line.split(separator: delimiter, omittingEmptySubsequences: false).map { cell in
                var c = cell.drop(while: \.isWhitespace)
                while let l = c.last, l.isWhitespace { c = c.dropLast() }
                if c.count >= 2, c.first == "\"", c.last == "\"" { c = c.dropFirst().dropLast() }
                return c
            }
        }
        let firstCells = cells(first.text)
        let isHeader = forcedHeader ?? firstCells.allSatisfy { Double(String($0)) == nil }
        let header: [String]? = isHeader ? firstCells.map(String.init) : nil
        let width = firstCells.count
        guard width >= 2 else {
            throw TrainingError.data("data file \(name) has one column (delimiter '\(TextExcerpt.printable(delimiter))'); it needs inputs and a target")
        }
        let (xs, ys) = try selectColumns(x: xColumns, y: yColumns, header: header, width: width, name: name)
        var x = [Double](), y = [Double]()
        func label(_ c: Int) -> String {
            if let header { return "column \(c + 1) ('\(TextExcerpt.of(header[c]))')" }
            return "column \(c + 1)"
        }
        var n = 0
        func add(_ number: Int, _ line: String) throws {
            let row = cells(line)
            guard row.count == width else {
                throw TrainingError.data("data file \(name), line \(number): \(row.count) cells where line \(first.number) has \(width)")
            }
            func value(_ c: Int) throws -> Double {
                let cell = row[c]
                guard !cell.isEmpty else { throw TrainingError.data("data file \(name), line \(number), \(label(c)) is empty") }
                guard let v = Double(String(cell)) else {
                    throw TrainingError.data("data file \(name), line \(number), \(label(c)): '\(TextExcerpt.of(cell))' is not a number")
                }
                guard v.isFinite else {
                    throw TrainingError.data("data file \(name), line \(number), \(label(c)): '\(TextExcerpt.of(cell))' is not a finite number")
                }
                return v
            }
            for c in xs { x.append(try value(c)) }
            for c in ys { y.append(try value(c)) }
            n += 1
        }
        if !isHeader { try add(first.number, first.text) }
        while let line = try nextLine() { try add(line.number, line.text) }
        guard n > 0 else { throw TrainingError.data("data file \(name) has a header line but no data lines") }
        return Dataset(x: x, y: y, n: n, inputDim: xs.count, outputDim: ys.count)
    }

    /// Resolves `--x-cols` / `--y-cols`: comma-separated items, each a header name, a 0-based index (negative
    /// counts from the end: −1 is the last column), or an inclusive range `a-b` of indices. Defaults: y is the
    /// last column, x every column not in y. A column may not be in both, nor twice in one.
    static func selectColumns(x xSpec: String?, y ySpec: String?, header: [String]?, width: Int,
                              name: String) throws -> (x: [Int], y: [Int]) {
        let ys = try ySpec.map { try resolve($0, header: header, width: width, name: name, flag: "--y-cols") } ?? [width - 1]
        let xs = try xSpec.map { try resolve($0, header: header, width: width, name: name, flag: "--x-cols") }
            ?? (0..<width).filter { !ys.contains($0) }
        if let both = xs.first(where: { ys.contains($0) }) {
            throw TrainingError.option("column \(both) of \(name) is selected as both input (--x-cols) and target (--y-cols)")
        }
        guard !xs.isEmpty else { throw TrainingError.option("no input columns left in \(name); choose them with --x-cols") }
        return (xs, ys)
    }

    static func resolve(_ spec: String, header: [String]?, width: Int, name: String, flag: String) throws -> [Int] {
        var out: [Int] = []
        func index(_ i: Int, _ item: Substring) throws -> Int {
            let j = i < 0 ? width + i : i
            guard (0..<width).contains(j) else {
                throw TrainingError.option("\(flag) '\(TextExcerpt.of(item))': \(name) has columns 0…\(width - 1)")
            }
            return j
        }
        for raw in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)[...]
            guard !item.isEmpty else { throw TrainingError.option("\(flag) \"\(TextExcerpt.of(spec))\" has an empty item") }
            if let header, let i = header.firstIndex(of: String(item)) {
                out.append(i)
            } else if let i = Int(item) {
                out.append(try index(i, item))
            } else if let dash = item.dropFirst().firstIndex(of: "-"),
                      let a = Int(item[..<dash]), let b = Int(item[item.index(after: dash)...]) {
                let (ia, ib) = (try index(a, item), try index(b, item))
                guard ia <= ib else { throw TrainingError.option("\(flag) '\(TextExcerpt.of(item))': the range runs backwards") }
                out += Array(ia...ib)
            } else if let header {
                throw TrainingError.option("\(flag) '\(TextExcerpt.of(item))' is not a column of \(name) (columns: "
                                    + "\(TextExcerpt.of(header.map { TextExcerpt.of($0) }.joined(separator: ", "), limit: 200)))")
            } else {
                throw TrainingError.option("\(flag) '\(TextExcerpt.of(item))' is not a column index or range like 0-4 (\(name) has no header line)")
            }
        }
        var seen = Set<Int>()
        if let dup = out.first(where: { !seen.insert($0).inserted }) {
            throw TrainingError.option("\(flag) \"\(TextExcerpt.of(spec))\" selects column \(dup) twice")
        }
        return out
    }
}
