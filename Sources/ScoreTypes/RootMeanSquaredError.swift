/// Root mean squared error (RMSE): `sqrt(mean((y - prediction)^2))`, in the unit of the
/// target.
///
/// Lower is better; the value is >= 0. Formula: scikit-learn
/// `root_mean_squared_error(y_true, y_pred)` (>= 1.4; before, `mean_squared_error(...,
/// squared=False)`); ramp-workflow's `RMSE` computes the same.
public struct RootMeanSquaredError: ScoreType {
    public var name: String { "rmse" }
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
            let difference = trueValue - predictedValue
            total += difference * difference
        }
        return (total / Double(rows.rowCount)).squareRoot()
    }
}
