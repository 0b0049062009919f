import Challenge
import Foundation
import Git

/// The rules a push to a team repository must satisfy, checked in pre-receive on the
/// still-quarantined objects. Each refusal is one line naming the ref and the rule.
public struct PushPolicy {
    public let hub: Hub
    public let team: String

    public init(hub: Hub, team: String) {
        self.hub = hub
        self.team = team
    }

    /// A submission name: `[A-Za-z0-9._-]{1,64}`.
    public static func isValidSubmissionName(_ name: String) -> Bool {
        name.range(of: "^[A-Za-z0-9._-]{1,64}$", options: .regularExpression) != nil
    }

    /// The refusals of this push, one line each; empty when it is accepted.
    /// - Parameter repository: the team repository opened from the hook's environment, so
    ///   that it sees the quarantined objects.
    /// - Throws: database errors.
    public func refusals(of updates: [PushUpdate], repository: Repository) throws -> [String] {
        let usedNames = try hub.ledger.submissionNames(team: team)
        var refusals: [String] = []
        for update in updates {
            guard let name = update.submissionName else { continue }
            let tag = "submission-\(name)"
            if !update.oldID.isZero {
                refusals.append(update.isDeletion
                    ? "\(tag): submission tags cannot be deleted; the submission stays recorded"
                    : "\(tag): submission tags are immutable; tag your new commit with a new name")
                continue
            }
            guard Self.isValidSubmissionName(name) else {
                refusals.append("\(tag): invalid submission name '\(name)': use 1 to 64 of A-Z a-z 0-9 . _ -")
                continue
            }
            if usedNames.contains(name) {
                refusals.append("\(tag): your team already used the name '\(name)'; choose another")
                continue
            }
            let commitID: ObjectID
            let commit: Commit
            do {
                commitID = try repository.peelToCommit(update.newID)
                commit = try repository.commit(commitID)
            } catch {
                refusals.append("\(tag): does not point at a commit")
                continue
            }
            let applicable = try hub.questions { path in try repository.entry(atPath: path, inTree: commit.treeID)?.kind == .blob }
            if applicable.isEmpty {
                let needs = hub.challenge.questions.map { question in
                    "\(question.requiredFiles.joined(separator: ", ")) (question \(question.name))"
                }.joined(separator: "; or ")
                refusals.append("\(tag): commit \(commitID.hex.prefix(12)) lacks the files a question requires: \(needs)")
            }
        }
        return refusals
    }
}
