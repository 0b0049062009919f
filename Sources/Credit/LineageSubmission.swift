import Git

/// A submission as lineage credit sees it: who made it and which commit of the ledger it is.
public struct LineageSubmission: Sendable, Hashable {
    /// The submission's key, `team/name` (the starting kit's is
    /// ``LineageCredit/startingKitKey``); credits and trailers name submissions by it.
    public var key: String
    /// The team that made it.
    public var team: String
    /// Its commit in the ledger repository.
    public var commit: ObjectID

    /// Creates a submission of `team` named `name`: its key is `team/name`.
    public init(team: String, name: String, commit: ObjectID) {
        self.init(key: "\(team)/\(name)", team: team, commit: commit)
    }

    /// Creates a submission with an explicit key.
    public init(key: String, team: String, commit: ObjectID) {
        self.key = key
        self.team = team
        self.commit = commit
    }
}
