import Challenge
import Foundation
import GRDB

/// What one evaluation ran with (``EvaluationEnvironment`` of the Hub module, as JSON).
public struct EvaluationProvenanceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evaluation_provenance"
    public var evaluationID: Int64
    public var environment: String
    public var recordedAt: Date
}

/// An earlier result of an evaluation, kept when it is re-scored.
public struct ScoreHistoryRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "score_history"
    public var id: Int64?
    public var evaluationID: Int64
    public var archivedAt: Date
    public var state: String
    /// The bagged scores as JSON: `{"valid": {"roc_auc": 0.99, ...}, ...}`.
    public var scores: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Ledger {
    /// Stores what an evaluation ran with (replacing an earlier record).
    public func recordProvenance(evaluationID: Int64, environment: String, at time: Date = Date()) throws {
        try database.write { db in
            try EvaluationProvenanceRecord(evaluationID: evaluationID, environment: environment, recordedAt: time).save(db)
        }
    }

    /// What an evaluation ran with, or nil.
    public func provenance(evaluationID: Int64) throws -> EvaluationProvenanceRecord? {
        try database.read { db in try EvaluationProvenanceRecord.fetchOne(db, key: evaluationID) }
    }

    /// Earlier results of an evaluation, oldest first.
    public func scoreHistory(evaluationID: Int64) throws -> [ScoreHistoryRecord] {
        try database.read { db in
            try ScoreHistoryRecord.filter(ScoreHistoryRecord.Columns.evaluationID == evaluationID).order(ScoreHistoryRecord.Columns.id).fetchAll(db)
        }
    }

    /// Queues evaluations again (after a fix of the harness or a score type): their current
    /// results go to the history, they return to `queued` with no attempts, and the re-score
    /// is recorded in the audit log. Running evaluations are left alone, and so are those that
    /// still wait in the queue (they will run with the current harness anyway; a second
    /// re-score, a double click, adds nothing to their history).
    public func rescore(evaluationIDs: [Int64], by actor: String, now: Date = Date()) throws -> RescoreOutcome {
        try database.write { db in
            var outcome = RescoreOutcome()
            for id in evaluationIDs {
                guard var evaluation = try EvaluationRecord.fetchOne(db, key: id) else { continue }
                guard evaluation.state.isFinal else {
                    if evaluation.state == .queued && evaluation.leaseOwner == nil { outcome.waiting += 1 } else { outcome.running += 1 }
                    continue
                }
                var scores: [String: [String: Double]] = [:]
                for record in try BaggedScoreRecord.filter(BaggedScoreRecord.Columns.evaluationID == id).fetchAll(db) {
                    scores[record.split.rawValue, default: [:]][record.scoreType] = record.value
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                var history = ScoreHistoryRecord(
                    id: nil, evaluationID: id, archivedAt: now, state: evaluation.state.rawValue,
                    scores: String(decoding: try encoder.encode(scores), as: UTF8.self))
                try history.insert(db)
                evaluation.state = .queued
                evaluation.attempts = 0
                evaluation.hubFailures = 0
                evaluation.interruptions = 0
                evaluation.hubFault = false
                evaluation.rankingKey = nil
                evaluation.executorJobID = nil
                evaluation.queuedAt = now
                evaluation.log = "queued again for re-scoring"
                try evaluation.update(db)
                let submission = try SubmissionRecord.fetchOne(db, key: evaluation.submissionID)
                try Self.appendAudit(
                    db, "rescore", actor: actor, team: submission?.team,
                    detail: [
                        "submission": .text(submission?.name ?? ""), "question": .text(evaluation.question),
                    ], at: now)
                outcome.queued += 1
            }
            if outcome.queued > 0 { try Self.bumpCounter(db, .results) }
            return outcome
        }
    }
}

/// What a re-score did with each evaluation it was asked about (counts of evaluations).
public struct RescoreOutcome: Sendable, Equatable {
    /// Ended evaluations queued again, their results kept in their history.
    public var queued = 0
    /// Evaluations that were already waiting in the queue, left as they were.
    public var waiting = 0
    /// Evaluations that run now (held by a worker or a batch job), left alone.
    public var running = 0

    public init(queued: Int = 0, waiting: Int = 0, running: Int = 0) {
        self.queued = queued
        self.waiting = waiting
        self.running = running
    }
}

extension ScoreHistoryRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let evaluationID = Column("evaluationID")
        static let id = Column("id")
    }
}
