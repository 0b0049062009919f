/// Binary F1 score of the positive class (class index 1): the harmonic mean of precision
/// and recall, `2 tp / (2 tp + fp + fn)`.
///
/// Predicted classes are the argmax of the probabilities (first column, the negative
/// class, on ties such as [0.5, 0.5]). When the positive class is neither true nor
/// predicted the score is 0/0; scikit-learn's default `zero_division="warn"` then returns 0
/// (with a warning), and so does this type. Higher is better; the value is in [0, 1].
///
/// Formula: scikit-learn `f1_score(y_true, y_pred, pos_label=1, average="binary")`.
/// ramp-workflow's `F1` score type calls the same function.
public struct F1: ScoreType {
    public var name: String { "f1" }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { 0...1 }

    public init() {}

    /// - Parameters:
    ///   - truth: `.classes` with `classCount == 2`, one class index per row.
    ///   - predictions: `.probabilities`, rows x 2, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ or
    ///   there are more than two classes (use ``F1Macro``);
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows or non-finite probabilities.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        try rows.requireBinary(scoreName: name)
        let counts = ClassCounts(truth: rows.classes, predicted: rows.predictedClasses(), classCount: 2)
        return counts.f1(ofClass: 1)
    }
}
