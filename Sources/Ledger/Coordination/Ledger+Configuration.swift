import Crypto
import Foundation
import GRDB

/// A version of the challenge's configuration (challenge.yaml) that the hub applied: the one
/// with the highest id is what every process of the hub uses.
public struct ChallengeConfigurationRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "challenge_configurations"
    public var id: Int64?
    /// SHA-256 of the text, hexadecimal.
    public var sha256: String
    /// The file's text as applied.
    public var text: String
    public var appliedAt: Date
    /// Who applied it: an organiser's user name, or `hub` for the first one.
    public var appliedBy: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The hexadecimal SHA-256 of `text`'s UTF-8 bytes.
    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Ledger {
    /// The configuration in force (the latest applied), or nil before the first.
    /// - Throws: a GRDB error when the database cannot be read.
    public func activeConfiguration() throws -> ChallengeConfigurationRecord? {
        try database.read { db in try ChallengeConfigurationRecord.order(ChallengeConfigurationRecord.Columns.id.desc).fetchOne(db) }
    }

    /// Makes `text` the configuration in force, recorded in the audit log with its hash, when
    /// `check` (given the number of evaluations running now, in the same transaction) finds
    /// nothing against it. Returns the new record; nil when `text` is already in force.
    /// - Throws: what `check` throws; a GRDB error when the database cannot be written.
    public func applyConfiguration(
        _ text: String, by actor: String, at time: Date = Date(),
        check: (_ runningEvaluations: [EvaluationRecord]) throws -> Void = { _ in }
    ) throws -> ChallengeConfigurationRecord? {
        try database.write { db in
            let hash = ChallengeConfigurationRecord.hash(text)
            let active = try ChallengeConfigurationRecord.order(ChallengeConfigurationRecord.Columns.id.desc).fetchOne(db)
            if active?.sha256 == hash { return nil }
            try check(try EvaluationRecord.filter(["training", "testing"].contains(EvaluationRecord.Columns.state)).fetchAll(db))
            var record = ChallengeConfigurationRecord(id: nil, sha256: hash, text: text, appliedAt: time, appliedBy: actor)
            try record.insert(db)
            try Self.appendAudit(
                db, "challenge.applied", actor: actor,
                detail: [
                    "sha256": .text(hash), "previous_sha256": .text(active?.sha256 ?? ""),
                ], at: time)
            return record
        }
    }
}

extension ChallengeConfigurationRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let id = Column("id")
    }
}
