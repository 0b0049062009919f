import Challenge
import Foundation
import Git
import Host
import Ledger

/// `forkboard audit submission TEAM/NAME`: everything that proves who submitted what, what it
/// derives from, and what its scores were computed with.
public struct ProvenanceReport: Encodable, Sendable {
    public struct EvaluationProvenance: Encodable, Sendable {
        public let question: String
        public let state: String
        public let attempts: Int
        /// The worker process that claimed its latest attempt, and the batch scheduler's job
        /// that ran it (`slurm:<id>`), when one did.
        public let worker: String?
        public let batchJob: String?
        public let scores: [String: [String: Double]]
        /// What it ran with (``EvaluationEnvironment`` as recorded), or nil before it finished.
        public let environment: EvaluationEnvironment?
        /// Earlier results, kept when it was re-scored.
        public let history: [SubmissionView.EarlierResult]

        enum CodingKeys: String, CodingKey {
            case question, state, attempts, worker, scores, environment, history
            case batchJob = "batch_job"
        }
    }

    public let team: String
    public let submission: String
    public let commit: String
    public let tree: String
    public let pusher: String
    public let submittedAt: String
    public let phase: String?
    public let parents: [String]
    public let derivesFrom: [String]
    /// Its credit shares by owning submission (lines from git blame, or `Credit:` trailers).
    public let credits: [String: Double]
    /// Measured shares and declared credit (see ``SubmissionView``).
    public let measuredCredits: [String: Double]
    public let declaredCredits: [String: Double]
    /// Code it shares with other teams' earlier submissions without lineage.
    public let reuse: [String]
    public let evaluations: [EvaluationProvenance]
    /// The git note the ledger repository holds for the commit.
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case team, submission, commit, tree, pusher, phase, parents, credits, reuse, evaluations, note
        case measuredCredits = "measured_credits"
        case declaredCredits = "declared_credits"
        case submittedAt = "submitted_at"
        case derivesFrom = "derives_from"
    }

    /// The report of `team/name`.
    /// - Throws: ``HubError/unknownSubmission(_:)``, Git or database errors.
    public static func make(hub: Hub, key: SubmissionKey, reuse: [String] = []) async throws -> ProvenanceReport {
        guard let view = try await SubmissionView.make(hub: hub, key: key, includeLogs: false, visibleSplits: ScoreVisibility.all),
            let detail = try await hub.ledger.submissionDetail(key)
        else { throw HubError.unknownSubmission("\(key)") }
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        let commit = try ObjectID(hex: view.commit).map { try repository.commit($0) }
        let decoder = JSONDecoder()
        let evaluations = try detail.evaluations.map { evaluation -> EvaluationProvenance in
            let id = evaluation.record.id!
            let environment = try hub.ledger.provenance(evaluationID: id).flatMap {
                try? decoder.decode(EvaluationEnvironment.self, from: Data($0.environment.utf8))
            }
            // (Read with the submission's other rows.)
            let history = evaluation.history.map { SubmissionView.EarlierResult($0, visibleSplits: ScoreVisibility.all) }
            var scores: [String: [String: Double]] = [:]
            for record in evaluation.baggedScores { scores[record.split.rawValue, default: [:]][record.scoreType] = record.value }
            return EvaluationProvenance(
                question: evaluation.record.question, state: evaluation.record.state.rawValue,
                attempts: evaluation.record.attempts, worker: evaluation.record.worker,
                batchJob: evaluation.record.executorJobID, scores: scores, environment: environment, history: history)
        }
        return ProvenanceReport(
            team: key.team, submission: key.name, commit: view.commit, tree: commit?.treeID.hex ?? "", pusher: view.pusher,
            submittedAt: view.submittedAt, phase: view.phase, parents: view.parents, derivesFrom: view.derivesFrom,
            credits: view.credits, measuredCredits: view.measuredCredits, declaredCredits: view.declaredCredits, reuse: reuse,
            evaluations: evaluations,
            note: try commit.flatMap { try repository.note(on: $0.id, notesReference: ProvenanceRecorder.notesReference) })
    }
}
