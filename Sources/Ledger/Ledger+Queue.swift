import Foundation
import GRDB

/// The results of a finished evaluation, written at once.
public struct EvaluationOutcome: Sendable {
    public var state: EvaluationState
    public var log: String?
    public var foldRuns: [FoldRunRecord]
    public var foldScores: [FoldScoreRecord]
    public var baggedScores: [BaggedScoreRecord]
    /// True when the hub, not the submission, failed: the evaluation is retried (until
    /// ``Ledger/maximumAttempts`` such failures) and does not count against the team.
    public var isInfrastructureFailure: Bool

    public init(
        state: EvaluationState, log: String?, foldRuns: [FoldRunRecord] = [],
        foldScores: [FoldScoreRecord] = [], baggedScores: [BaggedScoreRecord] = [],
        isInfrastructureFailure: Bool = false
    ) {
        self.state = state
        self.log = log
        self.foldRuns = foldRuns
        self.foldScores = foldScores
        self.baggedScores = baggedScores
        self.isInfrastructureFailure = isInfrastructureFailure
    }

    /// A failure of the hub (data, disk, sandbox start-up), not of the submission's code.
    public static func infrastructureFailure(_ log: String) -> EvaluationOutcome {
        EvaluationOutcome(state: .checkingError, log: log, isInfrastructureFailure: true)
    }
}

/// The durable queue: an evaluation row is also its job. A worker claims the oldest queued
/// one with a lease (an owner and an expiry), renews the lease while it works, and writes the
/// result only while it still holds it, so that each evaluation is scored once. Any process
/// may return expired leases to the queue (``Ledger/requeueExpiredLeases(now:)``): a worker
/// that died, whichever process it was in, loses its evaluation within the lease time.
///
/// Every method is one SQLite transaction, run on GRDB's own threads (never on Swift's
/// cooperative pool); write transactions are IMMEDIATE, so they serialise across processes.
extension Ledger {
    /// Claims the oldest queued evaluation that no worker holds for `owner`, with a lease of
    /// `leaseSeconds`: its state becomes `training`, its attempt count grows by one and
    /// `worker` names the owner. Returns nil when the queue is empty.
    ///
    /// A claimed evaluation keeps its ``EvaluationRecord/executorJobID``: when a batch job of
    /// an earlier attempt is still known, the new owner follows it instead of submitting
    /// another.
    /// - Throws: a GRDB error when the database cannot be written.
    public func claimNextEvaluation(owner: String, leaseSeconds: TimeInterval, now: Date = Date()) async throws -> EvaluationRecord? {
        try await database.write { db in
            guard
                var evaluation =
                    try EvaluationRecord
                    .filter(EvaluationRecord.Columns.state == EvaluationState.queued.rawValue && EvaluationRecord.Columns.leaseOwner == nil)
                    .order(EvaluationRecord.Columns.id)
                    .fetchOne(db)
            else { return nil }
            evaluation.state = .training
            evaluation.attempts += 1
            evaluation.leaseOwner = owner
            evaluation.worker = owner
            evaluation.leaseExpiresAt = now.addingTimeInterval(leaseSeconds)
            evaluation.startedAt = now
            try evaluation.update(db)
            return evaluation
        }
    }

