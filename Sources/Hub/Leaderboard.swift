import Challenge
import Foundation
import Ledger
import ScoreTypes

/// One row of a leaderboard or of the submissions list.
public struct LeaderboardRow: Sendable, Equatable, Codable {
    /// 1-based rank by the official bagged validation score; nil when not scored.
    public let rank: Int?
    public let team: String
    public let submission: String
    public let commit: String
    public let pusher: String
    public let state: String
    /// Bagged scores by split (`valid`, `test`) then score type.
    public let scores: [String: [String: Double]]
    /// Wall seconds of `train` and of `predict`, summed over folds, measured by the hub.
    public let trainSeconds: Double?
    public let testSeconds: Double?
    /// ISO 8601, UTC, seconds.
    public let submittedAt: String

    enum CodingKeys: String, CodingKey {
        case rank, team, submission, commit, pusher, state, scores
        case trainSeconds = "train_seconds"
        case testSeconds = "test_seconds"
        case submittedAt = "submitted_at"
    }
}

/// A leaderboard of one question (JSON shape documented in docs/json.md).
public struct Leaderboard: Sendable, Equatable, Codable {
    public let challenge: String
    public let question: String
    public let officialScoreType: String
    public let lowerIsBetter: Bool
    public let scoreTypes: [String]
    /// The split whose bagged official score ranks: `valid`, or `test` for a
    /// predictions-only question (which has no cross-validation).
    public let rankedBy: String
    public let rows: [LeaderboardRow]

    public init(challenge: String, question: String, officialScoreType: String, lowerIsBetter: Bool, scoreTypes: [String],
                rankedBy: String, rows: [LeaderboardRow]) {
        self.challenge = challenge
        self.question = question
        self.officialScoreType = officialScoreType
        self.lowerIsBetter = lowerIsBetter
        self.scoreTypes = scoreTypes
        self.rankedBy = rankedBy
        self.rows = rows
    }

    /// The same leaderboard with other rows.
    public func with(rows: [LeaderboardRow]) -> Leaderboard {
        Leaderboard(challenge: challenge, question: question, officialScoreType: officialScoreType, lowerIsBetter: lowerIsBetter,
                    scoreTypes: scoreTypes, rankedBy: rankedBy, rows: rows)
    }

    enum CodingKeys: String, CodingKey {
        case challenge, question, rows
        case rankedBy = "ranked_by"
        case officialScoreType = "official_score_type"
        case lowerIsBetter = "lower_is_better"
        case scoreTypes = "score_types"
    }

    /// Builds the leaderboard of `question` (default: the first) from the ledger, listing the
    /// submissions evaluated on it: ranked by the official bagged validation score (test score
    /// for a predictions-only question), ties to the earlier submission; submissions that are
    /// not scored are listed after, without a rank.
    /// - Throws: database errors; ``HubError/unknownSubmission(_:)`` for an unknown question.
    public static func make(hub: Hub, question questionName: String? = nil) throws -> Leaderboard {
        guard let question = questionName.map({ hub.challenge.question(named: $0) }) ?? hub.challenge.questions.first else {
            throw HubError.unknownSubmission("question \(questionName ?? "")")
        }
        let official = question.officialScoreType
        let lowerIsBetter = (try? ScoreTypes.named(official).isLowerBetter) ?? false
        let rankingSplit: ScoreSplit = question.isPredictionsOnly ? .test : .valid
        var entries: [(detail: SubmissionDetail, evaluation: EvaluationDetail?, score: Double?)] = []
        for detail in try hub.ledger.submissionDetails() {
            guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name }) else { continue }
            let score = evaluation.record.state == .scored ? evaluation.baggedScore(official, on: rankingSplit) : nil
            entries.append((detail, evaluation, score))
        }
        let ranked = entries.enumerated().filter { $0.element.score != nil }.sorted { left, right in
            let (a, b) = (left.element.score!, right.element.score!)
            if a != b { return lowerIsBetter ? a < b : a > b }
            return left.offset < right.offset
        }
        var rankOf: [Int: Int] = [:]
        for (position, entry) in ranked.enumerated() { rankOf[entry.offset] = position + 1 }
        let order = ranked.map(\.offset) + entries.indices.filter { rankOf[$0] == nil }
        let rows = order.map { index -> LeaderboardRow in
            let (detail, evaluation, _) = entries[index]
            var scores: [String: [String: Double]] = [:]
            for record in evaluation?.baggedScores ?? [] {
                scores[record.split.rawValue, default: [:]][record.scoreType] = record.value
            }
            return LeaderboardRow(
                rank: rankOf[index], team: detail.submission.team, submission: detail.submission.name,
                commit: detail.submission.commitID, pusher: detail.submission.pusher,
                state: (evaluation?.record.state ?? detail.state).rawValue, scores: scores,
                trainSeconds: evaluation?.record.trainSeconds, testSeconds: evaluation?.record.testSeconds,
                submittedAt: Timestamp.iso8601(detail.submission.submittedAt))
        }
        return Leaderboard(challenge: hub.challenge.title, question: question.name, officialScoreType: official,
                           lowerIsBetter: lowerIsBetter, scoreTypes: question.scoreTypes, rankedBy: rankingSplit.rawValue, rows: rows)
    }
}

/// UTC timestamps as ISO 8601 with seconds (`2026-11-29T10:00:00Z`).
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
