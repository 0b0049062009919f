/// Accuracy: the fraction of rows whose predicted class is the true class.
///
/// The predicted class of a row is the column of its largest probability; when several
/// columns tie, the first one wins, as `numpy.argmax` does. Higher is better; the value is
/// in [0, 1].
///
/// Formula: scikit-learn `accuracy_score(y_true, P.argmax(axis=1))`. ramp-workflow's
/// `Accuracy` score type computes the same thing.
public struct Accuracy: ScoreType {
    public var name: String { "accuracy" }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { 0...1 }

    public init() {}

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows or non-finite probabilities.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let correct = zip(rows.classes, rows.predictedClasses()).count { $0 == $1 }
        return Double(correct) / Double(rows.rowCount)
    }
}
