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
    /// Whether it was pushed while every team's code was visible (an open phase): then its
    /// `Credit:` trailers may name any earlier submission, else only its own team's.
    public var isOpenAtPush: Bool

    /// Creates a submission of `team` named `name`: its key is `team/name`.
    public init(team: String, name: String, commit: ObjectID, isOpenAtPush: Bool = false) {
        self.init(key: "\(team)/\(name)", team: team, commit: commit, isOpenAtPush: isOpenAtPush)
    }

    /// Creates a submission with an explicit key.
    public init(key: String, team: String, commit: ObjectID, isOpenAtPush: Bool = false) {
        self.key = key
        self.team = team
        self.commit = commit
        self.isOpenAtPush = isOpenAtPush
    }
}
