/// The running element-wise sum of the current ensemble's combination-ready predictions
/// (internal).
///
/// ramp-workflow recomputes the ensemble mean from scratch for every candidate; keeping the sum
/// gives the same numbers (numpy adds the members in ensemble order, as this does) at a
/// fraction of the cost.
struct EnsembleSums: Sendable {
    /// `rowCount x width` sums, row-major.
    private(set) var sums: [Double]
    /// Number of members added so far, repeats counted.
    private(set) var memberCount = 0

    /// Empty sums for `candidates`' shape.
    init(for candidates: FoldCandidates) {
        sums = [Double](repeating: 0, count: candidates.rowCount * candidates.width)
    }

    /// Adds candidate `index` of `candidates` (clipped and renormalised when probabilities).
    mutating func add(_ index: Int, of candidates: FoldCandidates) {
        let width = candidates.width
        var scratch = [Double](repeating: 0, count: width)
        candidates.values[index].withUnsafeBufferPointer { candidate in
            sums.withUnsafeMutableBufferPointer { sums in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    guard let candidate = candidate.baseAddress, let sums = sums.baseAddress else { return }
                    for row in 0..<candidates.rowCount {
                        let offset = row * width
                        if candidates.isProbabilities {
                            RampNormalization.normalizeRow(candidate + offset, width: width, into: scratch.baseAddress!)
                            for column in 0..<width { sums[offset + column] += scratch[column] }
                        } else {
                            sums[offset] += candidate[offset]
                        }
                    }
                }
            }
        }
        memberCount += 1
    }
}
