import Crypto
import Foundation
import GRDB

/// One entry of the append-only, hash-chained audit log.
public struct AuditEntry: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_log"
    public var id: Int64?
    /// When it happened, UTC.
    public var at: Date
    /// Who did it: a participant's login, an organiser's user name, or `hub`.
    public var actor: String
    /// What happened, for example `push`, `submission.accepted`, `phase.override`.
    public var action: String
    /// The team concerned, when there is one.
    public var team: String?
    /// The details, as JSON with sorted keys.
    public var detail: String
    /// SHA-256 (hex) of the previous entry (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 (hex) of this entry's content and `previousHash`.
    public var hash: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The SHA-256 of an entry's content: id, time (milliseconds since 1970), actor, action,
    /// team, detail and previous hash, joined by unit separators (U+001F), as hexadecimal.
    public static func contentHash(id: Int64, at: Date, actor: String, action: String, team: String?, detail: String, previousHash: String) -> String
    {
        let fields = [String(id), String(Int64((at.timeIntervalSince1970 * 1000).rounded())), actor, action, team ?? "", detail, previousHash]
        return SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The hash of the chain's start.
    public static let genesis = String(repeating: "0", count: 64)
}

/// What `verify` found wrong first.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// The id of the first entry that does not check out (or that follows a removed one).
    public let entryID: Int64
    public let problem: String
    public var description: String { "entry \(entryID): \(problem)" }
}

extension Ledger {
    /// Appends an entry, chained to the last one, in one transaction (so concurrent writers,
    /// such as hooks of simultaneous pushes, are serialised by SQLite).
    /// - Parameter detail: encoded as JSON with sorted keys.
    /// - Throws: database or encoding errors.
    public func audit(_ action: String, actor: String, team: String? = nil, detail: [String: AuditValue] = [:], at time: Date = Date()) throws {
        try database.write { db in
            try Self.appendAudit(db, action, actor: actor, team: team, detail: detail, at: time)
        }
    }

    /// Appends an entry inside a write transaction the caller holds, so that the entry and the
    /// change it records are written together.
    static func appendAudit(
        _ db: Database, _ action: String, actor: String, team: String? = nil,
        detail: [String: AuditValue] = [:], at time: Date = Date()
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(detail), as: UTF8.self)
        // Millisecond precision, as hashed.
        let stamp = Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1000).rounded() / 1000)
        let last = try AuditEntry.order(AuditEntry.Columns.id.desc).fetchOne(db)
        let id = (last?.id ?? 0) + 1
        let previous = last?.hash ?? AuditEntry.genesis
        var entry = AuditEntry(
            id: id, at: stamp, actor: actor, action: action, team: team, detail: text, previousHash: previous,
            hash: AuditEntry.contentHash(id: id, at: stamp, actor: actor, action: action, team: team, detail: text, previousHash: previous))
        try entry.insert(db)
    }

    /// Entries in order, optionally since an instant and for one team.
    public func auditEntries(since: Date? = nil, team: String? = nil) throws -> [AuditEntry] {
        try database.read { db in
            var request = AuditEntry.order(AuditEntry.Columns.id)
            if let since { request = request.filter(AuditEntry.Columns.at >= since) }
            if let team { request = request.filter(AuditEntry.Columns.team == team) }
            return try request.fetchAll(db)
        }
    }

    /// One page of entries, newest first: at most `limit` entries older than entry `before`
    /// (nil: the newest), optionally only those about `team`. Read on GRDB's threads.
    /// - Throws: a GRDB error when the database cannot be read.
    public func auditPage(before: Int64?, team: String?, limit: Int) async throws -> [AuditEntry] {
        try await database.read { db in
            var request = AuditEntry.order(AuditEntry.Columns.id.desc).limit(limit)
            if let before { request = request.filter(AuditEntry.Columns.id < before) }
            if let team { request = request.filter(AuditEntry.Columns.team == team) }
            return try request.fetchAll(db)
        }
    }

    /// Recomputes the chain and returns the first entry that was altered, removed or
    /// reordered, or nil when the log is intact.
    public func verifyAuditLog() throws -> AuditProblem? {
        let entries = try auditEntries()
        var previousHash = AuditEntry.genesis
        var expectedID: Int64 = 1
        for entry in entries {
            let id = entry.id ?? -1
            if id != expectedID {
                return AuditProblem(
                    entryID: id,
                    problem: id > expectedID
                        ? "entries \(expectedID) to \(id - 1) were removed" : "out of order (expected entry \(expectedID))")
            }
            if entry.previousHash != previousHash {
                return AuditProblem(entryID: id, problem: "does not follow the previous entry (removed, reordered or altered before it)")
            }
            let recomputed = AuditEntry.contentHash(
                id: id, at: entry.at, actor: entry.actor, action: entry.action,
                team: entry.team, detail: entry.detail, previousHash: entry.previousHash)
            if recomputed != entry.hash {
                return AuditProblem(entryID: id, problem: "its content was altered (hash mismatch)")
            }
            previousHash = entry.hash
            expectedID += 1
        }
        return nil
    }
}

/// A value in an audit entry's details.
public enum AuditValue: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    case number(Double)
    case list([AuditValue])
    case object([String: AuditValue])

    public init(stringLiteral value: String) { self = .text(value) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .text(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode([AuditValue].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: AuditValue].self))
        }
    }
}

extension AuditEntry {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let at = Column("at")
        static let id = Column("id")
        static let team = Column("team")
    }
}
