import Foundation
import Ledger

/// Everything shown about one submission (API and `forkboard submissions --format json`;
/// shape documented in docs/json.md).
public struct SubmissionView: Sendable, Codable, Equatable {
    public struct FoldView: Sendable, Codable, Equatable {
        public let fold: Int
        public let trainSeconds: Double?
        public let testSeconds: Double?
        /// Scores by split (`valid`, `test`) then score type.
        public let scores: [String: [String: Double]]

        enum CodingKeys: String, CodingKey {
            case fold, scores
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
        }
    }

    public struct EvaluationView: Sendable, Codable, Equatable {
        public let question: String
        public let state: String
        /// 1-based position in the queue while queued.
        public let queuePosition: Int?
        public let attempts: Int
        public let trainSeconds: Double?
        public let testSeconds: Double?
        /// Bagged scores by split then score type.
        public let scores: [String: [String: Double]]
        public let folds: [FoldView]
        /// The tail of the evaluation's log: only for the submission's own team.
        public let log: String?

        enum CodingKeys: String, CodingKey {
            case question, state, attempts, scores, folds, log
            case queuePosition = "queue_position"
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
        }
    }

    public let team: String
    public let submission: String
    public let commit: String
    public let pusher: String
    public let submittedAt: String
    public let state: String
    public let evaluations: [EvaluationView]

    enum CodingKeys: String, CodingKey {
        case team, submission, commit, pusher, state, evaluations
        case submittedAt = "submitted_at"
    }

    /// The view of `team/name`, or nil when there is no such submission.
    /// - Parameter includeLogs: whether to include the logs (the viewer is in the team).
    public static func make(hub: Hub, team: String, name: String, includeLogs: Bool) throws -> SubmissionView? {
        guard let detail = try hub.ledger.submissionDetails().first(where: { $0.submission.team == team && $0.submission.name == name }) else {
            return nil
        }
        return try make(detail: detail, ledger: hub.ledger, includeLogs: includeLogs)
    }

    /// The view of a submission's details.
    public static func make(detail: SubmissionDetail, ledger: Ledger, includeLogs: Bool) throws -> SubmissionView {
        let evaluations = try detail.evaluations.map { evaluation -> EvaluationView in
            var bagged: [String: [String: Double]] = [:]
            for record in evaluation.baggedScores { bagged[record.split.rawValue, default: [:]][record.scoreType] = record.value }
            let runs = Dictionary(uniqueKeysWithValues: evaluation.foldRuns.map { ($0.fold, $0) })
            let scoresByFold = Dictionary(grouping: evaluation.foldScores, by: \.fold)
            let folds = Set(runs.keys).union(scoresByFold.keys).sorted().map { fold -> FoldView in
                var scores: [String: [String: Double]] = [:]
                for record in scoresByFold[fold] ?? [] { scores[record.split.rawValue, default: [:]][record.scoreType] = record.value }
                return FoldView(fold: fold, trainSeconds: runs[fold]?.trainSeconds, testSeconds: runs[fold]?.testSeconds, scores: scores)
            }
            return EvaluationView(
                question: evaluation.record.question, state: evaluation.record.state.rawValue,
                queuePosition: try ledger.queuePosition(evaluationID: evaluation.record.id!),
                attempts: evaluation.record.attempts, trainSeconds: evaluation.record.trainSeconds,
                testSeconds: evaluation.record.testSeconds, scores: bagged, folds: folds,
                log: includeLogs ? evaluation.record.log : nil)
        }
        return SubmissionView(
            team: detail.submission.team, submission: detail.submission.name, commit: detail.submission.commitID,
            pusher: detail.submission.pusher, submittedAt: Timestamp.iso8601(detail.submission.submittedAt),
            state: detail.state.rawValue, evaluations: evaluations)
    }
}
