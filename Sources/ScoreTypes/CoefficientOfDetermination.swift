/// Coefficient of determination R²: `1 - sum((y - prediction)^2) / sum((y - mean(y))^2)`,
/// unitless.
///
/// Higher is better; 1 is perfect, 0 is as good as predicting the mean, and it is unbounded
/// below. When the truth is constant (zero denominator) scikit-learn's default
/// `force_finite=True` gives 1 for perfect predictions and 0 otherwise; so does this type.
///
/// Formula: scikit-learn `r2_score(y_true, y_pred)`; ramp-workflow's `R2` calls it.
public struct CoefficientOfDetermination: ScoreType {
    public var name: String { "r2" }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { -.infinity...1 }

    public init() {}

    /// - Parameters:
    ///   - truth: `.values`, one true value per row.
    ///   - predictions: `.values`, one predicted value per row, same order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or row counts differ;
    ///   ``ScoreTypeError/undefined(_:)`` for fewer than two rows (scikit-learn warns and
    ///   returns NaN) or non-finite values.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try RegressionRows(truth: truth, predictions: predictions, scoreName: name)
        guard rows.rowCount >= 2 else {
            throw ScoreTypeError.undefined("R² is not defined for fewer than two rows")
        }
        let mean = rows.truth.reduce(0, +) / Double(rows.rowCount)
        var residualSum = 0.0
        var totalSum = 0.0
        for (trueValue, predictedValue) in zip(rows.truth, rows.predictions) {
            residualSum += (trueValue - predictedValue) * (trueValue - predictedValue)
            totalSum += (trueValue - mean) * (trueValue - mean)
        }
        if totalSum == 0 { return residualSum == 0 ? 1 : 0 }
        return 1 - residualSum / totalSum
    }
}
