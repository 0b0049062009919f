/// Balanced accuracy: the mean over classes of the recall (the fraction of the rows of a
/// class that are predicted as that class).
///
/// Predicted classes are the argmax of the probabilities (first column on ties). As in
/// scikit-learn, only classes present in the truth are averaged: a class that is predicted
/// but never true has an undefined recall (0/0) and is dropped (scikit-learn warns "y_pred
/// contains classes not in y_true"); a class neither true nor predicted is not in its
/// confusion matrix at all. Higher is better; the value is in [0, 1], or in
/// [-1/(k-1), 1] when adjusted, with k the number of classes present in the truth.
///
/// Formula: scikit-learn `balanced_accuracy_score(y_true, y_pred, adjusted=...)`; adjusted
/// means `(score - 1/k) / (1 - 1/k)`.
///
/// ramp-workflow: its current `BalancedAccuracy` calls scikit-learn with `adjusted=True` by
/// default (use `BalancedAccuracy(adjusted: true)` for that); older ramp-workflow versions
/// adjusted with `k` = the number of labels of the problem, not the classes present.
public struct BalancedAccuracy: ScoreType {
    public var name: String { "balanced_accuracy" }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { adjusted ? -1...1 : 0...1 }
    /// Whether chance level is rescaled to 0 (scikit-learn `adjusted=True`).
    public let adjusted: Bool

    /// - Parameter adjusted: rescale so that chance scores 0; default `false` (scikit-learn's
    ///   default).
    public init(adjusted: Bool = false) {
        self.adjusted = adjusted
    }

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows, non-finite probabilities, or when
    ///   adjusted and a single class is present in the truth (scikit-learn divides by zero).
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let counts = ClassCounts(truth: rows.classes, predicted: rows.predictedClasses(), classCount: rows.classCount)
        var recalls: [Double] = []
        for c in 0..<rows.classCount where counts.truthCounts[c] > 0 {
            recalls.append(Double(counts.truePositives[c]) / Double(counts.truthCounts[c]))
        }
        let mean = recalls.reduce(0, +) / Double(recalls.count)
        guard adjusted else { return mean }
        guard recalls.count > 1 else {
            throw ScoreTypeError.undefined("adjusted balanced accuracy with a single class present in the truth")
        }
        let chance = 1 / Double(recalls.count)
        return (mean - chance) / (1 - chance)
    }
}
