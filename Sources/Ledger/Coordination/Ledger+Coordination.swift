import Foundation
import GRDB

/// Counters that processes sharing a hub compare to know whether something changed.
public enum LedgerCounter: String, Sendable {
    /// Grows with every change of evaluation results (finished, cancelled, queued again).
    case results
    /// The value of ``results`` that the stored credit (contributivity, historical
    /// contributivity) was computed from.
    case credit
    /// Grows with every recorded submission.
    case submissions
}

/// What changes what a participant sees, read at once: the counters, and the phase override
/// and reveal. Equal versions mean equal leaderboards (for the same request at the same
/// phase), which is what caches of rendered pages key on.
public struct LedgerVersion: Hashable, Sendable {
    public let results: Int64
    public let credit: Int64
    public let submissions: Int64
    /// The latest phase override (a phase, or nil when cleared or never set).
    public let phaseOverride: PhaseOverrideRecord?
    public let revealed: Bool
    /// The id of the challenge configuration in force (``ChallengeConfigurationRecord``).
    public let configuration: Int64
}

/// What only one process of a hub should do at a time (for example recompute credit), held as
/// a lease in the ledger: the holder renews it; when it dies, another process takes over once
/// the lease expired.
public struct ServiceLeaseRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "service_leases"
    public var name: String
    public var owner: String
    public var expiresAt: Date
}

extension Ledger {
    static func bumpCounter(_ db: Database, _ counter: LedgerCounter) throws {
        try db.execute(
            sql: """
                INSERT INTO counters (name, value) VALUES (?, 1)
                ON CONFLICT(name) DO UPDATE SET value = value + 1
                """, arguments: [counter.rawValue])
    }

    /// The counter's value (0 before its first change).
    /// - Throws: a GRDB error when the database cannot be read.
    public func counter(_ counter: LedgerCounter) async throws -> Int64 {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [counter.rawValue]) ?? 0
        }
    }

    /// The ledger's version, in one read on GRDB's threads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func version() async throws -> LedgerVersion {
        try await database.read { db in try Self.version(db) }
    }

    /// The member whose login and token match (or nil), and the ledger's version, in one read
    /// on GRDB's threads: what each request needs first.
    /// - Throws: a GRDB error when the database cannot be read.
    public func member(login: String, token: String) async throws -> (member: MemberRecord?, version: LedgerVersion) {
        let (member, version) = try await database.read { db in (try MemberRecord.fetchOne(db, key: login), try Self.version(db)) }
        return (Self.matching(member, token: token), version)
    }

    /// The member `login`, whatever its token (a browser session already checked it, and keeps
    /// its hash to see that it was not revoked since), with the ledger's version, in one read.
    /// - Throws: a GRDB error when the database cannot be read.
    public func member(login: String) async throws -> (member: MemberRecord?, version: LedgerVersion) {
        try await database.read { db in (try MemberRecord.fetchOne(db, key: login), try Self.version(db)) }
    }

    static func version(_ db: Database) throws -> LedgerVersion {
        var counters: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") { counters[row["name"]] = row["value"] }
        let override = try PhaseOverrideRecord.order(PhaseOverrideRecord.Columns.id.desc).fetchOne(db).flatMap { $0.phase == nil ? nil : $0 }
        return LedgerVersion(
            results: counters[LedgerCounter.results.rawValue] ?? 0, credit: counters[LedgerCounter.credit.rawValue] ?? 0,
            submissions: counters[LedgerCounter.submissions.rawValue] ?? 0, phaseOverride: override,
            revealed: try RevealRecord.fetchCount(db) > 0,
            configuration: try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM challenge_configurations") ?? 0)
    }

    /// Sets a counter (``LedgerCounter/credit`` after a recomputation).
    /// - Throws: a GRDB error when the database cannot be written.
    public func setCounter(_ counter: LedgerCounter, to value: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", arguments: [counter.rawValue, value])
        }
    }

    /// Takes or renews the lease named `name` for `owner`, for `seconds`: true when `owner`
    /// holds it now (it was free, expired, or already `owner`'s).
    /// - Throws: a GRDB error when the database cannot be written.
    public func holdServiceLease(_ name: String, owner: String, seconds: TimeInterval, now: Date = Date()) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO service_leases (name, owner, expiresAt) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expiresAt = excluded.expiresAt
                    WHERE service_leases.owner = excluded.owner OR service_leases.expiresAt < ?
                    """, arguments: [name, owner, now.addingTimeInterval(seconds), now])
            return db.changesCount == 1
        }
    }

    /// Gives up the lease named `name` when `owner` holds it (a process that stops cleanly),
    /// so that another process takes over at once.
    /// - Throws: a GRDB error when the database cannot be written.
    public func releaseServiceLease(_ name: String, owner: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM service_leases WHERE name = ? AND owner = ?", arguments: [name, owner])
        }
    }
}
