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
