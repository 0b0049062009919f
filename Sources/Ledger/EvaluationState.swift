import GRDB

/// Where an evaluation stands, in RAMP's vocabulary.
public enum EvaluationState: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case new, queued, training, testing, scored
    case checkingError = "checking_error"
    case trainingError = "training_error"
    case testingError = "testing_error"
    case scoringError = "scoring_error"
    case cancelled

    /// True for states that no worker will change any more.
    public var isFinal: Bool {
        switch self {
        case .scored, .checkingError, .trainingError, .testingError, .scoringError, .cancelled: true
        case .new, .queued, .training, .testing: false
        }
    }

    /// True for the error states.
    public var isError: Bool {
        switch self {
        case .checkingError, .trainingError, .testingError, .scoringError: true
        default: false
        }
    }

    /// Order of progress, used to summarise several evaluations of one submission.
    var progress: Int {
        switch self {
        case .new: 0
        case .queued: 1
        case .training: 2
        case .testing: 3
        default: 4
        }
    }

    /// The state of a submission from the states of its evaluations (one per question): the
    /// first error if any, else cancelled if any, else the least advanced.
    public static func summarising(_ states: [EvaluationState]) -> EvaluationState {
        if let error = states.first(where: \.isError) { return error }
        if states.contains(.cancelled) { return .cancelled }
        return states.min { $0.progress < $1.progress } ?? .new
    }
}
