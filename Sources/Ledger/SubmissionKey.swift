import Foundation

/// A submission's identity on a hub: the team that pushed it and the name of its tag
/// (`submission-<name>`), written `team/name` in pages, logs, the API and the command line.
/// Team and submission names never hold a `/` (the ledger refuses them), so the text form
/// parses back to the same key.
public struct SubmissionKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The team's name.
    public let team: String
    /// The submission's name within the team.
    public let name: String

    public init(team: String, name: String) {
        self.team = team
        self.name = name
    }

    /// Parses `team/name`; nil when the text has no `/`, or an empty part.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(team: String(parts[0]), name: String(parts[1]))
    }

    /// `team/name`.
    public var description: String { "\(team)/\(name)" }

    public static func < (left: SubmissionKey, right: SubmissionKey) -> Bool {
        (left.team, left.name) < (right.team, right.name)
    }
}

extension SubmissionRecord {
    /// Its team and name.
    public var key: SubmissionKey { SubmissionKey(team: team, name: name) }
}
