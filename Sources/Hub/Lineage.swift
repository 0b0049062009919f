import Foundation
import Git
import Ledger

/// Which submissions a commit derives from: the earlier submissions, of any team, whose commit
/// is the commit itself or one of its ancestors (through every parent of merges). A
/// cherry-picked commit has new parents, so it derives from nothing it copied. The organisers'
/// starting kit and its history are everyone's: a submission of the unchanged starting kit is
/// no one's ancestor.
public struct Lineage {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// The ids of the recorded submissions in the history of `commit`, except `team/name`.
    /// - Throws: Git or database errors.
    public func ancestorSubmissions(of commit: ObjectID, in ledger: Repository, excluding team: String, _ name: String) throws -> [Int64] {
        let kit = try ledger.referenceTarget("refs/heads/main")
        return try hub.ledger.submissionDetails().compactMap { detail -> Int64? in
            let other = detail.submission
            guard !(other.team == team && other.name == name), let otherCommit = ObjectID(hex: other.commitID) else { return nil }
            if let kit, try otherCommit == kit || ledger.isDescendant(kit, of: otherCommit) { return nil }
            if otherCommit == commit { return other.id }
            return try ledger.isDescendant(commit, of: otherCommit) ? other.id : nil
        }
    }
}
