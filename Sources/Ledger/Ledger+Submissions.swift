import Challenge
import Foundation
import GRDB

extension Ledger {
    /// Records a submission and queues one evaluation per question, in one transaction.
    /// Idempotent: when the team already has a submission of that name, nothing changes and
    /// the existing record is returned with `created == false`.
    ///
    /// When pre-receive reserved the name (``reserveSubmissions(team:names:pusher:phase:at:countOwnErrors:quota:)``),
    /// the reservation's instant, phase and pusher are the ones recorded, whatever the delay
    /// since, and the reservation is consumed.
    /// - Parameters:
    ///   - questions: the questions whose required files the commit's tree holds.
    ///   - ancestors: the ids of the earlier submissions in the commit's history.
    ///   - treeID: the commit's tree (40 hexadecimal digits).
    ///   - codeFingerprint: what its files do (64 hexadecimal digits).
    /// - Throws: a GRDB error when the database cannot be written.
    public func recordSubmission(
        team: String, name: String, commitID: String, pusher: String, questions: [String],
        phase: String? = nil, description: String? = nil, ancestors: [Int64] = [],
        treeID: String? = nil, codeFingerprint: String? = nil, at time: Date = Date()
    ) throws -> (submission: SubmissionRecord, created: Bool) {
        try database.write { db in
            if let existing = try SubmissionRecord.filter(SubmissionRecord.Columns.team == team && SubmissionRecord.Columns.name == name).fetchOne(db)
            {
                try SubmissionReservation.deleteOne(db, key: ["team": team, "name": name])
                return (existing, false)
            }
            let reservation = try SubmissionReservation.fetchOne(db, key: ["team": team, "name": name])
            let time = reservation?.reservedAt ?? time
            let phase = reservation.map(\.phase) ?? phase
            let pusher = pusher == "unknown" ? reservation?.pusher ?? pusher : pusher
            var submission = SubmissionRecord(
                id: nil, team: team, name: name, commitID: commitID, pusher: pusher, submittedAt: time,
                phase: phase, description: description, treeID: treeID,
                codeFingerprint: codeFingerprint)
            try submission.insert(db)
            try reservation?.delete(db)
            try Self.appendAudit(
                db, "submission.accepted", actor: pusher, team: team,
                detail: [
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
            try Self.bumpCounter(db, .submissions)
            return (submission, true)
        }
    }

    /// The team's submission named `name`, or nil.
    public func submission(_ key: SubmissionKey) throws -> SubmissionRecord? {
        try database.read { db in
            try SubmissionRecord.filter(SubmissionRecord.Columns.team == key.team && SubmissionRecord.Columns.name == key.name).fetchOne(db)
        }
    }

    /// The submission with this id, or nil.
    public func submission(id: Int64) throws -> SubmissionRecord? {
        try database.read { db in try SubmissionRecord.fetchOne(db, key: id) }
    }

    /// The names the team has used for submissions.
    public func submissionNames(team: String) throws -> Set<String> {
        try database.read { db in
            Set(try String.fetchAll(db, SubmissionRecord.select(SubmissionRecord.Columns.name).filter(SubmissionRecord.Columns.team == team)))
        }
    }

    /// The keys (`team/name`) and teams of the submissions recorded before `submission`, in
    /// recording order (time, then id): those its `Credit:` trailers may name.
    public func submissionKeys(before submission: SubmissionRecord) throws -> [(key: String, team: String)] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT team, name FROM submissions WHERE submittedAt < ? OR (submittedAt = ? AND id < ?) ORDER BY submittedAt, id
                    """, arguments: [submission.submittedAt, submission.submittedAt, submission.id!]
            )
            .map { (key: "\($0["team"] as String)/\($0["name"] as String)", team: $0["team"]) }
        }
    }

    /// Every submission's team, name and commit, oldest first: what open.git publishes.
    public func submissionCommits() throws -> [(key: SubmissionKey, commitID: String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT team, name, commitID FROM submissions ORDER BY id")
                .map { (key: SubmissionKey(team: $0["team"], name: $0["name"]), commitID: $0["commitID"]) }
        }
    }

    /// Every submission's id, team and name, and submission time, oldest first.
    public func submissionIdentities() throws -> [(id: Int64, key: SubmissionKey, submittedAt: Date)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, team, name, submittedAt FROM submissions ORDER BY id")
                .map { (id: $0["id"], key: SubmissionKey(team: $0["team"], name: $0["name"]), submittedAt: $0["submittedAt"]) }
        }
    }

    /// The submissions whose commit is one of `commitIDs` (indexed lookups, however many
    /// submissions the hub holds).
    public func submissions(commitIDs: some Collection<String>) throws -> [SubmissionRecord] {
        try database.read { db in
            var found: [SubmissionRecord] = []
            for chunk in Array(commitIDs).chunked(500) {
                found += try SubmissionRecord.filter(chunk.contains(SubmissionRecord.Columns.commitID)).fetchAll(db)
            }
            return found.sorted { $0.id! < $1.id! }
        }
    }

    /// Every submission with its evaluations, scores, lineage and credit shares, oldest first.
    /// Reads the whole ledger: for organisers' reports, exports and full recomputations, not
    /// for requests (see ``submissionDetail(team:name:)``).
    public func submissionDetails() throws -> [SubmissionDetail] {
        try database.read { db in
            try Self.details(
                db, of: try SubmissionRecord.order(SubmissionRecord.Columns.submittedAt, SubmissionRecord.Columns.id).fetchAll(db), wholeLedger: true)
        }
    }

    /// One submission with everything known about it, or nil: a handful of indexed reads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func submissionDetail(_ key: SubmissionKey) async throws -> SubmissionDetail? {
        try await database.read { db in
            guard
                let submission = try SubmissionRecord.filter(SubmissionRecord.Columns.team == key.team && SubmissionRecord.Columns.name == key.name)
                    .fetchOne(
                        db)
            else { return nil }
            return try Self.details(db, of: [submission], wholeLedger: false).first
        }
    }

    /// The submissions of one commit (several teams may submit the same commit), with
    /// everything known about them.
    public func submissionDetails(commitID: String) throws -> [SubmissionDetail] {
        try database.read { db in
            try Self.details(
                db, of: try SubmissionRecord.filter(SubmissionRecord.Columns.commitID == commitID).order(SubmissionRecord.Columns.id).fetchAll(db),
                wholeLedger: false)
        }
    }

    static func details(_ db: Database, of submissions: [SubmissionRecord], wholeLedger: Bool) throws -> [SubmissionDetail] {
        let submissionIDs = submissions.map { $0.id! }
        func rows<Record: FetchableRecord & TableRecord>(_ type: Record.Type, _ column: String, _ ids: [Int64]) throws -> [Record] {
            if wholeLedger { return try Record.fetchAll(db) }
            var found: [Record] = []
            for chunk in ids.chunked(500) { found += try Record.filter(chunk.contains(Column(column))).fetchAll(db) }
            return found
        }
        let evaluationRecords = try rows(EvaluationRecord.self, "submissionID", submissionIDs)
        let evaluationIDs = evaluationRecords.map { $0.id! }
        let evaluations = Dictionary(grouping: evaluationRecords, by: \.submissionID)
        let bagged = Dictionary(grouping: try rows(BaggedScoreRecord.self, "evaluationID", evaluationIDs), by: \.evaluationID)
        let foldScores = Dictionary(grouping: try rows(FoldScoreRecord.self, "evaluationID", evaluationIDs), by: \.evaluationID)
        let foldRuns = Dictionary(grouping: try rows(FoldRunRecord.self, "evaluationID", evaluationIDs), by: \.evaluationID)
        let history = Dictionary(grouping: try rows(ScoreHistoryRecord.self, "evaluationID", evaluationIDs), by: \.evaluationID)
        let shares = Dictionary(grouping: try rows(CreditShareRecord.self, "submissionID", submissionIDs), by: \.submissionID)
        var ancestors: [Int64: [String]] = [:]
        for chunk in submissionIDs.chunked(500) where !chunk.isEmpty {
            let placeholders = databaseQuestionMarks(count: chunk.count)
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT l.submissionID, a.team, a.name FROM lineage l JOIN submissions a ON a.id = l.ancestorID
                    WHERE l.submissionID IN (\(placeholders)) ORDER BY l.submissionID, l.ancestorID
                    """, arguments: StatementArguments(chunk))
            {
                ancestors[row["submissionID"], default: []].append("\(row["team"] as String)/\(row["name"] as String)")
            }
        }
        let queued = try Int64.fetchAll(db, sql: "SELECT id FROM evaluations WHERE state = 'queued' ORDER BY id")
        var positions: [Int64: Int] = [:]
        if wholeLedger {
            for (index, id) in queued.enumerated() { positions[id] = index + 1 }
        } else {
            for id in evaluationIDs { positions[id] = try queuePosition(db, evaluationID: id) }
        }
        return submissions.map { submission in
            let details = (evaluations[submission.id!] ?? []).sorted { $0.id! < $1.id! }.map { evaluation in
                EvaluationDetail(
                    record: evaluation,
                    baggedScores: bagged[evaluation.id!] ?? [],
                    foldScores: (foldScores[evaluation.id!] ?? []).sorted {
                        ($0.fold, $0.split.rawValue, $0.scoreType) < ($1.fold, $1.split.rawValue, $1.scoreType)
                    },
                    foldRuns: (foldRuns[evaluation.id!] ?? []).sorted { $0.fold < $1.fold },
                    queuePosition: positions[evaluation.id!],
                    history: (history[evaluation.id!] ?? []).sorted { $0.id! < $1.id! })
            }
            return SubmissionDetail(
                submission: submission, evaluations: details, derivesFrom: ancestors[submission.id!] ?? [],
                creditShares: shares[submission.id!] ?? [])
        }
    }
}

/// A submission with everything known about its evaluations, lineage and credit.
public struct SubmissionDetail: Sendable, Equatable {
    public let submission: SubmissionRecord
    /// One per question it is evaluated on.
    public let evaluations: [EvaluationDetail]
    /// The earlier submissions in its history (`team/name`), oldest first.
    public let derivesFrom: [String]
    /// Its credit shares by owner.
    public let creditShares: [CreditShareRecord]

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
    /// Its 1-based position in the queue while queued.
    public let queuePosition: Int?
    /// Its results before each re-score, oldest first.
    public let history: [ScoreHistoryRecord]

    /// The bagged score of `scoreType` on `split`, or nil when not scored.
    public func baggedScore(_ scoreType: String, on split: ScoreSplit) -> Double? {
        baggedScores.first { $0.scoreType == scoreType && $0.split == split }?.value
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements (SQLite limits the
    /// number of parameters of one statement).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension Ledger {
    /// The submission with this id, or nil, read on GRDB's threads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func fetchSubmission(id: Int64) async throws -> SubmissionRecord? {
        try await database.read { db in try SubmissionRecord.fetchOne(db, key: id) }
    }
}
