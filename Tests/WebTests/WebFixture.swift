import Challenge
import Foundation
import Git
import Host
import Hub
import Hummingbird
import Ledger
import Logging
import TestSupport
import Testing
import Web

/// A hub home with only what the web routes read (challenge.yaml and the ledger), filled
/// through the ledger's own API: no git, no sandbox, no Python.
final class WebFixture: @unchecked Sendable {
    let home: URL
    let hub: Hub
    /// Tokens by login: members alice and bob of the teams of the same names, organiser olga.
    private(set) var tokens: [String: String] = [:]

    /// `submissions` scored submissions of teams alice and bob in turn (bagged ROC AUC rising
    /// with the index), then one failed and one queued submission of alice.
    /// `configure` may rewrite challenge.yaml (add a question, for instance).
    init(submissions: Int = 7, configure: (String) -> String = { $0 }) async throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-web-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let text = try TemplateChallenge.breastCancer()
        try configure(text).write(to: home.appendingPathComponent("challenge.yaml"), atomically: true, encoding: .utf8)
        hub = try Hub(home: home)
        for team in ["alice", "bob"] {
            try hub.ledger.addTeam(team)
            tokens[team] = try hub.ledger.addMember(team, to: team)
        }
        tokens["olga"] = try hub.ledger.addOrganiser("olga")
        try await hub.useCurrentRankingSpecifications()
        for index in 0..<submissions {
            try record(team: index % 2 == 0 ? "alice" : "bob", name: "s\(index)")
            try await finishNext { id in
                let value = 0.5 + Double(index) / 100
                return EvaluationOutcome(
                    state: .scored, log: "fold 0: train 0.10 s",
                    baggedScores: [
                        BaggedScoreRecord(evaluationID: id, split: .valid, scoreType: "roc_auc", value: value),
                        BaggedScoreRecord(evaluationID: id, split: .publicTest, scoreType: "roc_auc", value: value - 0.01),
                        BaggedScoreRecord(evaluationID: id, split: .privateTest, scoreType: "roc_auc", value: value - 0.02),
                    ])
            }
        }
        try record(team: "alice", name: "broken")
        try await finishNext { _ in EvaluationOutcome(state: .trainingError, log: "Traceback: alice's secret mistake") }
        try record(team: "alice", name: "waiting")
    }

    deinit {
        try? FileManager.default.removeItem(at: home)
    }

    private func record(team: String, name: String, questions: [String] = ["diagnosis"]) throws {
        _ = try hub.ledger.recordSubmission(
            team: team, name: name, commitID: String(repeating: "c", count: 40), pusher: team,
            questions: questions, phase: "competitive")
    }

    /// Records `team/name` on `question` alone, scored with `scores` (bagged, by split).
    func recordScored(team: String, name: String, question: String, scores: [(ScoreSplit, String, Double)]) async throws {
        try record(team: team, name: name, questions: [question])
        // Claim the queue up to this submission's evaluation; the others go back to it.
        let submissionID = try #require(try hub.ledger.submission(SubmissionKey(team: team, name: name))?.id)
        var others: [Int64] = []
        while let claimed = try await hub.ledger.claimNextEvaluation(owner: "web-fixture", leaseSeconds: 30) {
            guard claimed.submissionID == submissionID else {
                others.append(claimed.id!)
                continue
            }
            _ = try await hub.ledger.finishEvaluation(
                claimed.id!, owner: "web-fixture",
                outcome: EvaluationOutcome(
                    state: .scored, log: nil,
                    baggedScores: scores.map { BaggedScoreRecord(evaluationID: claimed.id!, split: $0.0, scoreType: $0.1, value: $0.2) }))
            break
        }
        for id in others { _ = try await hub.ledger.releaseEvaluation(id, owner: "web-fixture") }
    }

    private func finishNext(_ outcome: (Int64) -> EvaluationOutcome) async throws {
        let claimed = try await hub.ledger.claimNextEvaluation(owner: "web-fixture", leaseSeconds: 30)!
        _ = try await hub.ledger.finishEvaluation(claimed.id!, owner: "web-fixture", outcome: outcome(claimed.id!))
    }

    /// Makes the ledger's git repository, with one empty commit on `main` (what adding a team
    /// through the hub copies into the team's new repository).
    func makeLedgerRepository() throws {
        let repository = try Repository.createBare(at: hub.paths.ledgerRepository.path)
        let empty = home.appendingPathComponent("empty-tree")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let tree = try repository.writeTree(fromDirectory: empty)
        _ = try repository.createCommit(
            tree: tree, parents: [], message: "starting kit", signature: HubSetup.organisers, reference: "refs/heads/main")
    }

    /// The application with Forkboard's router, for HummingbirdTesting.
    func application() throws -> some ApplicationProtocol {
        let router = try WebServer(hub: hub, settings: ServerSettings(executablePath: "/bin/false"), logger: Logger(label: "test")).makeRouter()
        return Application(router: router)
    }

    /// `Authorization: Basic` for `login` with its token (or `token` when given).
    func authorization(_ login: String, token: String? = nil) -> HTTPFields {
        let credentials = Data("\(login):\(token ?? tokens[login] ?? "")".utf8).base64EncodedString()
        return [.authorization: "Basic \(credentials)"]
    }
}
