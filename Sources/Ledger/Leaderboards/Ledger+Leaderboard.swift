import Challenge
import Foundation
import GRDB

/// How a question ranks its evaluations: by one score type on one split, lower or higher
/// first. Stored in the ledger, so that every scored evaluation's ranking key
/// (``EvaluationRecord/rankingKey``) is computed the same way, and recomputed for every
/// evaluation when the specification changes.
public struct RankingSpecification: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ranking_specifications"
    public var question: String
    /// The official score type.
    public var scoreType: String
    /// The bagged scores' split that ranks: `valid`, or the (public) test rows of a
    /// predictions-only question.
    public var split: ScoreSplit
    public var lowerIsBetter: Bool

    public init(question: String, scoreType: String, split: ScoreSplit, lowerIsBetter: Bool) {
        self.question = question
        self.scoreType = scoreType
        self.split = split
        self.lowerIsBetter = lowerIsBetter
    }

    /// The ranking key of an evaluation with these bagged scores (lower ranks first), or nil
    /// when the ranking score is missing or not finite.
    public func key(from scores: [BaggedScoreRecord]) -> Double? {
        guard let value = scores.first(where: { $0.split == split && $0.scoreType == scoreType })?.value, value.isFinite else { return nil }
        return lowerIsBetter ? value : -value
    }
}

/// Where a leaderboard page starts: after a ranked row, or after an unranked one (the
/// submissions that are not scored, listed after the ranked ones). Written in URLs as
/// `r.<rank>.<key as 16 hex digits>.<evaluation id>` or `u.<evaluation id>`.
public enum LeaderboardCursor: Sendable, Equatable, LosslessStringConvertible {
    case ranked(rank: Int, key: Double, evaluationID: Int64)
    case unranked(evaluationID: Int64)

    /// Ranks a cursor may carry (far more rows than a leaderboard has).
    static let maximumRank = 1 << 40

    public var description: String {
        switch self {
        case .ranked(let rank, let key, let id): "r.\(rank).\(String(key.bitPattern, radix: 16)).\(id)"
        case .unranked(let id): "u.\(id)"
        }
    }

    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        switch parts.first {
        case "r":
            guard parts.count == 4, let rank = Int(parts[1]), (0..<Self.maximumRank).contains(rank), let bits = UInt64(parts[2], radix: 16),
                let id = Int64(parts[3])
            else { return nil }
            self = .ranked(rank: rank, key: Double(bitPattern: bits), evaluationID: id)
        case "u":
            guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
            self = .unranked(evaluationID: id)
        default:
            return nil
        }
    }
}

/// What a leaderboard page shows.
public struct LeaderboardRequest: Sendable {
    public var question: String
    /// Only submissions pushed in this phase.
    public var phase: String?
    /// Only each team's best ranked evaluation (then no unranked rows).
    public var bestPerTeam: Bool
    /// Rows per page; nil for every row.
    public var limit: Int?
    /// Start after this row; nil for the first page.
    public var after: LeaderboardCursor?

    public init(question: String, phase: String? = nil, bestPerTeam: Bool = false, limit: Int? = nil, after: LeaderboardCursor? = nil) {
        self.question = question
        self.phase = phase
        self.bestPerTeam = bestPerTeam
        self.limit = limit
        self.after = after
    }
}

/// One row of a leaderboard page.
public struct LeaderboardEntry: Sendable, Equatable {
    /// 1-based rank; nil for an unranked row.
    public let rank: Int?
    public let submission: SubmissionRecord
    public let evaluation: EvaluationRecord
    public let baggedScores: [BaggedScoreRecord]
    public let contributivity: ContributivityRecord?
    /// The submission's measured and declared credit shares.
    public let creditShares: [CreditShareRecord]
}

/// A page of a leaderboard.
public struct LeaderboardPage: Sendable, Equatable {
    public let entries: [LeaderboardEntry]
    /// Ranked rows of the whole leaderboard (with the request's filters).
    public let rankedCount: Int
    /// Rows of the whole leaderboard, ranked or not.
    public let totalCount: Int
    /// Where the next page starts; nil on the last page.
    public let next: LeaderboardCursor?
}

extension Ledger {
    /// Makes `specification` its question's, recomputing the ranking key of every evaluation
    /// of the question when it differs from the stored one (one UPDATE). Returns true when it
    /// changed.
    /// - Throws: a GRDB error when the database cannot be written.
    @discardableResult
    public func useRankingSpecification(_ specification: RankingSpecification) async throws -> Bool {
        let stored = try await database.read { db in try RankingSpecification.fetchOne(db, key: specification.question) }
        guard stored != specification else { return false }
        try await database.write { db in
            try specification.save(db)
            try db.execute(
                sql: """
                    UPDATE evaluations SET rankingKey = CASE WHEN state = 'scored' THEN
                        (SELECT CASE WHEN ? THEN value ELSE -value END FROM bagged_scores
                         WHERE evaluationID = evaluations.id AND split = ? AND scoreType = ?) END
                    WHERE question = ?
                    """, arguments: [specification.lowerIsBetter, specification.split, specification.scoreType, specification.question])
            try Self.bumpCounter(db, .results)
        }
        return true
    }

    /// One page of a question's leaderboard: ranked rows by ranking key (ties to the earlier
    /// evaluation), then, unless `bestPerTeam`, the unranked rows in submission order. Reads
    /// the ranking index and the page's rows only, whatever the size of the ledger (the
    /// best-per-team and phase filters read the question's ranking keys once).
    /// - Throws: a GRDB error when the database cannot be read.
    public func leaderboardPage(_ request: LeaderboardRequest) async throws -> LeaderboardPage {
        try await database.read { db in try Self.leaderboardPage(db, request) }
    }

