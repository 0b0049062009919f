/// Regression truth and predicted values, checked against each other.
struct RegressionRows {
    /// The true value of each row.
    let truth: [Double]
    /// The predicted value of each row, same order.
    let predictions: [Double]

    /// Number of rows.
    var rowCount: Int { truth.count }

    /// Checks `truth` and `predictions` for `scoreName`.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when either side is not regression
    ///   values or the row counts differ; ``ScoreTypeError/undefined(_:)`` when there are no
    ///   rows or a value is NaN or infinite (scikit-learn rejects both).
    init(truth: GroundTruth, predictions: Predictions, scoreName: String) throws {
        guard case .values(let truthValues) = truth else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) needs regression values as truth, got class labels")
        }
        guard case .values(let predictedValues) = predictions else {
            throw ScoreTypeError.shapeMismatch("\(scoreName) needs predicted values, got class probabilities")
        }
        guard truthValues.count == predictedValues.count else {
            throw ScoreTypeError.shapeMismatch("\(truthValues.count) true rows but \(predictedValues.count) predicted rows")
        }
        guard !truthValues.isEmpty else {
            throw ScoreTypeError.undefined("\(scoreName) of zero rows")
        }
        guard truthValues.allSatisfy(\.isFinite), predictedValues.allSatisfy(\.isFinite) else {
            throw ScoreTypeError.undefined("the values contain NaN or infinite values")
        }
        self.truth = truthValues
        self.predictions = predictedValues
    }
}
