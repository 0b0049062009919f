import Challenge
import Foundation
@testable import Ledger

/// A ledger in a temporary SQLite file, removed when the fixture goes.
final class LedgerFixture: @unchecked Sendable {
    let directory: URL
    let ledger: Ledger

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-ledger-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        ledger = try Ledger(path: directory.appendingPathComponent("forkboard.sqlite").path)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var path: String { directory.appendingPathComponent("forkboard.sqlite").path }

    /// A second connection pool on the same file, as another process would open it.
    func otherProcess() throws -> Ledger {
        try Ledger(path: path)
    }

    /// Records a submission of `team` (created when missing) with one evaluation on `question`.
    @discardableResult
    func submit(
        _ team: String, _ name: String, question: String = "q", phase: String? = nil, at time: Date = Date()
    ) throws -> (submission: Int64, evaluation: Int64) {
        if try !ledger.teamExists(team) { try ledger.addTeam(team) }
        let (submission, _) = try ledger.recordSubmission(
            team: team, name: name, commitID: String(repeating: "a", count: 40),
            pusher: team, questions: [question], phase: phase, at: time)
        return (submission.id!, try ledger.evaluations(submissionID: submission.id!)[0].id!)
    }

    /// A scored outcome whose bagged `score` on `valid` is `value`.
    static func scored(_ evaluationID: Int64, _ value: Double, scoreType: String = "accuracy") -> EvaluationOutcome {
        EvaluationOutcome(
            state: .scored, log: "scored",
            baggedScores: [
                BaggedScoreRecord(evaluationID: evaluationID, split: .valid, scoreType: scoreType, value: value),
                BaggedScoreRecord(evaluationID: evaluationID, split: .test, scoreType: scoreType, value: value / 2),
            ])
    }

    /// Claims the next evaluation for `owner` and records `outcome(id)` for it.
    func runNext(owner: String = "worker", outcome: (Int64) -> EvaluationOutcome) async throws -> Int64? {
        guard let claimed = try await ledger.claimNextEvaluation(owner: owner, leaseSeconds: 60) else { return nil }
        guard try await ledger.finishEvaluation(claimed.id!, owner: owner, outcome: outcome(claimed.id!)) else {
            throw FixtureError("the lease of evaluation \(claimed.id!) was lost")
        }
        return claimed.id!
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
