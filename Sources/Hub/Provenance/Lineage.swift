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

    /// The ids of the recorded submissions in the history of `commit`, except `team/name`:
    /// one walk of the commit's history (stopping at the starting kit's) and indexed lookups
    /// of its commits, however many submissions the hub holds.
    /// - Throws: Git or database errors.
    public func ancestorSubmissions(of commit: ObjectID, in ledger: Repository, excluding team: String, _ name: String) throws -> [Int64] {
        let kit = try ledger.referenceTarget("refs/heads/main")
        let history = try ledger.history(from: commit, hiding: kit.map { [$0] } ?? [])
        return try hub.ledger.submissions(commitIDs: history.map(\.hex))
            .filter { !($0.team == team && $0.name == name) }
            .map { $0.id! }
    }
}
