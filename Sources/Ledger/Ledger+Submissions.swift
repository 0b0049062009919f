import Foundation
import GRDB

extension Ledger {
    /// Records a submission and queues one evaluation per question, in one transaction.
    /// Idempotent: when the team already has a submission of that name, nothing changes and
    /// the existing record is returned with `created == false`.
    /// - Parameters:
    ///   - questions: the questions whose required files the commit's tree holds.
    /// - Throws: a GRDB error when the database cannot be written.
    public func recordSubmission(team: String, name: String, commitID: String, pusher: String, questions: [String],
                                 phase: String? = nil, description: String? = nil, ancestors: [Int64] = [],
                                 at time: Date = Date()) throws -> (submission: SubmissionRecord, created: Bool) {
        try database.write { db in
            if let existing = try SubmissionRecord.filter(Column("team") == team && Column("name") == name).fetchOne(db) {
                return (existing, false)
            }
            var submission = SubmissionRecord(id: nil, team: team, name: name, commitID: commitID, pusher: pusher, submittedAt: time,
                                              phase: phase, description: description)
            try submission.insert(db)
            try Self.appendAudit(db, "submission.accepted", actor: pusher, team: team, detail: [
                "submission": .text(name), "commit": .text(commitID), "phase": .text(phase ?? ""),
                "questions": .list(questions.map(AuditValue.text)),
            ], at: time)
            for ancestor in ancestors {
                try db.execute(sql: "INSERT OR IGNORE INTO lineage (submissionID, ancestorID) VALUES (?, ?)", arguments: [submission.id!, ancestor])
            }
            for question in questions {
                var evaluation = EvaluationRecord(
                    id: nil, submissionID: submission.id!, question: question, state: .queued, attempts: 0,
                    leaseOwner: nil, leaseExpiresAt: nil, queuedAt: time, startedAt: nil, finishedAt: nil,
                    log: nil, trainSeconds: nil, testSeconds: nil, hubFault: false)
                try evaluation.insert(db)
            }
            return (submission, true)
        }
    }

    /// The team's submission named `name`, or nil.
    public func submission(team: String, name: String) throws -> SubmissionRecord? {
        try database.read { db in
            try SubmissionRecord.filter(Column("team") == team && Column("name") == name).fetchOne(db)
        }
    }

    /// The submission with this id, or nil.
    public func submission(id: Int64) throws -> SubmissionRecord? {
        try database.read { db in try SubmissionRecord.fetchOne(db, key: id) }
    }

    /// The names the team has used for submissions.
    public func submissionNames(team: String) throws -> Set<String> {
        try database.read { db in
            Set(try String.fetchAll(db, SubmissionRecord.select(Column("name")).filter(Column("team") == team)))
        }
    }

    /// Every submission with its evaluations, bagged scores and per-fold records, oldest first.
    public func submissionDetails() throws -> [SubmissionDetail] {
        try database.read { db in
            let submissions = try SubmissionRecord.order(Column("submittedAt"), Column("id")).fetchAll(db)
            let evaluations = Dictionary(grouping: try EvaluationRecord.fetchAll(db), by: \.submissionID)
            let bagged = Dictionary(grouping: try BaggedScoreRecord.fetchAll(db), by: \.evaluationID)
            let foldScores = Dictionary(grouping: try FoldScoreRecord.fetchAll(db), by: \.evaluationID)
            let foldRuns = Dictionary(grouping: try FoldRunRecord.fetchAll(db), by: \.evaluationID)
            return submissions.map { submission in
                let details = (evaluations[submission.id!] ?? []).map { evaluation in
                    EvaluationDetail(
                        record: evaluation,
                        baggedScores: bagged[evaluation.id!] ?? [],
                        foldScores: (foldScores[evaluation.id!] ?? []).sorted { ($0.fold, $0.split.rawValue, $0.scoreType) < ($1.fold, $1.split.rawValue, $1.scoreType) },
                        foldRuns: (foldRuns[evaluation.id!] ?? []).sorted { $0.fold < $1.fold })
                }
                return SubmissionDetail(submission: submission, evaluations: details)
            }
        }
    }
}

/// A submission with everything known about its evaluations.
public struct SubmissionDetail: Sendable, Equatable {
    public let submission: SubmissionRecord
    /// One per question it is evaluated on.
    public let evaluations: [EvaluationDetail]

    /// The submission's state summarised over its evaluations.
    public var state: EvaluationState {
        EvaluationState.summarising(evaluations.map(\.record.state))
    }
}

/// One evaluation with its scores and measured run times.
public struct EvaluationDetail: Sendable, Equatable {
    public let record: EvaluationRecord
    public let baggedScores: [BaggedScoreRecord]
    public let foldScores: [FoldScoreRecord]
    public let foldRuns: [FoldRunRecord]

    /// The bagged score of `scoreType` on `split`, or nil when not scored.
    public func baggedScore(_ scoreType: String, on split: ScoreSplit) -> Double? {
        baggedScores.first { $0.scoreType == scoreType && $0.split == split }?.value
    }
}
