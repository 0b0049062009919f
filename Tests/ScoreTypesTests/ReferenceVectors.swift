import Foundation
import ScoreTypes

/// The reference vectors written by `Vectors/make_vectors.py` (scikit-learn and numpy
/// values), read from `Vectors/vectors.json` next to this file.
struct ReferenceVectors: Decodable, Sendable {
    /// The library versions that computed the expected values.
    let versions: [String: String]
    /// What computed each expected key.
    let sources: [String: String]
    let classification: [ClassificationCase]
    let regression: [RegressionCase]

    /// One classification input and its expected scores.
    struct ClassificationCase: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let classCount: Int
        let truth: [Int]
        let probabilities: [[Double]]
        let rowsSumToOne: Bool
        let plasticcWeights: [Double]
        /// Expected value per key; `nil` means undefined (the score must throw `.undefined`).
        let expected: [String: Double?]

        var description: String { name }
        var groundTruth: GroundTruth { .classes(truth, classCount: classCount) }
        var predictions: Predictions { .probabilities(ProbabilityMatrix(rows: probabilities, classCount: classCount)) }
    }

    /// One regression input and its expected scores.
    struct RegressionCase: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let truth: [Double]
        let predictions: [Double]
        let expected: [String: Double?]

        var description: String { name }
    }

    /// Reads `Vectors/vectors.json`, located from this source file's path (no SwiftPM resources).
    static func load() throws -> ReferenceVectors {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Vectors")
            .appendingPathComponent("vectors.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReferenceVectors.self, from: Data(contentsOf: url))
    }

    /// The score type configured for an expected key of a classification case.
    static func classificationScoreType(key: String, for testCase: ClassificationCase) -> (any ScoreType)? {
        switch key {
        case "accuracy": Accuracy()
        case "balanced_accuracy": BalancedAccuracy()
        case "balanced_accuracy_adjusted": BalancedAccuracy(adjusted: true)
        case "roc_auc": ROCAUC()
        case "log_loss": LogLoss()
        case "log_loss_sklearn": LogLoss(rowNormalization: .none)
        case "log_loss_rampwf": LogLoss(epsilon: 1e-15)
        case "log_loss_rampwf_legacy": LogLoss(epsilon: 1e-15, rowNormalization: .beforeClipping)
        case "f1": F1()
        case "f1_macro": F1Macro()
        case "classification_error": ClassificationError()
        case "f1_above_0.5": F1Above(threshold: 0.5)
        case "f1_above_0.7": F1Above(threshold: 0.7)
        case "brier_score": BrierScore()
        case "plasticc_log_loss": PlasticcLogLoss()
        case "plasticc_log_loss_weighted": PlasticcLogLoss(classWeights: testCase.plasticcWeights)
        default: nil
        }
    }
}

/// Whether `actual` equals `expected` to a relative tolerance (exact when `expected` is 0).
func isClose(_ actual: Double, _ expected: Double, relativeTolerance: Double = 1e-12) -> Bool {
    abs(actual - expected) <= relativeTolerance * max(abs(actual), abs(expected))
}
