/// A way to score predictions against the truth (a metric), as scikit-learn and
/// ramp-workflow define it.
public protocol ScoreType: Sendable {
    /// The stable name used in challenge.yaml, the database and JSON output (for example `roc_auc`).
    var name: String { get }
    /// True when a smaller value is better (log loss, RMSE, ...).
    var isLowerBetter: Bool { get }
    /// The values a score of this type can take ([0, 1] for rates and areas, from 0 for
    /// losses and errors, up to 1 for R²): a value outside means the scoring went wrong.
    var range: ClosedRange<Double> { get }
    /// Scores `predictions` against `truth`; both have the same rows in the same order.
    /// - Throws: ``ScoreTypeError`` when the shapes do not match this score type or do not
    ///   match each other, or when the score is undefined for these rows.
    func score(truth: GroundTruth, predictions: Predictions) throws -> Double
}

extension ScoreType {
    /// True when `candidate` is strictly better than `reference` for this score type.
    public func isBetter(_ candidate: Double, than reference: Double) -> Bool {
        isLowerBetter ? candidate < reference : candidate > reference
    }
}

/// Why a score could not be computed.
public enum ScoreTypeError: Error, Equatable, CustomStringConvertible {
    /// The name is not one of the known score types.
    case unknownScoreType(String)
    /// Truth and predictions have different row counts or kinds.
    case shapeMismatch(String)
    /// The score is undefined on these rows (for example ROC AUC with a single class present).
    case undefined(String)

    public var description: String {
        switch self {
        case .unknownScoreType(let name): "unknown score type '\(name)'"
        case .shapeMismatch(let detail): "predictions do not match the truth: \(detail)"
        case .undefined(let detail): "score undefined: \(detail)"
        }
    }
}