    static func leaderboardPage(_ db: Database, _ request: LeaderboardRequest) throws -> LeaderboardPage {
        let join = request.phase == nil && !request.bestPerTeam ? "" : "JOIN submissions s ON s.id = e.submissionID"
        let phaseFilter = request.phase == nil ? "" : "AND s.phase = :phase"
        var arguments: [String: (any DatabaseValueConvertible)?] = ["question": request.question, "phase": request.phase]
        let wanted = request.limit.map { $0 + 1 }
        arguments["limit"] = wanted ?? -1
        let ranked: String
        let rankedCount: Int
        if request.bestPerTeam {
            ranked = """
                WITH best AS (
                    SELECT e.id AS id, e.rankingKey AS rankingKey,
                           ROW_NUMBER() OVER (PARTITION BY s.team ORDER BY e.rankingKey, e.id) AS n
                    FROM evaluations e \(join)
                    WHERE e.question = :question AND e.rankingKey IS NOT NULL \(phaseFilter))
                SELECT id, rankingKey FROM best WHERE n = 1
                """
            rankedCount =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT s.team) FROM evaluations e \(join)
                        WHERE e.question = :question AND e.rankingKey IS NOT NULL \(phaseFilter)
                        """, arguments: StatementArguments(arguments)) ?? 0
        } else {
            ranked = """
                SELECT e.id AS id, e.rankingKey AS rankingKey FROM evaluations e \(join)
                WHERE e.question = :question AND e.rankingKey IS NOT NULL \(phaseFilter)
                """
            rankedCount =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM evaluations e \(join) WHERE e.question = :question AND e.rankingKey IS NOT NULL \(phaseFilter)
                        """, arguments: StatementArguments(arguments)) ?? 0
        }
        let unrankedCount =
            request.bestPerTeam
            ? 0
            : try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM evaluations e \(join) WHERE e.question = :question AND e.rankingKey IS NULL \(phaseFilter)
                    """, arguments: StatementArguments(arguments)) ?? 0

        // (evaluation id, rank, ranking key) of the page's rows, one more than asked.
        var rows: [(id: Int64, rank: Int?, key: Double?)] = []
        var firstRank = 1
        var rankedAfter = ""
        switch request.after {
        case .ranked(let rank, let key, let id):
            firstRank = rank + 1
            rankedAfter = "WHERE (rankingKey, id) > (:afterKey, :afterID)"
            arguments["afterKey"] = key
            arguments["afterID"] = id
        case .unranked:
            firstRank = -1
        case nil:
            break
        }
        if firstRank > 0 {
            let sql = "SELECT id, rankingKey FROM (\(ranked)) \(rankedAfter) ORDER BY rankingKey, id LIMIT :limit"
            for (offset, row) in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).enumerated() {
                rows.append((row["id"], firstRank + offset, row["rankingKey"]))
            }
        }
        if !request.bestPerTeam, wanted.map({ rows.count < $0 }) ?? true {
            var unrankedAfter = ""
            if case .unranked(let id) = request.after {
                unrankedAfter = "AND e.id > :afterID"
                arguments["afterID"] = id
            }
            arguments["limit"] = wanted.map { $0 - rows.count } ?? -1
            let sql = """
                SELECT e.id AS id FROM evaluations e \(join)
                WHERE e.question = :question AND e.rankingKey IS NULL \(phaseFilter) \(unrankedAfter)
                ORDER BY e.id LIMIT :limit
                """
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                rows.append((row["id"], nil, nil))
            }
        }
        var next: LeaderboardCursor?
        if let limit = request.limit, rows.count > limit {
            rows.removeLast(rows.count - limit)
            let last = rows[limit - 1]
            next = last.rank.map { .ranked(rank: $0, key: last.key!, evaluationID: last.id) } ?? .unranked(evaluationID: last.id)
        }

        let ids = rows.map(\.id)
        let evaluations = Dictionary(uniqueKeysWithValues: try EvaluationRecord.fetchAll(db, keys: ids).map { ($0.id!, $0) })
        let submissions = Dictionary(
            uniqueKeysWithValues: try SubmissionRecord.fetchAll(db, keys: Set(evaluations.values.map(\.submissionID))).map { ($0.id!, $0) })
        let bagged = Dictionary(
            grouping: try BaggedScoreRecord.filter(ids.contains(BaggedScoreRecord.Columns.evaluationID)).fetchAll(db), by: \.evaluationID)
        let credit = Dictionary(uniqueKeysWithValues: try ContributivityRecord.fetchAll(db, keys: ids).map { ($0.evaluationID, $0) })
        let shares = Dictionary(
            grouping: try CreditShareRecord.filter(submissions.keys.contains(CreditShareRecord.Columns.submissionID)).fetchAll(db),
            by: \.submissionID)
        let entries = rows.compactMap { row -> LeaderboardEntry? in
            guard let evaluation = evaluations[row.id], let submission = submissions[evaluation.submissionID] else { return nil }
            return LeaderboardEntry(
                rank: row.rank, submission: submission, evaluation: evaluation,
                baggedScores: bagged[row.id] ?? [], contributivity: credit[row.id],
                creditShares: shares[submission.id!] ?? [])
        }
        return LeaderboardPage(entries: entries, rankedCount: rankedCount, totalCount: rankedCount + unrankedCount, next: next)
    }
}
