import ScoreTypes

/// One fold's blending candidates: every submission's validation predictions on the fold and
/// the fold's truth (internal).
struct FoldCandidates: Sendable {
    /// The truth of the fold's validation rows, in fold order.
    let truth: GroundTruth
    /// Every submission's raw validation predictions, in submission order.
    let predictions: [Predictions]
    /// The row-major numbers of each candidate (probabilities or values), shared with
    /// ``predictions`` (no copy).
    let values: [[Double]]
    /// Number of validation rows.
    let rowCount: Int
    /// Numbers per row: the class count for probabilities, 1 for regression values.
    let width: Int
    /// True for class probabilities, which are clipped and renormalised before averaging.
    let isProbabilities: Bool

    /// The fold's candidates; the shapes must already have been checked.
    init(truth: GroundTruth, predictions: [Predictions]) {
        self.truth = truth
        self.predictions = predictions
        rowCount = truth.rowCount
        switch predictions.first {
        case .probabilities(let matrix):
            width = matrix.classCount
            isProbabilities = true
        case .values, nil:
            width = 1
            isProbabilities = false
        }
        values = predictions.map { prediction in
            switch prediction {
            case .probabilities(let matrix): matrix.values
            case .values(let values): values
            }
        }
    }

    /// Number of candidates.
    var count: Int { predictions.count }

    /// Adds the combination-ready row `row` of `candidate` (clipped and renormalised
    /// probabilities, or the raw value) to `sums`, element-wise, and writes
    /// `(sums + row) / divisor` to `destination`; `scratch` needs `width` values.
    @inline(__always)
    func writeMean(
        of candidate: UnsafePointer<Double>, row: Int, sums: UnsafePointer<Double>, divisor: Double,
        scratch: UnsafeMutablePointer<Double>, into destination: UnsafeMutablePointer<Double>
    ) {
        let offset = row * width
        if isProbabilities {
            RampNormalization.normalizeRow(candidate + offset, width: width, into: scratch)
            for column in 0..<width {
                destination[offset + column] = (sums[offset + column] + scratch[column]) / divisor
            }
        } else {
            destination[offset] = (sums[offset] + candidate[offset]) / divisor
        }
    }
}
