import Challenge
import Foundation
import GRDB

/// The contributivity of one evaluation (a submission on a question).
public struct ContributivityRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "contributivity"
    public var evaluationID: Int64
    /// Mean over folds of the submission's share of the fold's ensemble, in [0, 1].
    public var value: Double
    /// What it keeps after credit flows backwards along the lineage, in [0, 1]; nil until computed.
    public var historical: Double?
    public var computedAt: Date

    public init(evaluationID: Int64, value: Double, historical: Double?, computedAt: Date) {
        self.evaluationID = evaluationID
        self.value = value
        self.historical = historical
        self.computedAt = computedAt
    }
}

/// A score of the blend of every submission (`combined`) or of each fold's best submission
/// (`foldwise_best`), for one question and split.
public struct CombinedScoreRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "combined_scores"
    public var question: String
    public var kind: String
    public var split: ScoreSplit
    public var scoreType: String
    public var value: Double

    public init(question: String, kind: String, split: ScoreSplit, scoreType: String, value: Double) {
        self.question = question
        self.kind = kind
        self.split = split
        self.scoreType = scoreType
        self.value = value
    }
}

/// One share of a submission's credit: measured (the fraction of its code tokens a submission
/// introduced: `team/name`, or `organisers/starting-kit`, itself included) or declared (the
/// fraction of its own measured share that a `Credit:` trailer gives to an earlier submission).
public struct CreditShareRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "credit_shares"

    /// Where a share comes from.
    public enum Source: String, Codable, Sendable, DatabaseValueConvertible {
        /// Counted from the code (git blame and earlier code matched), of the whole credit.
        case measured
        /// Stated by a `Credit:` trailer, of the submission's own measured share.
        case declared
    }

    public var submissionID: Int64
    public var owner: String
    /// In [0, 1]: a submission's measured shares sum to 1, its declared ones to at most 1.
    public var fraction: Double
    public var source: Source

    public init(submissionID: Int64, owner: String, fraction: Double, source: Source) {
        self.submissionID = submissionID
        self.owner = owner
        self.fraction = fraction
        self.source = source
    }
}

extension Ledger {
    /// Replaces a question's contributivities and combined scores, in one transaction.
    public func replaceContributivity(question: String, records: [ContributivityRecord], combined: [CombinedScoreRecord]) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM contributivity WHERE evaluationID IN (SELECT id FROM evaluations WHERE question = ?)
                    """, arguments: [question])
            try CombinedScoreRecord.filter(CombinedScoreRecord.Columns.question == question).deleteAll(db)
            for record in records { try record.insert(db) }
            for record in combined { try record.insert(db) }
        }
    }

    /// Every contributivity, by evaluation id.
    public func contributivities() throws -> [Int64: ContributivityRecord] {
        try database.read { db in
            Dictionary(uniqueKeysWithValues: try ContributivityRecord.fetchAll(db).map { ($0.evaluationID, $0) })
        }
    }

    /// The combined and foldwise-best scores of a question.
    public func combinedScores(question: String) throws -> [CombinedScoreRecord] {
        try database.read { db in try CombinedScoreRecord.filter(CombinedScoreRecord.Columns.question == question).fetchAll(db) }
    }

    /// Replaces every submission's credit shares; returns the ids of the submissions whose
    /// shares changed.
    @discardableResult
    public func replaceCreditShares(_ shares: [CreditShareRecord]) throws -> Set<Int64> {
        try database.write { db in
            let before = Dictionary(grouping: try CreditShareRecord.fetchAll(db), by: \.submissionID)
            let after = Dictionary(grouping: shares, by: \.submissionID)
            func same(_ a: [CreditShareRecord]?, _ b: [CreditShareRecord]?) -> Bool {
                let key = { (record: CreditShareRecord) in "\(record.source.rawValue) \(record.owner) \(record.fraction)" }
                return Set((a ?? []).map(key)) == Set((b ?? []).map(key))
            }
            let changed = Set(before.keys).union(after.keys).filter { !same(before[$0], after[$0]) }
            try CreditShareRecord.deleteAll(db)
            for share in shares { try share.insert(db) }
            return changed
        }
    }

    /// The credit other submissions give to `owner` (`team/name`): one line per giving
    /// submission and source, largest first (measured shares are fractions of the giver's
    /// whole credit; declared ones of the giver's own measured share).
    /// - Throws: a GRDB error when the database cannot be read.
    public func creditReceived(by owner: String) async throws -> [(submission: String, fraction: Double, source: CreditShareRecord.Source)] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.team, s.name, c.fraction, c.source FROM credit_shares c JOIN submissions s ON s.id = c.submissionID
                    WHERE c.owner = ? AND s.team || '/' || s.name != ? AND c.fraction > 0
                    ORDER BY c.fraction DESC, s.id
                    """, arguments: [owner, owner]
            ).map {
                ("\($0["team"] as String)/\($0["name"] as String)", $0["fraction"] as Double, $0["source"] as CreditShareRecord.Source)
            }
        }
    }

    /// Every credit share, by submission id.
    public func creditShares() throws -> [Int64: [CreditShareRecord]] {
        try database.read { db in Dictionary(grouping: try CreditShareRecord.fetchAll(db), by: \.submissionID) }
    }

    /// Sets the historical contributivity of a question's evaluations (by id) and what the
    /// organisers' starting kit received, in one transaction; returns the ids of the
    /// submissions whose value changed.
    @discardableResult
    public func setHistoricalContributivity(question: String, _ values: [Int64: Double], startingKit: Double) throws -> Set<Int64> {
        try database.write { db in
            var changed: Set<Int64> = []
            for (evaluationID, value) in values {
                let old = try Double.fetchOne(db, sql: "SELECT historical FROM contributivity WHERE evaluationID = ?", arguments: [evaluationID])
                try db.execute(sql: "UPDATE contributivity SET historical = ? WHERE evaluationID = ?", arguments: [value, evaluationID])
                if old != value,
                    let submission = try Int64.fetchOne(db, sql: "SELECT submissionID FROM evaluations WHERE id = ?", arguments: [evaluationID])
                {
                    changed.insert(submission)
                }
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO starting_kit_credit (question, historical) VALUES (?, ?)", arguments: [question, startingKit])
            return changed
        }
    }

    /// What the starting kit received of a question's contributivity, or nil.
    public func startingKitHistoricalContributivity(question: String) throws -> Double? {
        try database.read { db in
            try Double.fetchOne(db, sql: "SELECT historical FROM starting_kit_credit WHERE question = ?", arguments: [question])
        }
    }
}

extension Ledger {
    /// A question's combined scores and what the starting kit received, in one read on GRDB's
    /// threads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func questionCredit(question: String) async throws -> (combined: [CombinedScoreRecord], startingKit: Double?) {
        try await database.read { db in
            (
                try CombinedScoreRecord.filter(CombinedScoreRecord.Columns.question == question).fetchAll(db),
                try Double.fetchOne(db, sql: "SELECT historical FROM starting_kit_credit WHERE question = ?", arguments: [question])
            )
        }
    }
}

extension CombinedScoreRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let question = Column("question")
    }
}

extension CreditShareRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let submissionID = Column("submissionID")
    }
}
