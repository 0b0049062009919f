/// Mean absolute error (MAE): `mean(|y - prediction|)`, in the unit of the target.
///
/// Lower is better; the value is >= 0. Formula: scikit-learn
/// `mean_absolute_error(y_true, y_pred)`; ramp-workflow's `MAE` computes the same.
public struct MeanAbsoluteError: ScoreType {
    public var name: String { "mae" }
    public var isLowerBetter: Bool { true }
    public var range: ClosedRange<Double> { 0 ... .infinity }

    public init() {}

    /// - Parameters:
    ///   - truth: `.values`, one true value per row.
    ///   - predictions: `.values`, one predicted value per row, same order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or row counts differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows or non-finite values.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try RegressionRows(truth: truth, predictions: predictions, scoreName: name)
        var total = 0.0
        for (trueValue, predictedValue) in zip(rows.truth, rows.predictions) {
            total += abs(trueValue - predictedValue)
        }
        return total / Double(rows.rowCount)
    }
}
