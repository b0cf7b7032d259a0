/// Whether a neuron's input-weight vector is kept on the unit sphere (with the norm it had), or why it was left
/// out: a non-finite entry, or a norm negligible beside the largest. (Not an orientation: the kept rows are.)
public enum NeuronStatus: Equatable, Sendable {
    case kept(norm: Double)
    case nonFinite
    case negligible(norm: Double)
}

/// Normalizes the rows of a row-major (count × dimension) matrix in place, classifying each: a row with a
/// non-finite entry, or whose norm is below `relativeThreshold` × the largest finite norm, is left out
/// (its row is zeroed) and reported as such.
public func normalizeRows(_ rows: UnsafeMutableBufferPointer<Double>, count: Int, dimension: Int,
                          relativeThreshold: Double) -> [NeuronStatus] {
    precondition(rows.count == count * dimension)
    var norms = [Double](repeating: .nan, count: count)
    var largest = 0.0
    for i in 0..<count {
        var s = 0.0
        var finite = true
        for j in 0..<dimension {
            let v = rows[i * dimension + j]
            if !v.isFinite { finite = false; break }
            s += v * v
        }
        if finite {
            norms[i] = s.squareRoot()
            largest = max(largest, norms[i])
        }
    }
    let cutoff = relativeThreshold * largest
    var result: [NeuronStatus] = []
    result.reserveCapacity(count)
    for i in 0..<count {
        let n = norms[i]
        if n.isNaN {
            result.append(.nonFinite)
        } else if n <= cutoff || n == 0 {
            result.append(.negligible(norm: n))
        } else {
            result.append(.kept(norm: n))
            for j in 0..<dimension { rows[i * dimension + j] /= n }
            continue
        }
        for j in 0..<dimension { rows[i * dimension + j] = 0 }
    }
    return result
}
