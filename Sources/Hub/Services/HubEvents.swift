import Challenge
import Foundation
import Ledger

/// The events the hub announces to its webhooks (``WebhookDispatcher``).
enum HubEvents {
    /// A scored evaluation: `submission_scored`, and `new_best_score` when it ranks first on
    /// its question.
    static func scored(_ evaluation: EvaluationRecord, hub: Hub, webhooks: WebhookDispatcher) async {
        guard let id = evaluation.id, let submission = try? await hub.ledger.fetchSubmission(id: evaluation.submissionID),
            let question = hub.challenge.question(named: evaluation.question),
            let detail = try? await hub.ledger.submissionDetail(submission.key),
            let scored = detail.evaluations.first(where: { $0.record.id == id })
        else { return }
        let ranking = Leaderboard.rankingSpecification(of: question, in: hub.challenge)
        let score = scored.baggedScore(ranking.scoreType, on: ranking.split)
        let shown = score.map { String(format: "%.4f", $0) } ?? "no score"
        let fields = [
            "challenge": hub.challenge.title, "team": submission.team, "submission": submission.name, "question": question.name,
            "score_type": ranking.scoreType, "split": ranking.split.rawValue, "score": shown,
        ]
        await webhooks.notify(
            .init(
                kind: .submissionScored,
                text: "\(submission.key) scored on \(question.name): \(ranking.scoreType) \(shown) (\(ranking.split.rawValue))",
                fields: fields))
        if (try? await hub.ledger.isBestOnItsQuestion(evaluationID: id)) == true {
            await webhooks.notify(
                .init(
                    kind: .newBestScore,
                    text: "New best on \(question.name): \(submission.key), \(ranking.scoreType) \(shown)",
                    fields: fields))
        }
    }

    /// Announces the phase in force when it is not the one announced last (kept in the
    /// ledger, so that a restart or another process does not announce it again). The first
    /// look only records it.
    static func announcePhase(_ status: PhaseClock.Status, hub: Hub, webhooks: WebhookDispatcher) async {
        let current = status.phase?.name ?? "none"
        let stored: String?
        do {
            stored = try await hub.ledger.hubState("announced_phase")
        } catch {
            return
        }
        guard stored != current else { return }
        do {
            try await hub.ledger.setHubState("announced_phase", to: current)
        } catch {
            return
        }
        // The first look only records the phase.
        guard let announced = stored else { return }
        let text =
            status.phase.map { "\(hub.challenge.title): the \($0.name) phase (\($0.kind.rawValue)) has begun" }
            ?? "\(hub.challenge.title): the challenge has ended"
        await webhooks.notify(
            .init(
                kind: .phaseChanged, text: text,
                fields: [
                    "challenge": hub.challenge.title, "phase": current, "previous_phase": announced, "kind": status.phase?.kind.rawValue ?? "ended",
                ]))
    }
}
