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
    /// Its share of the blended ensembles (RAMP's contributivity), in [0, 1].
    public var contributivity: Double?
    /// What it keeps after credit flows backwards along the lineage, in [0, 1].
    public var historicalContributivity: Double?

    enum CodingKeys: String, CodingKey {
        case rank, team, submission, commit, pusher, state, scores, contributivity
        case historicalContributivity = "historical_contributivity"
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
    /// The official score of the blend of every scored submission (`combined`) and of each
    /// fold's best submission (`foldwise_best`), by split.
    public var combined: [String: [String: Double]] = [:]
    /// What the organisers' starting kit received when credit flowed along the lineage.
    public var startingKitHistoricalContributivity: Double?

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
        var copy = Leaderboard(challenge: challenge, question: question, officialScoreType: officialScoreType, lowerIsBetter: lowerIsBetter,
                               scoreTypes: scoreTypes, rankedBy: rankedBy, rows: rows)
        copy.combined = combined
        copy.startingKitHistoricalContributivity = startingKitHistoricalContributivity
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case challenge, question, rows, combined
        case startingKitHistoricalContributivity = "starting_kit_historical_contributivity"
        case rankedBy = "ranked_by"
        case officialScoreType = "official_score_type"
        case lowerIsBetter = "lower_is_better"
        case scoreTypes = "score_types"
    }

    /// What a leaderboard shows.
    public struct Options: Sendable {
        /// The question (default: the first).
        public var question: String?
        /// Only submissions pushed in this phase.
        public var phase: String?
        /// Only each team's best ranked submission (the competitive leaderboard).
        public var bestPerTeam: Bool
        /// The score splits the viewer may see (see ``ScoreVisibility``).
        public var visibleSplits: Set<String>

        public init(question: String? = nil, phase: String? = nil, bestPerTeam: Bool = false, visibleSplits: Set<String> = ScoreVisibility.all) {
            self.question = question
            self.phase = phase
            self.bestPerTeam = bestPerTeam
            self.visibleSplits = visibleSplits
        }
    }

    /// Builds a leaderboard from the ledger, listing the submissions evaluated on the question:
    /// ranked by the official bagged validation score (the public test score for a
    /// predictions-only question), ties to the earlier submission; submissions that are not
    /// scored are listed after, without a rank.
    /// - Throws: database errors; ``HubError/unknownQuestion(_:)`` or ``HubError/unknownPhase(_:)``.
    public static func make(hub: Hub, options: Options = Options()) throws -> Leaderboard {
        let questionName = options.question
        guard let question = questionName.map({ hub.challenge.question(named: $0) }) ?? hub.challenge.questions.first else {
            throw HubError.unknownQuestion(questionName ?? "")
        }
        if let phase = options.phase, hub.challenge.schedule.phase(named: phase) == nil {
            throw HubError.unknownPhase(phase)
        }
        let official = question.officialScoreType
        let lowerIsBetter = (try? ScoreTypes.named(official).isLowerBetter) ?? false
        let rankingSplit: ScoreSplit = question.isPredictionsOnly
            ? (hub.challenge.testSplit.publicFraction > 0 ? .publicTest : .test) : .valid
        var entries: [(detail: SubmissionDetail, evaluation: EvaluationDetail?, score: Double?)] = []
        for detail in try hub.ledger.submissionDetails() {
            if let phase = options.phase, detail.submission.phase != phase { continue }
            guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name }) else { continue }
            let score = evaluation.record.state == .scored ? evaluation.baggedScore(official, on: rankingSplit) : nil
            entries.append((detail, evaluation, score))
        }
        let ranked = entries.enumerated().filter { $0.element.score != nil }.sorted { left, right in
            let (a, b) = (left.element.score!, right.element.score!)
            if a != b { return lowerIsBetter ? a < b : a > b }
            return left.offset < right.offset
        }
        var kept = ranked.map(\.offset)
        if options.bestPerTeam {
            var seen = Set<String>()
            kept = kept.filter { seen.insert(entries[$0].detail.submission.team).inserted }
        }
        var rankOf: [Int: Int] = [:]
        for (position, index) in kept.enumerated() { rankOf[index] = position + 1 }
        let unranked = options.bestPerTeam ? [] : entries.indices.filter { rankOf[$0] == nil }
        let order = kept + unranked
        let contributivities = try hub.ledger.contributivities()
        let rows = order.map { index -> LeaderboardRow in
            let (detail, evaluation, _) = entries[index]
            var scores: [String: [String: Double]] = [:]
            for record in evaluation?.baggedScores ?? [] where options.visibleSplits.contains(record.split.rawValue) {
                scores[record.split.rawValue, default: [:]][record.scoreType] = record.value
            }
            let credit = evaluation.flatMap { contributivities[$0.record.id!] }
            return LeaderboardRow(
                rank: rankOf[index], team: detail.submission.team, submission: detail.submission.name,
                commit: detail.submission.commitID, pusher: detail.submission.pusher,
                state: (evaluation?.record.state ?? detail.state).rawValue, scores: scores,
                trainSeconds: evaluation?.record.trainSeconds, testSeconds: evaluation?.record.testSeconds,
                submittedAt: Instant.format(detail.submission.submittedAt),
                contributivity: credit?.value, historicalContributivity: credit?.historical)
        }
        var leaderboard = Leaderboard(challenge: hub.challenge.title, question: question.name, officialScoreType: official,
                                      lowerIsBetter: lowerIsBetter, scoreTypes: question.scoreTypes, rankedBy: rankingSplit.rawValue, rows: rows)
        for record in try hub.ledger.combinedScores(question: question.name) where options.visibleSplits.contains(record.split.rawValue) {
            leaderboard.combined[record.kind, default: [:]][record.split.rawValue] = record.value
        }
        leaderboard.startingKitHistoricalContributivity = try hub.ledger.startingKitHistoricalContributivity(question: question.name)
        return leaderboard
    }
}


/// Which score splits a viewer may see: organisers see everything; participants see the
/// validation and public test scores, and the private (and whole) test scores once revealed.
public enum ScoreVisibility {
    /// Every split.
    public static let all: Set<String> = ["valid", "test", "public", "private"]

    /// What participants may see now.
    /// - Throws: database errors.
    public static func participants(_ hub: Hub, at instant: Date = Date()) throws -> Set<String> {
        try PhaseClock(hub: hub).privateScoresVisible(at: instant) ? all : ["valid", "public"]
    }
}
