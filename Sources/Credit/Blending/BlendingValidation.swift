import ScoreTypes

/// Checks a blending problem before any work starts (internal), so that shape errors are
/// reported as ``BlendingError`` rather than found deep inside a score type.
enum BlendingValidation {
    /// - Throws: ``BlendingError`` describing the first problem found.
    static func check(_ problem: BlendingProblem, parameters: BlendingParameters) throws {
        guard parameters.maximumEnsembleSize >= 1 else {
            throw BlendingError.invalidParameters("the maximum ensemble size must be at least 1")
        }
        guard parameters.minimumImprovement.isFinite else {
            throw BlendingError.invalidParameters("the minimum improvement must be finite")
        }
        guard !problem.folds.isEmpty else { throw BlendingError.noFolds }
        guard !problem.submissions.isEmpty else { throw BlendingError.noSubmissions }
        let expectedWidth = try width(of: problem.trainingTruth)
        guard try width(of: problem.testTruth) == expectedWidth else {
            throw BlendingError.shapeMismatch("the training and test truths are of different kinds or class counts")
        }
        for (foldIndex, fold) in problem.folds.enumerated() {
            guard !fold.validationRows.isEmpty else {
                throw BlendingError.shapeMismatch("fold \(foldIndex) has no validation rows")
            }
            if let bad = fold.validationRows.first(where: { $0 < 0 || $0 >= problem.trainingTruth.rowCount }) {
                throw BlendingError.shapeMismatch(
                    "fold \(foldIndex) has row \(bad), outside 0..<\(problem.trainingTruth.rowCount)")
            }
        }
        for (submission, folds) in problem.submissions.enumerated() {
            guard folds.count == problem.folds.count else {
                throw BlendingError.shapeMismatch(
                    "submission \(submission) has \(folds.count) folds, the question has \(problem.folds.count)")
            }
            for (foldIndex, predictions) in folds.enumerated() {
                let expectations =
                    [
                        ("validation", predictions.validation, problem.folds[foldIndex].validationRows.count)
                    ] + (predictions.test.map { [("test", $0, problem.testTruth.rowCount)] } ?? [])
                for (part, prediction, rowCount) in expectations {
                    guard prediction.rowCount == rowCount, width(of: prediction) == expectedWidth else {
                        throw BlendingError.shapeMismatch(
                            "submission \(submission), fold \(foldIndex): \(part) predictions have "
                                + "\(prediction.rowCount) rows of \(width(of: prediction)) numbers, "
                                + "expected \(rowCount) rows of \(expectedWidth)")
                    }
                    guard isFinite(prediction) else {
                        throw BlendingError.nonFinitePrediction(submission: submission, fold: foldIndex)
                    }
                }
            }
        }
    }

    /// Numbers per row that predictions of `truth` must have: the class count, or 0 for
    /// regression values (distinguishing them from one-class probabilities).
    private static func width(of truth: GroundTruth) throws -> Int {
        switch truth {
        case .classes(let classes, let classCount):
            guard classCount >= 1, classes.allSatisfy({ $0 >= 0 && $0 < classCount }) else {
                throw BlendingError.shapeMismatch("a true class is outside 0..<\(classCount)")
            }
            return classCount
        case .values: return 0
        }
    }

    /// Numbers per row of `predictions`, with the convention of ``width(of:)-(GroundTruth)``.
    private static func width(of predictions: Predictions) -> Int {
        switch predictions {
        case .probabilities(let matrix): matrix.classCount
        case .values: 0
        }
    }

    /// True when every number of `predictions` is finite.
    private static func isFinite(_ predictions: Predictions) -> Bool {
        switch predictions {
        case .probabilities(let matrix): matrix.values.allSatisfy(\.isFinite)
        case .values(let values): values.allSatisfy(\.isFinite)
        }
    }
}

/// Why blending could not run.
public enum BlendingError: Error, Equatable, CustomStringConvertible {
    /// There are no submissions to blend.
    case noSubmissions
    /// The question has no folds.
    case noFolds
    /// The blending parameters are unusable (for example a maximum ensemble size below 1).
    case invalidParameters(String)
    /// The predictions or the truth do not have the expected shape or kind.
    case shapeMismatch(String)
    /// A prediction is NaN or infinite.
    case nonFinitePrediction(submission: Int, fold: Int)

    /// A one-line explanation, for logs and error messages.
    public var description: String {
        switch self {
        case .noSubmissions: "there are no submissions to blend"
        case .noFolds: "the question has no folds"
        case .invalidParameters(let detail): "invalid blending parameters: \(detail)"
        case .shapeMismatch(let detail): "predictions do not match: \(detail)"
        case .nonFinitePrediction(let submission, let fold):
            "submission \(submission) has a non-finite prediction on fold \(fold)"
        }
    }
}
