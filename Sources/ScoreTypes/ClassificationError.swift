/// Classification error: the fraction of rows whose predicted class is not the true class,
/// `1 - accuracy`. Lower is better; the value is in [0, 1].
///
/// Formula: ramp-workflow's `ClassificationError`, `1 - accuracy_score(y, P.argmax(axis=1))`
/// (scikit-learn), with ``Accuracy``'s argmax (first column on ties).
public struct ClassificationError: ScoreType {
    public var name: String { "classification_error" }
    public var isLowerBetter: Bool { true }
    public var range: ClosedRange<Double> { 0...1 }

    public init() {}

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: as ``Accuracy``.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let wrong = zip(rows.classes, rows.predictedClasses()).count { $0 != $1 }
        return Double(wrong) / Double(rows.rowCount)
    }
}
