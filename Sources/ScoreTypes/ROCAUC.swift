/// Area under the ROC curve (receiver operating characteristic).
///
/// - Two classes: the score of a row is its probability of the second column (class
///   index 1, the positive class). The area is computed from the ROC curve with one point
///   per distinct score and trapezoids between them, which gives tied scores half credit
///   (the average-rank / Mann-Whitney U statistic); this is exactly scikit-learn's
///   `roc_auc_score(y_true, P[:, 1])`. The area is accumulated in integers and divided once,
///   so the result is the correctly rounded ratio.
/// - More classes: one-vs-rest macro average, the unweighted mean over classes `c` of the
///   binary area of "class c" against "the others" scored by column `c`, as
///   `roc_auc_score(y_true, P, multi_class="ovr", average="macro", labels=range(k))`.
///
/// Higher is better; the value is in [0, 1] (0.5 for uninformative scores).
///
/// Differences: for three or more classes scikit-learn refuses rows that do not sum to 1
/// (`np.allclose`); this type scores the columns as given, which is what scikit-learn's
/// multilabel path `roc_auc_score(one_hot(y_true), P, average="macro")` returns and what
/// ramp-workflow's classic `ROCAUC` (one-hot truth) computed. ramp-workflow's current
/// `ROCAUC` uses the second column against the label index, as here for two classes.
public struct ROCAUC: ScoreType {
    public var name: String { "roc_auc" }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { 0...1 }

    public init() {}

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: ``ScoreTypeError/shapeMismatch(_:)`` when the kinds or shapes differ;
    ///   ``ScoreTypeError/undefined(_:)`` for zero rows, non-finite probabilities, and when a
    ///   class (the positive or the negative one for two classes, any class for more) is
    ///   absent from the truth: scikit-learn warns "Only one class is present in y_true" and
    ///   returns NaN there.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let matrix = rows.probabilities
        if rows.classCount == 2 {
            let scores = (0..<rows.rowCount).map { matrix[$0, 1] }
            return try Self.binaryArea(scores: scores, isPositive: rows.classes.map { $0 == 1 })
        }
        var total = 0.0
        for c in 0..<rows.classCount {
            let scores = (0..<rows.rowCount).map { matrix[$0, c] }
            do {
                total += try Self.binaryArea(scores: scores, isPositive: rows.classes.map { $0 == c })
            } catch {
                throw ScoreTypeError.undefined("ROC AUC: class \(c) is absent from the truth, its one-vs-rest area is undefined")
            }
        }
        return total / Double(rows.classCount)
    }

    /// The area under the ROC curve of `scores` (higher means more likely positive)
    /// against the labels `isPositive`, with ties counted half.
    /// - Throws: ``ScoreTypeError/undefined(_:)`` when all labels are equal.
    static func binaryArea(scores: [Double], isPositive: [Bool]) throws -> Double {
        let positiveCount = isPositive.count { $0 }
        let negativeCount = isPositive.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else {
            throw ScoreTypeError.undefined("ROC AUC with only one class present in the truth")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        // Walk the thresholds from high to low; each group of equal scores moves the curve
        // from (falsePositives, truePositives) by (groupNegatives, groupPositives), adding a
        // trapezoid of twice-area groupNegatives * (2 truePositives + groupPositives).
        var truePositives = 0
        var twiceArea = 0
        var index = 0
        while index < order.count {
            let threshold = scores[order[index]]
            var groupPositives = 0
            var groupNegatives = 0
            while index < order.count, scores[order[index]] == threshold {
                if isPositive[order[index]] { groupPositives += 1 } else { groupNegatives += 1 }
                index += 1
            }
            twiceArea += groupNegatives * (2 * truePositives + groupPositives)
            truePositives += groupPositives
        }
        return Double(twiceArea) / (2 * Double(positiveCount) * Double(negativeCount))
    }
}