    /// Extends the lease of an evaluation that `owner` still holds, and records its current
    /// state: `training` or `testing`, or `queued` while its batch job waits for the
    /// scheduler (the lease keeps other workers off it). Returns false when the lease was lost
    /// (expired and requeued, or cancelled): the worker must then stop and write nothing.
    /// - Throws: a GRDB error when the database cannot be written.
    public func renewLease(
        evaluationID: Int64, owner: String, state: EvaluationState, leaseSeconds: TimeInterval, now: Date = Date()
    ) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluations SET leaseExpiresAt = ?, state = ?
                    WHERE id = ? AND leaseOwner = ? AND state IN ('queued', 'training', 'testing')
                    """,
                arguments: [now.addingTimeInterval(leaseSeconds), state.rawValue, evaluationID, owner])
            return db.changesCount == 1
        }
    }

    /// True while `owner` holds the lease of a running evaluation (false once it was cancelled
    /// or requeued).
    /// - Throws: a GRDB error when the database cannot be read.
    public func isLeaseHeld(evaluationID: Int64, owner: String) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM evaluations WHERE id = ? AND leaseOwner = ? AND state IN ('queued', 'training', 'testing')
                    """, arguments: [evaluationID, owner]) ?? false
        }
    }

    /// Records the batch job that runs the evaluation `owner` holds (``EvaluationRecord/executorJobID``).
    /// Returns false, writing nothing, when the lease was lost.
    /// - Throws: a GRDB error when the database cannot be written.
    public func recordExecutorJob(evaluationID: Int64, owner: String, jobID: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluations SET executorJobID = ?
                    WHERE id = ? AND leaseOwner = ? AND state IN ('queued', 'training', 'testing')
                    """,
                arguments: [jobID, evaluationID, owner])
            return db.changesCount == 1
        }
    }

    /// Failures of the hub an evaluation may go through (the first run and two retries), after
    /// which it ends in `checking_error` through the hub's fault.
    public static let maximumAttempts = 3

    /// Workers an evaluation may lose (their lease expired: killed, crashed or hung) before it
    /// ends in `checking_error` through the hub's fault: more than failures, since a machine
    /// in trouble kills workers whatever they run, but not without bound, in case the job is
    /// what kills them.
    public static let maximumInterruptions = 10

    /// Characters of an evaluation's log kept (its head, where the failure is named, and its
    /// tail): what a submission prints or writes can be huge.
    public static let maximumLogCharacters = 65_536

    static func capped(_ log: String) -> String {
        guard log.count > maximumLogCharacters else { return log }
        let half = maximumLogCharacters / 2
        return String(log.prefix(half)) + "\n[... \(log.count - maximumLogCharacters) characters left out ...]\n" + String(log.suffix(half))
    }

    /// Writes a finished evaluation's results, only when `owner` still holds its lease, so that
    /// an evaluation is scored exactly once. Returns false (and writes nothing) otherwise.
    /// An infrastructure failure returns the evaluation to the queue while it has attempts
    /// left, and otherwise ends it in `checking_error` with the hub's reason. A scored
    /// evaluation gets its ranking key from its question's ``RankingSpecification``.
    /// - Throws: a GRDB error when the database cannot be written.
    public func finishEvaluation(_ evaluationID: Int64, owner: String, outcome: EvaluationOutcome, now: Date = Date()) async throws -> Bool {
        try await database.write { db in
            guard var evaluation = try EvaluationRecord.fetchOne(db, key: evaluationID),
                evaluation.leaseOwner == owner, !evaluation.state.isFinal
            else { return false }
            if outcome.isInfrastructureFailure { evaluation.hubFailures += 1 }
            if outcome.isInfrastructureFailure, evaluation.hubFailures < Self.maximumAttempts {
                evaluation.state = .queued
                evaluation.leaseOwner = nil
                evaluation.leaseExpiresAt = nil
                // The retry runs in a new batch job.
                evaluation.executorJobID = nil
                evaluation.log = "attempt \(evaluation.attempts) failed through the hub's fault, retrying: \(outcome.log ?? "")"
                try evaluation.update(db)
                return true
            }
            try FoldScoreRecord.filter(FoldScoreRecord.Columns.evaluationID == evaluationID).deleteAll(db)
            try BaggedScoreRecord.filter(BaggedScoreRecord.Columns.evaluationID == evaluationID).deleteAll(db)
            try FoldRunRecord.filter(FoldRunRecord.Columns.evaluationID == evaluationID).deleteAll(db)
            for record in outcome.foldRuns { try record.insert(db) }
            for record in outcome.foldScores { try record.insert(db) }
            for record in outcome.baggedScores { try record.insert(db) }
            evaluation.state = outcome.state
            evaluation.hubFault = outcome.isInfrastructureFailure
            let log =
                outcome.isInfrastructureFailure
                ? "the hub failed \(evaluation.hubFailures) times to evaluate this submission; it does not count against your team. Last failure: \(outcome.log ?? "")"
                : outcome.log
            evaluation.log = log.map(Self.capped)
            evaluation.finishedAt = now
            evaluation.leaseOwner = nil
            evaluation.leaseExpiresAt = nil
            evaluation.trainSeconds = outcome.foldRuns.isEmpty ? nil : outcome.foldRuns.reduce(0) { $0 + $1.trainSeconds }
            evaluation.testSeconds = outcome.foldRuns.isEmpty ? nil : outcome.foldRuns.reduce(0) { $0 + $1.testSeconds }
            evaluation.rankingKey =
                outcome.state == .scored
                ? try RankingSpecification.fetchOne(db, key: evaluation.question)?.key(from: outcome.baggedScores) : nil
            try evaluation.update(db)
            try Self.bumpCounter(db, .results)
            return true
        }
    }

    /// Returns a running evaluation that `owner` holds to the queue without counting the
    /// attempt: its worker is shutting down, which is neither the team's fault nor a failure
    /// of the hub. Returns false when the lease was no longer held.
    /// - Throws: a GRDB error when the database cannot be written.
    @discardableResult
    public func releaseEvaluation(_ evaluationID: Int64, owner: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluations SET state = 'queued', attempts = MAX(attempts - 1, 0), leaseOwner = NULL, leaseExpiresAt = NULL,
                        worker = NULL, log = 'returned to the queue: its worker was stopped'
                    WHERE id = ? AND leaseOwner = ? AND state IN ('queued', 'training', 'testing')
                    """,
                arguments: [evaluationID, owner])
            return db.changesCount == 1
        }
    }

    /// Returns every running evaluation (and every queued one that a worker holds while its
    /// batch job waits) whose lease expired before `now` (its worker died or hung) to the queue; one that lost ``maximumInterruptions`` workers ends in
    /// `checking_error` through the hub's fault. Live leases are never touched. Returns how
    /// many changed.
    /// - Throws: a GRDB error when the database cannot be written.
    @discardableResult
    public func requeueExpiredLeases(now: Date = Date()) async throws -> Int {
        try await database.write { db in
            let expired =
                try EvaluationRecord
                .filter(Self.heldByAWorker)
                .filter(EvaluationRecord.Columns.leaseExpiresAt == nil || EvaluationRecord.Columns.leaseExpiresAt < now)
                .fetchAll(db)
            for var evaluation in expired {
                evaluation.leaseOwner = nil
                evaluation.leaseExpiresAt = nil
                evaluation.interruptions += 1
                if evaluation.interruptions >= Self.maximumInterruptions {
                    evaluation.state = .checkingError
                    evaluation.hubFault = true
                    evaluation.finishedAt = now
                    evaluation.log =
                        "the hub stopped \(evaluation.interruptions) times while evaluating this submission; it does not count against your team"
                    try Self.bumpCounter(db, .results)
                } else {
                    evaluation.state = .queued
                    evaluation.log = "requeued after its worker stopped renewing its lease (attempt \(evaluation.attempts))"
                }
                try evaluation.update(db)
            }
            return expired.count
        }
    }

    /// Every evaluation that is running now, with its lease owner (a batch job waiting for
    /// the scheduler included).
    public func runningEvaluations() throws -> [EvaluationRecord] {
        try database.read { db in
            try EvaluationRecord.filter(Self.heldByAWorker).fetchAll(db)
        }
    }

    /// Evaluations a worker holds: running, or queued on a batch scheduler.
    static var heldByAWorker: SQLExpression {
        ["training", "testing"].contains(EvaluationRecord.Columns.state)
            || (EvaluationRecord.Columns.state == "queued" && EvaluationRecord.Columns.leaseOwner != nil)
    }

    /// The 1-based position of a queued evaluation in the queue (1 = next to run), or nil when
    /// it is not queued. Reads the queue's index only.
    public func queuePosition(evaluationID: Int64) throws -> Int? {
        try database.read { db in try Self.queuePosition(db, evaluationID: evaluationID) }
    }

    static func queuePosition(_ db: Database, evaluationID: Int64) throws -> Int? {
        guard let state = try String.fetchOne(db, sql: "SELECT state FROM evaluations WHERE id = ?", arguments: [evaluationID]),
            state == EvaluationState.queued.rawValue
        else { return nil }
        let ahead = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evaluations WHERE state = 'queued' AND id < ?", arguments: [evaluationID]) ?? 0
        return ahead + 1
    }

    /// The evaluations of a submission.
    public func evaluations(submissionID: Int64) throws -> [EvaluationRecord] {
        try database.read { db in
            try EvaluationRecord.filter(EvaluationRecord.Columns.submissionID == submissionID).order(EvaluationRecord.Columns.id).fetchAll(db)
        }
    }

    /// The evaluation with this id, or nil.
    public func evaluation(id: Int64) throws -> EvaluationRecord? {
        try database.read { db in try EvaluationRecord.fetchOne(db, key: id) }
    }
}

extension Ledger {
    /// Cancels the unfinished evaluations of a submission: queued ones never run, running ones
    /// lose their lease (their worker stops the sandbox and writes nothing). Returns how many
    /// were cancelled. A cancelled submission keeps its name used: no quota is given back.
    /// - Throws: database errors.
    public func cancel(submissionID: Int64, by actor: String = "hub", now: Date = Date()) throws -> Int {
        try database.write { db in
            if let submission = try SubmissionRecord.fetchOne(db, key: submissionID) {
                try Self.appendAudit(db, "cancel", actor: actor, team: submission.team, detail: ["submission": .text(submission.name)], at: now)
            }
            try db.execute(
                sql: """
                    UPDATE evaluations SET state = 'cancelled', leaseOwner = NULL, leaseExpiresAt = NULL,
                        finishedAt = ?, log = 'cancelled by the organisers', rankingKey = NULL
                    WHERE submissionID = ? AND state IN ('new', 'queued', 'training', 'testing')
                    """,
                arguments: [now, submissionID])
            let count = db.changesCount
            if count > 0 { try Self.bumpCounter(db, .results) }
            return count
        }
    }
}
