/// Macro-averaged F1 score: the unweighted mean over classes of each class's F1 score
/// `2 tp / (2 tp + fp + fn)`.
///
/// Predicted classes are the argmax of the probabilities (first column on ties). As with
/// scikit-learn's default `labels=None`, the classes averaged are those present in the truth
/// or in the predictions; a class in neither does not count (scikit-learn would score it 0
/// through `zero_division` only if `labels` listed it). A class predicted but never true,
/// or true but never predicted, scores 0. Higher is better; the value is in [0, 1].
///
/// Formula: scikit-learn `f1_score(y_true, y_pred, average="macro")`.
public struct F1Macro: ScoreType {
    public var name: String { "f1_macro" }
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
        let counts = ClassCounts(truth: rows.classes, predicted: rows.predictedClasses(), classCount: rows.classCount)
        var scores: [Double] = []
        for c in 0..<rows.classCount where counts.truthCounts[c] + counts.predictedCounts[c] > 0 {
            scores.append(counts.f1(ofClass: c))
        }
        return scores.reduce(0, +) / Double(scores.count)
    }
}
