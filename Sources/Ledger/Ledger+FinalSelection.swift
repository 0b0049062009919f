import Foundation
import GRDB

/// A submission a team chose for the final (private) leaderboard.
public struct FinalSelectionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "final_selections"
    public var submissionID: Int64
    public var team: String
    public var selectedAt: Date
    public var selectedBy: String
}

/// Why a selection was refused.
public enum FinalSelectionError: Error, CustomStringConvertible, Equatable {
    case tooMany(team: String, limit: Int, selected: [String])

    public var description: String {
        switch self {
        case .tooMany(let team, let limit, let selected):
            "team \(team) has already selected \(limit) submission(s) for the final leaderboard (\(selected.joined(separator: ", "))): unselect one first"
        }
    }
}

/// Kaggle's final selection: each team marks up to N submissions whose private scores count.
extension Ledger {
    /// Marks a submission of `team` for the final leaderboard, audited; selecting it again
    /// changes nothing. Returns false when it was already selected.
    /// - Throws: ``FinalSelectionError/tooMany(team:limit:selected:)`` when the team already
    ///   has `limit` selections; database errors.
    @discardableResult
    public func selectForFinal(submissionID: Int64, team: String, limit: Int, by actor: String, now: Date = Date()) throws -> Bool {
        try database.write { db in
            if try FinalSelectionRecord.fetchOne(db, key: submissionID) != nil { return false }
            let selected = try String.fetchAll(
                db,
                sql: """
                    SELECT s.name FROM final_selections f JOIN submissions s ON s.id = f.submissionID WHERE f.team = ? ORDER BY f.selectedAt
                    """, arguments: [team])
            guard selected.count < limit else { throw FinalSelectionError.tooMany(team: team, limit: limit, selected: selected) }
            try FinalSelectionRecord(submissionID: submissionID, team: team, selectedAt: now, selectedBy: actor).insert(db)
            let name = try String.fetchOne(db, sql: "SELECT name FROM submissions WHERE id = ?", arguments: [submissionID]) ?? ""
            try Self.appendAudit(db, "final.select", actor: actor, team: team, detail: ["submission": .text(name)], at: now)
            try Self.bumpCounter(db, .results)
            return true
        }
    }

    /// Removes a submission from its team's final selection, audited. Returns false when it was
    /// not selected.
    /// - Throws: database errors.
    @discardableResult
    public func unselectForFinal(submissionID: Int64, by actor: String, now: Date = Date()) throws -> Bool {
        try database.write { db in
            guard let record = try FinalSelectionRecord.fetchOne(db, key: submissionID) else { return false }
            try record.delete(db)
            let name = try String.fetchOne(db, sql: "SELECT name FROM submissions WHERE id = ?", arguments: [submissionID]) ?? ""
            try Self.appendAudit(db, "final.unselect", actor: actor, team: record.team, detail: ["submission": .text(name)], at: now)
            try Self.bumpCounter(db, .results)
            return true
        }
    }

    /// Every selection, by submission id.
    public func finalSelections() throws -> [Int64: FinalSelectionRecord] {
        try database.read { db in
            Dictionary(uniqueKeysWithValues: try FinalSelectionRecord.fetchAll(db).map { ($0.submissionID, $0) })
        }
    }
}

/// Small facts the hub's services keep across restarts (`hub_state`).
extension Ledger {
    /// The value kept under `key`, or nil.
    public func hubState(_ key: String) async throws -> String? {
        try await database.read { db in try String.fetchOne(db, sql: "SELECT value FROM hub_state WHERE key = ?", arguments: [key]) }
    }

    /// This hub's identifier: 12 hexadecimal digits drawn once, when first asked, and kept.
    /// Names what the hub puts where other hubs may put theirs (a cluster's shared directory,
    /// its batch jobs' names).
    /// - Throws: a GRDB error when the database cannot be written.
    public func hubIdentifier() throws -> String {
        try database.write { db in
            let drawn = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased()
            try db.execute(sql: "INSERT OR IGNORE INTO hub_state (key, value) VALUES ('hub_id', ?)", arguments: [drawn])
            return try String.fetchOne(db, sql: "SELECT value FROM hub_state WHERE key = 'hub_id'") ?? drawn
        }
    }

    /// Keeps `value` under `key`.
    public func setHubState(_ key: String, to value: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO hub_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    /// True when the scored evaluation `evaluationID` ranks first on its question: no other
    /// scored evaluation of the question has a better ranking key (an earlier one ties first).
    public func isBestOnItsQuestion(evaluationID: Int64) async throws -> Bool {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT question, rankingKey FROM evaluations WHERE id = ?", arguments: [evaluationID]),
                let key: Double = row["rankingKey"]
            else { return false }
            let better =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM evaluations WHERE question = ? AND rankingKey IS NOT NULL AND id != ?
                        AND (rankingKey < ? OR (rankingKey = ? AND id < ?))
                        """, arguments: [row["question"] as String, evaluationID, key, key, evaluationID]) ?? 0
            return better == 0
        }
    }
}
