import Foundation
import Git
import Ledger
import Logging

/// Records, after each finished evaluation, what it ran with (``EvaluationEnvironment``) in
/// the ledger, and attaches the commit's evaluation record to the commit in the ledger
/// repository as a git note (`refs/notes/forkboard`), so that the repository alone carries
/// the results. An actor: notes are written one at a time.
public actor ProvenanceRecorder {
    public static let notesReference = "refs/notes/forkboard"

    private let hub: Hub
    private let logger: Logger
    private var environment: EvaluationEnvironment?

    public init(hub: Hub, logger: Logger) {
        self.hub = hub
        self.logger = logger
    }

    /// Records one finished evaluation; failures are logged, never thrown (the score stands).
    public func recordFinished(_ evaluation: EvaluationRecord) async {
        do {
            if environment == nil { environment = try await EvaluationEnvironment.current(hub: hub) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try hub.ledger.recordProvenance(evaluationID: evaluation.id!, environment: String(decoding: try encoder.encode(environment), as: UTF8.self))
            guard let submission = try hub.ledger.submission(id: evaluation.submissionID) else { return }
            try Self.writeNote(hub: hub, commitID: submission.commitID)
        } catch {
            logger.error("recording the provenance of evaluation \(evaluation.id ?? 0): \(error)")
        }
    }

    /// Writes the note of `commitID`: every submission of that commit with its evaluations.
    static func writeNote(hub: Hub, commitID: String) throws {
        guard let commit = ObjectID(hex: commitID) else { return }
        let views = try SubmissionView.makeAll(hub: hub, includeLogs: false, visibleSplits: ScoreVisibility.all) { $0.commitID == commitID }
        let text = try LeaderboardFormatter.json(views)
        let repository = try Repository.open(at: hub.ledgerRepository.path)
        try repository.setNote(text, on: commit, notesReference: notesReference, signature: HubSetup.organisers)
    }
}
