import Foundation
import Git
import Host
@testable import Hub
import Ledger
import TestSupport
import Testing

/// The push pipeline in process: pre-receive's rules (`PushPolicy`) on a team repository and
/// post-receive's recording (`Intake`), on a real hub home (challenge.yaml, the ledger's
/// SQLite file, bare git repositories), without a server, hooks or a sandbox. The end-to-end
/// tests push the same way through a real `git` over HTTP.
@Suite("The push pipeline, in process")
struct PushPipelineTests {
    /// A hub of the breast-cancer template's challenge whose first phase started a minute ago,
    /// team alice with an empty bare repository, and the ledger's repository.
    final class Fixture: @unchecked Sendable {
        let home: URL
        let hub: Hub
        let teamRepository: Repository
        let now = Date()

        init(configure: (String) -> String = { $0 }) throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-push-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let text = try TemplateChallenge.breastCancer(now: now)
            try configure(text).write(to: HubHome(home).configurationFile, atomically: true, encoding: .utf8)
            hub = try Hub(home: home)
            try hub.ledger.addTeam("alice")
            _ = try hub.ledger.addMember("alice", to: "alice")
            _ = try Repository.createBare(at: hub.paths.ledgerRepository.path)
            try FileManager.default.createDirectory(at: hub.paths.teamRepositories, withIntermediateDirectories: true)
            teamRepository = try Repository.createBare(at: hub.paths.teamRepository("alice").path)
        }

        deinit {
            try? FileManager.default.removeItem(at: home)
        }

        /// A commit of `files` (path to contents) in alice's repository.
        func commit(_ files: [String: String], message: String = "a submission") throws -> ObjectID {
            let directory = home.appendingPathComponent("work-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: directory) }
            for (path, contents) in files {
                let file = directory.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try contents.write(to: file, atomically: true, encoding: .utf8)
            }
            let tree = try teamRepository.writeTree(fromDirectory: directory)
            return try teamRepository.createCommit(tree: tree, parents: [], message: message, signature: HubSetup.organisers)
        }

        /// What pre-receive says of a new tag `submission-<name>` at `commit`.
        func refusals(_ name: String, at commit: ObjectID, replacing old: ObjectID = .zero, at instant: Date? = nil) throws -> [String] {
            let update = PushUpdate(oldID: old, newID: commit, ref: "\(PushUpdate.submissionTagPrefix)\(name)")
            return try PushPolicy(hub: hub, team: "alice").refusals(of: [update], repository: teamRepository, pusher: "alice", now: instant ?? now)
        }

        /// The tag created as git does after pre-receive accepted it, then post-receive's intake.
        func acceptPushed(_ name: String, at commit: ObjectID) throws -> Intake.Accepted {
            try teamRepository.setReference("\(PushUpdate.submissionTagPrefix)\(name)", to: commit, force: false, logMessage: "push")
            return try Intake(hub: hub).accept(SubmissionKey(team: "alice", name: name), pusher: "alice", at: now)
        }
    }

    static let classifier = ["classifier.py": "class Classifier:\n    pass\n"]

    @Test func anAcceptedTagIsReservedThenRecordedWithItsCommitInTheLedger() throws {
        let fixture = try Fixture()
        let commit = try fixture.commit(Self.classifier)
        #expect(try fixture.refusals("first", at: commit) == [])
        let key = SubmissionKey(team: "alice", name: "first")
        #expect(try fixture.hub.ledger.reservation(key)?.pusher == "alice", "pre-receive reserves the name")

        let accepted = try fixture.acceptPushed("first", at: commit)
        #expect(accepted.submission.commitID == commit.hex)
        #expect(accepted.submission.key == key)
        #expect(try fixture.hub.ledger.reservation(key) == nil, "the recording consumes the reservation")
        let ledger = try Repository.open(at: fixture.hub.paths.ledgerRepository.path)
        #expect(try ledger.referenceTarget("refs/submissions/alice/first") == commit, "the ledger keeps the commit")
        #expect(try fixture.hub.ledger.evaluations(submissionID: try #require(accepted.submission.id)).map(\.question) == ["diagnosis"])
    }

    @Test func eachRuleRefusesWithALineNamingTheTag() throws {
        let fixture = try Fixture()
        let commit = try fixture.commit(Self.classifier)
        #expect(try fixture.refusals("first", at: commit) == [])
        _ = try fixture.acceptPushed("first", at: commit)

        let again = try fixture.refusals("first", at: commit)
        #expect(again == ["submission-first: your team already used the name 'first'; choose another"])
        let byCase = try fixture.refusals("FIRST", at: commit)
        #expect(byCase.count == 1 && byCase[0].hasPrefix("submission-FIRST: 'FIRST' differs only by case from your submission 'first'"))
        let invalid = try fixture.refusals(".hidden", at: commit)
        #expect(invalid.count == 1 && invalid[0].hasPrefix("submission-.hidden: invalid submission name '.hidden'"))
        let copy = try fixture.refusals("copy", at: try fixture.commit(["classifier.py": "# a comment\nclass Classifier:\n    pass\n"]))
        #expect(copy.count == 1 && copy[0].hasPrefix("submission-copy: its code is that of your submission 'first'"))
        let moved = try fixture.refusals("second", at: commit, replacing: commit)
        #expect(moved == ["submission-second: submission tags are immutable; tag your new commit with a new name"])

        let empty = try fixture.commit(["README.md": "no classifier here\n"])
        let lacking = try fixture.refusals("empty", at: empty)
        #expect(lacking.count == 1 && lacking[0].contains("lacks the files a question requires: classifier.py (question diagnosis)"))
        #expect(try fixture.hub.ledger.reservation(SubmissionKey(team: "alice", name: "empty")) == nil, "a refused push reserves nothing")
    }

    @Test func thePhaseAndTheQuotasRefuseWithWhen() throws {
        let fixture = try Fixture { $0.replacingOccurrences(of: "maximum_total: 0", with: "maximum_total: 1") }
        let commit = try fixture.commit(Self.classifier)
        let early = try fixture.refusals("early", at: commit, at: fixture.now.addingTimeInterval(-3600))
        #expect(early.count == 1 && early[0].hasPrefix("submission-early: the challenge is not open yet: phase 'competitive' starts at"))
        let late = try fixture.refusals("late", at: commit, at: fixture.now.addingTimeInterval(10 * 86_400))
        #expect(late.count == 1 && late[0].hasPrefix("submission-late: the challenge ended at"))

        #expect(try fixture.refusals("one", at: commit) == [])
        _ = try fixture.acceptPushed("one", at: commit)
        let other = try fixture.commit(["classifier.py": "class Classifier:\n    seed = 2\n"])
        let over = try fixture.refusals("two", at: other)
        #expect(over.count == 1 && over[0].hasPrefix("submission-two: quota: at most 1 submissions in all"))
    }
}
