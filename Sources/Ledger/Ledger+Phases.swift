import Foundation
import GRDB

/// An organiser's override of the schedule: `phase` nil clears it.
public struct PhaseOverrideRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "phase_overrides"
    public var id: Int64?
    public var phase: String?
    public var setBy: String
    public var setAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A reveal of the private test scores to participants.
public struct RevealRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "reveals"
    public var id: Int64?
    public var revealedBy: String
    public var revealedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Ledger {
    /// Records an override of the schedule (nil: back to the schedule), with who and when.
    public func overridePhase(_ phase: String?, by login: String, at time: Date = Date()) throws {
        try database.write { db in
            var record = PhaseOverrideRecord(id: nil, phase: phase, setBy: login, setAt: time)
            try record.insert(db)
            try Self.appendAudit(db, "phase.override", actor: login, detail: ["phase": .text(phase ?? "(schedule)")], at: time)
        }
    }

    /// The override in force (the latest, when it names a phase), or nil.
    public func phaseOverride() throws -> PhaseOverrideRecord? {
        try database.read { db in
            try PhaseOverrideRecord.order(PhaseOverrideRecord.Columns.id.desc).fetchOne(db).flatMap { $0.phase == nil ? nil : $0 }
        }
    }

    /// Records that the private test scores are now shown to participants.
    public func reveal(by login: String, at time: Date = Date()) throws {
        try database.write { db in
            var record = RevealRecord(id: nil, revealedBy: login, revealedAt: time)
            try record.insert(db)
            try Self.appendAudit(db, "reveal", actor: login, at: time)
        }
    }

    /// The override in force (as ``phaseOverride()``) and whether the private scores were
    /// revealed, in one read on GRDB's threads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func phaseState() async throws -> (override: PhaseOverrideRecord?, revealed: Bool) {
        try await database.read { db in
            let override = try PhaseOverrideRecord.order(PhaseOverrideRecord.Columns.id.desc).fetchOne(db).flatMap { $0.phase == nil ? nil : $0 }
            return (override, try RevealRecord.fetchCount(db) > 0)
        }
    }

    /// The first reveal, or nil.
    public func firstReveal() throws -> RevealRecord? {
        try database.read { db in try RevealRecord.order(RevealRecord.Columns.id).fetchOne(db) }
    }

    /// The team's submissions that count in its quotas, with their times: all but those whose
    /// every evaluation failed through the hub's fault, and (when `countOwnErrors` is false)
    /// those that ended in an error of their own code. Cancelled ones count. (Reserved names
    /// of pushes being recorded count too: see ``reserveSubmissions(team:names:pusher:phase:at:countOwnErrors:quota:)``.)
    public func quotaCountingSubmissionTimes(team: String, countOwnErrors: Bool) throws -> [Date] {
        try database.read { db in try Self.quotaCountingSubmissionTimes(db, team: team, countOwnErrors: countOwnErrors) }
    }

    static func quotaCountingSubmissionTimes(_ db: Database, team: String, countOwnErrors: Bool) throws -> [Date] {
        let submissions = try SubmissionRecord.filter(SubmissionRecord.Columns.team == team).fetchAll(db)
        let evaluations = Dictionary(
            grouping:
                try EvaluationRecord
                .filter(submissions.map { $0.id! }.contains(EvaluationRecord.Columns.submissionID)).fetchAll(db), by: \.submissionID)
        return submissions.filter { submission in
            let states = evaluations[submission.id!] ?? []
            if !states.isEmpty, states.allSatisfy(\.hubFault) { return false }
            if !countOwnErrors, !states.isEmpty, states.allSatisfy({ $0.state.isError && !$0.hubFault }) { return false }
            return true
        }.map(\.submittedAt)
    }

    /// The ids of the submissions that `submissionID` derives from (earlier submissions whose
    /// commit is in its history).
    public func ancestors(of submissionID: Int64) throws -> [Int64] {
        try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT ancestorID FROM lineage WHERE submissionID = ? ORDER BY ancestorID", arguments: [submissionID])
        }
    }

    /// The submissions (`team/name`, oldest first) whose history holds `submissionID`: one
    /// read of the lineage's index by ancestor.
    public func descendants(of submissionID: Int64) throws -> [String] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.team, s.name FROM lineage l JOIN submissions s ON s.id = l.submissionID WHERE l.ancestorID = ? ORDER BY s.id
                    """, arguments: [submissionID]
            ).map { "\($0["team"] as String)/\($0["name"] as String)" }
        }
    }

    /// The nearest earlier submissions in the history of `submissionID`: its ancestors that are
    /// no ancestor's ancestors (a fork has one, a merge of two submissions two), by id.
    /// - Throws: a GRDB error when the database cannot be read.
    public func parentSubmissions(of submissionID: Int64) async throws -> [SubmissionRecord] {
        try await database.read { db in
            try SubmissionRecord.fetchAll(
                db,
                sql: """
                    SELECT s.* FROM lineage a JOIN submissions s ON s.id = a.ancestorID
                    WHERE a.submissionID = ? AND NOT EXISTS (
                        SELECT 1 FROM lineage b JOIN lineage c ON c.submissionID = b.ancestorID
                        WHERE b.submissionID = ? AND c.ancestorID = a.ancestorID)
                    ORDER BY s.id
                    """, arguments: [submissionID, submissionID])
        }
    }

    /// Every lineage edge: (submission, ancestor submission).
    public func lineageEdges() throws -> [(submission: Int64, ancestor: Int64)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT submissionID, ancestorID FROM lineage ORDER BY submissionID, ancestorID")
                .map { (submission: $0["submissionID"], ancestor: $0["ancestorID"]) }
        }
    }
}

extension PhaseOverrideRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let id = Column("id")
    }
}

extension RevealRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let id = Column("id")
    }
}
