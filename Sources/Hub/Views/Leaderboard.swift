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
    /// The fraction of its code tokens it wrote itself (its own measured share), in [0, 1].
    public var ownCodeShare: Double?
    /// The fraction of that own share its `Credit:` trailers give away, in [0, 1].
    public var declaredAway: Double?

    enum CodingKeys: String, CodingKey {
        case rank, team, submission, commit, pusher, state, scores, contributivity
        case historicalContributivity = "historical_contributivity"
        case ownCodeShare = "own_code_share"
        case declaredAway = "declared_away"
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
    /// Rows of the whole leaderboard (every page), and how many of them are ranked.
    public var totalRows: Int = 0
    public var rankedRows: Int = 0
    /// Where the next page starts (``Ledger/LeaderboardCursor``, the API's `cursor`); nil on
    /// the last page.
    public var nextCursor: String?

    public init(
        challenge: String, question: String, officialScoreType: String, lowerIsBetter: Bool, scoreTypes: [String],
        rankedBy: String, rows: [LeaderboardRow]
    ) {
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
        var copy = Leaderboard(
            challenge: challenge, question: question, officialScoreType: officialScoreType, lowerIsBetter: lowerIsBetter,
            scoreTypes: scoreTypes, rankedBy: rankedBy, rows: rows)
        copy.combined = combined
        copy.startingKitHistoricalContributivity = startingKitHistoricalContributivity
        copy.totalRows = totalRows
        copy.rankedRows = rankedRows
        copy.nextCursor = nextCursor
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case challenge, question, rows, combined
        case startingKitHistoricalContributivity = "starting_kit_historical_contributivity"
        case totalRows = "total_rows"
        case rankedRows = "ranked_rows"
        case nextCursor = "next_cursor"
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
        public var visibleSplits: Set<ScoreSplit>
        /// Rows of one page; nil for every row.
        public var limit: Int?
        /// Where the page starts (a ``Ledger/LeaderboardCursor`` as text); nil for the first.
        public var cursor: String?

        public init(
            question: String? = nil, phase: String? = nil, bestPerTeam: Bool = false, visibleSplits: Set<ScoreSplit> = ScoreVisibility.all,
            limit: Int? = nil, cursor: String? = nil
        ) {
            self.question = question
            self.phase = phase
            self.bestPerTeam = bestPerTeam
            self.visibleSplits = visibleSplits
            self.limit = limit
            self.cursor = cursor
        }
    }

    /// How `question` ranks: its official score type, bagged, on the cross-validation rows, or
    /// on the public test rows (every test row when none is public) for a predictions-only
    /// question, which has no cross-validation.
    public static func rankingSpecification(of question: Question, in challenge: ChallengeConfiguration) -> RankingSpecification {
        let split: ScoreSplit = question.isPredictionsOnly ? (challenge.testSplit.publicFraction > 0 ? .publicTest : .test) : .valid
        let lowerIsBetter = question.isLowerBetter(question.officialScoreType)
        return RankingSpecification(question: question.name, scoreType: question.officialScoreType, split: split, lowerIsBetter: lowerIsBetter)
    }

    /// Builds a leaderboard (or one page of it) from the ledger, listing the submissions
    /// evaluated on the question: ranked by the official bagged validation score (the public
    /// test score for a predictions-only question), ties to the earlier submission;
    /// submissions that are not scored are listed after, without a rank. Reads the page's
    /// rows only (``Ledger/leaderboardPage(_:)``), on GRDB's threads.
    /// - Throws: database errors; ``HubError/unknownQuestion(_:)``, ``HubError/unknownPhase(_:)``
    ///   or ``HubError/invalidCursor(_:)``.
    public static func make(hub: Hub, options: Options = Options()) async throws -> Leaderboard {
        let questionName = options.question
        guard let question = questionName.map({ hub.challenge.question(named: $0) }) ?? hub.challenge.questions.first else {
            throw HubError.unknownQuestion(questionName ?? "")
        }
        if let phase = options.phase, hub.challenge.schedule.phase(named: phase) == nil {
            throw HubError.unknownPhase(phase)
        }
        var cursor: LeaderboardCursor?
        if let text = options.cursor {
            guard let parsed = LeaderboardCursor(text) else { throw HubError.invalidCursor(text) }
            cursor = parsed
        }
        let specification = rankingSpecification(of: question, in: hub.challenge)
        try await hub.ledger.useRankingSpecification(specification)
        let page = try await hub.ledger.leaderboardPage(
            LeaderboardRequest(
                question: question.name, phase: options.phase, bestPerTeam: options.bestPerTeam, limit: options.limit, after: cursor))
        let rows = page.entries.map { entry -> LeaderboardRow in
            var scores: [String: [String: Double]] = [:]
            for record in entry.baggedScores where options.visibleSplits.contains(record.split) {
                scores[record.split.rawValue, default: [:]][record.scoreType] = record.value
            }
            let key = "\(entry.submission.key)"
            let measured = entry.creditShares.filter { $0.source == .measured }
            let declared = entry.creditShares.filter { $0.source == .declared }
            return LeaderboardRow(
                rank: entry.rank, team: entry.submission.team, submission: entry.submission.name,
                commit: entry.submission.commitID, pusher: entry.submission.pusher,
                state: entry.evaluation.state.rawValue, scores: scores,
                trainSeconds: entry.evaluation.trainSeconds, testSeconds: entry.evaluation.testSeconds,
                submittedAt: Instant.format(entry.submission.submittedAt),
                contributivity: entry.contributivity?.value, historicalContributivity: entry.contributivity?.historical,
                ownCodeShare: measured.isEmpty ? nil : measured.first { $0.owner == key }?.fraction ?? 0,
                declaredAway: measured.isEmpty ? nil : declared.reduce(0) { $0 + $1.fraction })
        }
        var leaderboard = Leaderboard(
            challenge: hub.challenge.title, question: question.name, officialScoreType: specification.scoreType,
            lowerIsBetter: specification.lowerIsBetter, scoreTypes: question.scoreTypes,
            rankedBy: specification.split.rawValue, rows: rows)
        let (combined, startingKit) = try await hub.ledger.questionCredit(question: question.name)
        for record in combined where options.visibleSplits.contains(record.split) {
            leaderboard.combined[record.kind, default: [:]][record.split.rawValue] = record.value
        }
        leaderboard.startingKitHistoricalContributivity = startingKit
        leaderboard.totalRows = page.totalCount
        leaderboard.rankedRows = page.rankedCount
        leaderboard.nextCursor = page.next?.description
        return leaderboard
    }
}

