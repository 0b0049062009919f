/// Brier score: the mean squared difference between predicted probabilities and the
/// one-hot truth.
///
/// - Two classes: the mean over rows of `(y - p)^2`, where `y` is 1 for the positive class
///   (index 1) and `p` the probability in the second column; the first column is ignored.
///   This is scikit-learn `brier_score_loss(y_true, P[:, 1], pos_label=1)` and
///   ramp-workflow's `BrierScore`. Value in [0, 1].
/// - Three or more classes: the mean over rows of the sum over classes of
///   `(onehot(y)_c - p_c)^2`, scikit-learn (>= 1.7) `brier_score_loss(y_true, P,
///   labels=range(k))`, whose default `scale_by_half="auto"` does not halve for three or
///   more classes. Value in [0, 2].
///
/// Lower is better. Probabilities are used as given: no clipping, no renormalisation.
/// scikit-learn rejects values outside [0, 1] and warns when multi-class rows do not sum to
/// 1; this type scores them anyway. The test vectors come from scikit-learn 1.9.1.
public struct BrierScore: ScoreType {
    public var name: String { "brier_score" }
    public var isLowerBetter: Bool { true }
    public var range: ClosedRange<Double> { 0...2 }  // multi-class: sum over classes of squared errors

    public init() {}

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows or non-finite probabilities.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let matrix = rows.probabilities
        var total = 0.0
        for (row, trueClass) in rows.classes.enumerated() {
            if rows.classCount == 2 {
                let difference = (trueClass == 1 ? 1.0 : 0.0) - matrix[row, 1]
                total += difference * difference
            } else {
                var rowTotal = 0.0
                for column in 0..<rows.classCount {
                    let difference = (column == trueClass ? 1.0 : 0.0) - matrix[row, column]
                    rowTotal += difference * difference
                }
                total += rowTotal
            }
        }
        return total / Double(rows.rowCount)
    }
}
