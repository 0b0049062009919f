import Challenge
import Foundation
import Ledger

/// The JSON form of an audit entry (`forkboard audit log --format json`, `/api/v1/organisers/audit`):
/// its detail decoded, its time in ISO 8601 UTC.
public struct AuditEntryView: Encodable, Sendable {
    public let id: Int64
    public let at: String
    public let actor: String
    public let action: String
    public let team: String?
    public let detail: AuditValue
    public let previousHash: String
    public let hash: String

    public init(_ entry: AuditEntry) {
        id = entry.id ?? 0
        at = Instant.format(entry.at)
        actor = entry.actor
        action = entry.action
        team = entry.team
        detail = (try? JSONDecoder().decode(AuditValue.self, from: Data(entry.detail.utf8))) ?? .text(entry.detail)
        previousHash = entry.previousHash
        hash = entry.hash
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, team, detail, hash
        case previousHash = "previous_hash"
    }
}