extension Hub {
    /// Stores every question's ranking specification as this hub's challenge.yaml defines it
    /// (recomputing the ranking keys of a question whose specification changed).
    /// - Throws: database errors.
    public func useCurrentRankingSpecifications() async throws {
        for question in challenge.questions {
            try await ledger.useRankingSpecification(Leaderboard.rankingSpecification(of: question, in: challenge))
        }
    }
}

/// Which score splits a viewer may see: organisers see everything; participants see the
/// validation and public test scores, and the private (and whole) test scores once revealed.
public enum ScoreVisibility {
    /// Every split.
    public static let all = Set(ScoreSplit.allCases)

    /// What participants may see now.
    /// - Throws: database errors.
    public static func participants(_ hub: Hub, at instant: Date = Date()) throws -> Set<ScoreSplit> {
        try PhaseClock(hub: hub).privateScoresVisible(at: instant) ? all : [.valid, .publicTest]
    }

    /// What participants may see at `instant` in the ledger at `version`.
    public static func participants(_ hub: Hub, in version: LedgerVersion, at instant: Date = Date()) -> Set<ScoreSplit> {
        PhaseClock(hub: hub).privateScoresVisible(at: instant, revealed: version.revealed, override: version.phaseOverride)
            ? all : [.valid, .publicTest]
    }

    /// What participants may see now, read on GRDB's threads.
    /// - Throws: database errors.
    public static func participants(of hub: Hub, at instant: Date = Date()) async throws -> Set<ScoreSplit> {
        try await PhaseClock(hub: hub).privateScoresAreVisible(at: instant) ? all : [.valid, .publicTest]
    }

    /// What `viewer` may see in the ledger at `version`: every split for an organiser, what
    /// the phase shows participants for anyone else.
    public static func visible(to viewer: MemberRecord?, _ hub: Hub, in version: LedgerVersion) -> Set<ScoreSplit> {
        viewer?.isOrganiser == true ? all : participants(hub, in: version)
    }

    /// What `viewer` may see now, read on GRDB's threads.
    /// - Throws: database errors.
    public static func visible(to viewer: MemberRecord?, of hub: Hub) async throws -> Set<ScoreSplit> {
        viewer?.isOrganiser == true ? all : try await participants(of: hub)
    }
}
