/// The fraction of classes whose F1 score is above a threshold: per class `c`,
/// `2 tp / (2 tp + fp + fn)` with predicted classes the argmax of the probabilities (first
/// column on ties), over the classes present in the truth or in the predictions (as
/// scikit-learn's `labels=None`); the value is in [0, 1], higher is better. Its name carries
/// the threshold: `f1_above_0.7`.
///
/// Formula: ramp-workflow's `F1Above(threshold)`: with `f1 = f1_score(y, P.argmax(axis=1),
/// average=None)` (scikit-learn), `len(f1[f1 > threshold]) / len(f1)`.
public struct F1Above: ScoreType {
    public static let namePrefix = "f1_above_"

    /// Strictly above it counts, in [0, 1].
    public let threshold: Double

    public var name: String { Self.namePrefix + Self.format(threshold) }
    public var isLowerBetter: Bool { false }
    public var range: ClosedRange<Double> { 0...1 }

    public init(threshold: Double) {
        self.threshold = threshold
    }

    /// The score type named `name` (`f1_above_<threshold>`, threshold in [0, 1]), or nil.
    public init?(name: String) {
        guard name.hasPrefix(Self.namePrefix), let threshold = Double(name.dropFirst(Self.namePrefix.count)),
            (0...1).contains(threshold), name == Self.namePrefix + Self.format(threshold)
        else { return nil }
        self.threshold = threshold
    }

    /// The threshold as written in names: the shortest decimal that reads back as it (`0.7`, `0.5`, `1.0`).
    static func format(_ threshold: Double) -> String { "\(threshold)" }

    /// - Parameters:
    ///   - truth: `.classes`, one class index per row.
    ///   - predictions: `.probabilities`, rows x classes, same row order.
    /// - Throws: as ``Accuracy``.
    public func score(truth: GroundTruth, predictions: Predictions) throws -> Double {
        let rows = try ClassificationRows(truth: truth, predictions: predictions, scoreName: name)
        let counts = ClassCounts(truth: rows.classes, predicted: rows.predictedClasses(), classCount: rows.classCount)
        let present = (0..<rows.classCount).filter { counts.truthCounts[$0] + counts.predictedCounts[$0] > 0 }
        let above = present.count { counts.f1(ofClass: $0) > threshold }
        return Double(above) / Double(present.count)
    }
}
