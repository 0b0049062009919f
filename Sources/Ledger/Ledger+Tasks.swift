import Foundation
import GRDB

/// A sandboxed run of an evaluation that any worker may take (a fold's training, a test
/// shard's prediction), as the ledger holds it.
public struct EvaluationTaskRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evaluation_tasks"

    /// Where a task is.
    public enum State: String, Codable, Sendable {
        /// Not started, or given back (its worker died or could not start it).
        case waiting
        /// A worker holds its lease.
        case running
        /// It ended (however its run ended: the job directory says how).
        case done
    }

    public enum Columns {
        static let evaluationID = Column(CodingKeys.evaluationID)
        static let task = Column(CodingKeys.task)
        static let position = Column(CodingKeys.position)
        static let state = Column(CodingKeys.state)
        static let leaseOwner = Column(CodingKeys.leaseOwner)
        static let leaseExpiresAt = Column(CodingKeys.leaseExpiresAt)
    }

    public var evaluationID: Int64
    /// The task's name (`fold-0/shard-3`).
    public var task: String
    /// Its place in the evaluation's order (what is claimed first).
    public var position: Int
    /// The task that must be done first, or nil.
    public var dependsOn: String?
    public var state: State
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// Times a worker took it.
    public var attempts: Int
}

/// The tasks of evaluations run by several workers at once (a question whose test objects are
/// in shards): the worker holding the evaluation's lease publishes its tasks; any worker
/// (that one first) claims a waiting task whose dependency is done, with a lease of its own,
/// runs it in the shared job directory and marks it done. A task is only claimed while its
/// evaluation's lease is live, so the tasks of an evaluation that was cancelled, finished or
/// lost are never run again; a new attempt publishes its tasks anew.
///
/// Every method is one SQLite transaction on GRDB's threads; writes are IMMEDIATE.
extension Ledger {
    /// Replaces the tasks of an evaluation that `owner` holds with `tasks` (name and
    /// dependency, in the order to claim them). Returns false, writing nothing, when the
    /// evaluation's lease is no longer `owner`'s.
    /// - Throws: a GRDB error.
    public func publishTasks(evaluationID: Int64, owner: String, tasks: [(name: String, dependsOn: String?)]) async throws -> Bool {
        try await database.write { db in
            guard try Self.holdsLease(db, evaluationID: evaluationID, owner: owner) else { return false }
            try EvaluationTaskRecord.filter(EvaluationTaskRecord.Columns.evaluationID == evaluationID).deleteAll(db)
            for (position, task) in tasks.enumerated() {
                try EvaluationTaskRecord(
                    evaluationID: evaluationID, task: task.name, position: position, dependsOn: task.dependsOn,
                    state: .waiting, leaseOwner: nil, leaseExpiresAt: nil, attempts: 0
                ).insert(db)
            }
            return true
        }
    }

    /// Claims for `owner` the first waiting task whose dependency is done, of `evaluationID`
    /// when given (the coordinator's own), else of any evaluation whose lease is live; its
    /// state becomes `running` with a lease of `leaseSeconds`. Nil when none is ready.
    /// - Throws: a GRDB error.
    public func claimNextTask(
        owner: String, leaseSeconds: TimeInterval, of evaluationID: Int64? = nil, now: Date = Date()
    ) async throws -> EvaluationTaskRecord? {
        // Idle workers look often: a read, which takes no lock from the writers, comes first.
        let waiting = try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM evaluation_tasks WHERE state = 'waiting')") ?? false
        }
        guard waiting else { return nil }
        return try await database.write { db in
            let condition = evaluationID == nil ? "" : "AND t.evaluationID = \(evaluationID!)"
            guard
                var task = try EvaluationTaskRecord.fetchOne(
                    db,
                    sql: """
                        SELECT t.* FROM evaluation_tasks t JOIN evaluations e ON e.id = t.evaluationID
                        WHERE t.state = 'waiting' \(condition)
                          AND e.state IN ('training', 'testing') AND e.leaseOwner IS NOT NULL AND e.leaseExpiresAt > ?
                          AND (t.dependsOn IS NULL OR EXISTS (
                              SELECT 1 FROM evaluation_tasks d WHERE d.evaluationID = t.evaluationID AND d.task = t.dependsOn AND d.state = 'done'))
                        ORDER BY t.evaluationID, t.position LIMIT 1
                        """, arguments: [now])
            else { return nil }
            task.state = .running
            task.leaseOwner = owner
            task.leaseExpiresAt = now.addingTimeInterval(leaseSeconds)
            task.attempts += 1
            try task.update(db)
            return task
        }
    }

    /// Extends the lease of a task `owner` runs. False when the task is no longer its (the
    /// evaluation was cancelled, finished or lost, or the lease expired): the worker must then
    /// stop its run.
    /// - Throws: a GRDB error.
    public func renewTaskLease(evaluationID: Int64, task: String, owner: String, leaseSeconds: TimeInterval, now: Date = Date()) async throws -> Bool
    {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluation_tasks SET leaseExpiresAt = ?
                    WHERE evaluationID = ? AND task = ? AND leaseOwner = ? AND state = 'running'
                      AND EXISTS (SELECT 1 FROM evaluations e WHERE e.id = ? AND e.state IN ('training', 'testing') AND e.leaseOwner IS NOT NULL)
                    """, arguments: [now.addingTimeInterval(leaseSeconds), evaluationID, task, owner, evaluationID])
            return db.changesCount == 1
        }
    }

    /// Marks a task `owner` ran as done (`done: true`), or gives it back to the queue
    /// (`done: false`: its worker stopped or could not run it). False when it was no longer
    /// `owner`'s.
    /// - Throws: a GRDB error.
    @discardableResult
    public func endTask(evaluationID: Int64, task: String, owner: String, done: Bool) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluation_tasks SET state = ?, leaseOwner = NULL, leaseExpiresAt = NULL
                    WHERE evaluationID = ? AND task = ? AND leaseOwner = ? AND state = 'running'
                    """, arguments: [done ? "done" : "waiting", evaluationID, task, owner])
            return db.changesCount == 1
        }
    }

    /// The tasks of an evaluation, in their order.
    /// - Throws: a GRDB error.
    public func tasks(evaluationID: Int64) async throws -> [EvaluationTaskRecord] {
        try await database.read { db in
            try EvaluationTaskRecord.filter(EvaluationTaskRecord.Columns.evaluationID == evaluationID)
                .order(EvaluationTaskRecord.Columns.position).fetchAll(db)
        }
    }

    /// Removes the tasks of an evaluation (it ended, or its coordinator gives up on them).
    /// - Throws: a GRDB error.
    public func dropTasks(evaluationID: Int64) async throws {
        _ = try await database.write { db in
            try EvaluationTaskRecord.filter(EvaluationTaskRecord.Columns.evaluationID == evaluationID).deleteAll(db)
        }
    }

    /// Gives running tasks whose lease expired before `now` back to the queue (their worker
    /// died); returns how many.
    /// - Throws: a GRDB error.
    @discardableResult
    public func requeueExpiredTaskLeases(now: Date = Date()) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE evaluation_tasks SET state = 'waiting', leaseOwner = NULL, leaseExpiresAt = NULL
                    WHERE state = 'running' AND (leaseExpiresAt IS NULL OR leaseExpiresAt < ?)
                    """, arguments: [now])
            return db.changesCount
        }
    }

    static func holdsLease(_ db: Database, evaluationID: Int64, owner: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM evaluations WHERE id = ? AND leaseOwner = ? AND state IN ('queued', 'training', 'testing')
                """, arguments: [evaluationID, owner]) ?? false
    }
}
