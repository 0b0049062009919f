import Evaluation
import Foundation
import Git
import Host
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
    /// The database and git work runs on ``Evaluation/BlockingWork``'s threads.
    public func recordFinished(_ evaluation: EvaluationRecord) async {
        do {
            if environment == nil || environment?.challengeConfiguration != hub.configurationRecord.sha256 {
                environment = try await EvaluationEnvironment.current(hub: hub)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = String(decoding: try encoder.encode(environment), as: UTF8.self)
            let hub = self.hub
            let logger = self.logger
            try await BlockingWork.run {
                try hub.ledger.recordProvenance(evaluationID: evaluation.id!, environment: text)
                guard let submission = try hub.ledger.submission(id: evaluation.submissionID) else { return }
                // Several processes may write notes at once: the notes reference is then
                // locked by another for a moment.
                for attempt in 1...5 {
                    do {
                        try Self.writeNote(hub: hub, commitID: submission.commitID)
                        return
                    } catch let error as GitError where attempt < 5 {
                        logger.debug("writing the note of \(submission.commitID), attempt \(attempt): \(error)")
                        usleep(useconds_t(50_000 * attempt))
                    }
                }
            }
        } catch {
            logger.error("recording the provenance of evaluation \(evaluation.id ?? 0): \(error)")
        }
    }

    /// Writes the note of `commitID`: every submission of that commit with its evaluations.
    static func writeNote(hub: Hub, commitID: String) throws {
        guard let commit = ObjectID(hex: commitID) else { return }
        let views = try SubmissionView.makeAll(hub: hub, commitID: commitID, includeLogs: false, visibleSplits: ScoreVisibility.all)
        let text = try LeaderboardFormatter.json(views)
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        try repository.setNote(text, on: commit, notesReference: notesReference, signature: HubSetup.organisers)
    }
}
