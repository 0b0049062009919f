import Challenge
import Foundation
import Ledger
import Logging

/// A loop that claims queued evaluations from the ledger and runs them, holding a lease it
/// renews while it works, so that a worker that dies leaves its evaluation to be requeued.
public struct Worker: Sendable {
    public let ledger: Ledger
    public let evaluator: Evaluator
    /// Unique among live workers, for example `serve-<pid>-<start>-<index>`.
    public let owner: String
    /// Seconds a lease lasts without renewal.
    public let leaseSeconds: TimeInterval
    /// Seconds between looks at an empty queue.
    public let pollSeconds: Double
    public let logger: Logger
    /// Called after an evaluation is finished and recorded.
    public let onFinished: @Sendable (EvaluationRecord, EvaluationState) async -> Void

    public init(ledger: Ledger, evaluator: Evaluator, owner: String, leaseSeconds: TimeInterval = 60,
                pollSeconds: Double = 0.5, logger: Logger,
                onFinished: @escaping @Sendable (EvaluationRecord, EvaluationState) async -> Void = { _, _ in }) {
        self.ledger = ledger
        self.evaluator = evaluator
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.pollSeconds = pollSeconds
        self.logger = logger
        self.onFinished = onFinished
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                if try await runNext() == false {
                    try await Task.sleep(for: .seconds(pollSeconds))
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("worker \(owner): \(error)")
                try? await Task.sleep(for: .seconds(pollSeconds * 4))
            }
        }
    }

    /// Claims and runs one queued evaluation; returns false when the queue was empty.
    /// - Throws: a database error when the ledger cannot be read or written.
    @discardableResult
    public func runNext() async throws -> Bool {
        guard let evaluation = try ledger.claimNextEvaluation(owner: owner, leaseSeconds: leaseSeconds) else { return false }
        guard let submission = try ledger.submission(id: evaluation.submissionID),
              let question = evaluator.context.challenge.question(named: evaluation.question) else {
            _ = try ledger.finishEvaluation(evaluation.id!, owner: owner, outcome: EvaluationOutcome(
                state: .checkingError, log: "question '\(evaluation.question)' is not in challenge.yaml any more"))
            return true
        }
        logger.info("evaluating \(submission.team)/\(submission.name) on \(question.name) (attempt \(evaluation.attempts))")
        let ledger = self.ledger
        let owner = self.owner
        let leaseSeconds = self.leaseSeconds
        let evaluationID = evaluation.id!
        let state = StateBox()
        // Renew the lease while the evaluation runs; a lost lease cancels the run.
        let outcome = await withTaskGroup(of: EvaluationOutcome?.self) { group in
            group.addTask {
                await evaluator.evaluate(
                    evaluationID: evaluationID, team: submission.team, submission: submission.name,
                    commitID: submission.commitID, question: question
                ) { newState in
                    await state.set(newState)
                    return (try? ledger.renewLease(evaluationID: evaluationID, owner: owner, state: newState, leaseSeconds: leaseSeconds)) ?? false
                }
            }
            group.addTask {
                // Look every second whether the evaluation is still ours (a cancel shows at
                // once), and renew the lease every third of its length.
                var lastRenewal = Date()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { return nil }
                    let held: Bool
                    if Date().timeIntervalSince(lastRenewal) >= leaseSeconds / 3 {
                        let current = await state.get()
                        held = (try? ledger.renewLease(evaluationID: evaluationID, owner: owner, state: current, leaseSeconds: leaseSeconds)) ?? true
                        lastRenewal = Date()
                    } else {
                        held = (try? ledger.isLeaseHeld(evaluationID: evaluationID, owner: owner)) ?? true
                    }
                    if !held { return EvaluationOutcome(state: .cancelled, log: "lease lost") }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? EvaluationOutcome(state: .cancelled, log: "stopped")
        }
        if try ledger.finishEvaluation(evaluationID, owner: owner, outcome: outcome) {
            logger.info("\(submission.team)/\(submission.name) on \(question.name): \(outcome.state.rawValue)")
            await onFinished(evaluation, outcome.state)
        } else {
            logger.notice("\(submission.team)/\(submission.name) on \(question.name): result dropped, the lease was lost")
        }
        return true
    }
}

/// The state an evaluation last reported, shared with the lease-renewing task.
actor StateBox {
    private var state: EvaluationState = .training
    func set(_ newState: EvaluationState) { state = newState }
    func get() -> EvaluationState { state }
}
