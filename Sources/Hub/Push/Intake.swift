import Challenge
import Foundation
import Git
import Host
import Ledger

/// Records accepted submissions: copies each submitted commit and its ancestry into the
/// ledger repository (`refs/submissions/<team>/<name>`, the tag peeled to its commit), records it in the database and
/// queues one evaluation per applicable question. Idempotent: running it twice for the same
/// tag changes nothing the second time.
public struct Intake {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// The result of taking in one submission tag.
    public struct Accepted: Sendable {
        public let submission: SubmissionRecord
        /// False when it had been recorded before.
        public let created: Bool
        /// Queue positions of its evaluations (1 = next), for those still queued.
        public let queuePositions: [Int]
        /// The questions it will be evaluated on.
        public let questions: [String]
    }

    /// Takes in the tag `submission-<name>` of `team`'s repository.
    /// - Parameters:
    ///   - pusher: the authenticated login, or `unknown`.
    /// - Throws: ``GitError`` when the commit cannot be copied; database errors.
    public func accept(_ key: SubmissionKey, pusher: String, description: String? = nil, at time: Date = Date()) throws -> Accepted {
        let (team, name) = (key.team, key.name)
        let ledgerRepository = try Repository.open(at: hub.paths.ledgerRepository.path)
        let teamRepository = try Repository.open(at: hub.paths.teamRepository(team).path)
        guard let tag = try teamRepository.referenceTarget("\(PushUpdate.submissionTagPrefix)\(name)") else {
            throw HubError.unknownSubmission("\(key)")
        }
        let commitID = try teamRepository.peelToCommit(tag)
        try ledgerRepository.copyObjects(reachableFrom: commitID, in: teamRepository)
        try ledgerRepository.setReference("refs/submissions/\(key)", to: commitID, force: true, logMessage: "submission \(key)")
        let tree = try ledgerRepository.commit(commitID).treeID
        let questions = try hub.questions { path in try ledgerRepository.entry(atPath: path, inTree: tree)?.kind == .blob }.map(\.name)
        let status = try PhaseClock(hub: hub).status(at: time)
        let ancestors = try Lineage(hub: hub).ancestorSubmissions(of: commitID, in: ledgerRepository, excluding: team, name)
        let (submission, created) = try hub.ledger.recordSubmission(
            team: team, name: name, commitID: commitID.hex, pusher: pusher, questions: questions, phase: status.phase?.name,
            description: description, ancestors: ancestors, treeID: tree.hex,
            // Pre-receive fingerprinted this tree when it reserved the name: read every blob once.
            codeFingerprint: try hub.ledger.reservation(key)?.codeFingerprint
                ?? CodeFingerprint.of(tree: tree, in: ledgerRepository),
            at: time)
        if status.isCommonsOpen { try OpenCommons(hub: hub).publish(key, commitID: commitID) }
        let positions = try hub.ledger.evaluations(submissionID: submission.id!).compactMap { evaluation in
            try hub.ledger.queuePosition(evaluationID: evaluation.id!)
        }
        return Accepted(submission: submission, created: created, queuePositions: positions, questions: questions)
    }

    /// Records every submission tag of every team repository that the database lacks (a
    /// post-receive hook that did not run, or a hub killed mid-push), then drops the
    /// reservations older than `reservationSeconds` whose tag never reached the repository
    /// (a push that failed after pre-receive). Returns what it recorded.
    /// - Throws: Git or database errors.
    @discardableResult
    public func reconcile(reservationSeconds: TimeInterval = 60, now: Date = Date()) throws -> [Accepted] {
        defer {
            for reservation in (try? hub.ledger.reservations(before: now.addingTimeInterval(-reservationSeconds))) ?? [] {
                let path = hub.paths.teamRepository(reservation.team).path
                let tag = (try? Repository.open(at: path).referenceTarget("\(PushUpdate.submissionTagPrefix)\(reservation.name)")) ?? nil
                if tag == nil { try? hub.ledger.dropReservation(reservation.key) }
            }
        }
        let ledgerRepository = try Repository.open(at: hub.paths.ledgerRepository.path)
        // Submissions recorded before the hub kept their tree and code fingerprint (a commit
        // that cannot be read is left for the next pass).
        try hub.ledger.fillMissingTrees { commit in
            guard let commit = ObjectID(hex: commit), let tree = try? ledgerRepository.commit(commit).treeID,
                let fingerprint = try? CodeFingerprint.of(tree: tree, in: ledgerRepository)
            else { return nil }
            return (tree.hex, fingerprint)
        }
        var recorded: [Accepted] = []
        for team in try hub.ledger.teams() {
            let path = hub.paths.teamRepository(team.name).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let repository = try Repository.open(at: path)
            let known = try hub.ledger.submissionNames(team: team.name)
            for (ref, _) in try repository.references(matching: "refs/tags/submission-*") {
                let name = String(ref.dropFirst(PushUpdate.submissionTagPrefix.count))
                guard !known.contains(name), PushPolicy.isValidSubmissionName(name) else { continue }
                // One tag that cannot be recorded must not keep the others from being recorded.
                if let accepted = try? accept(SubmissionKey(team: team.name, name: name), pusher: "unknown") { recorded.append(accepted) }
            }
        }
        return recorded
    }
}
