import Challenge
import Evaluation
import Foundation
import Host
import Ledger
import Logging

/// A loop that claims queued evaluations from the ledger, has the ``Evaluation/Evaluator`` run
/// them, and records their results: the only place where evaluation and ledger meet.
///
/// It holds a lease on the evaluation it runs and renews it every third of its length; it
/// looks every second whether it still holds it (an organiser's cancel shows at once). A
/// result is recorded only under the lease, so each evaluation is recorded once. When the
/// worker is stopped (a shutdown), its evaluation returns to the queue with its attempt not
/// counted, and nothing else is written.
public struct EvaluationWorker: Sendable {
    public let hub: Hub
    public let evaluator: Evaluator
    /// Unique among live workers: `<host>-<pid>-<random>-<index>`.
    public let owner: String
    /// Seconds a lease lasts without renewal.
    public let leaseSeconds: TimeInterval
    /// Seconds between looks at an empty queue.
    public let pollSeconds: Double
    public let logger: Logger
    /// Called after an evaluation's result is recorded, with its final state.
    public let onFinished: @Sendable (EvaluationRecord, EvaluationState) async -> Void

    public init(
        hub: Hub, evaluator: Evaluator, owner: String, leaseSeconds: TimeInterval, pollSeconds: Double = 0.5, logger: Logger,
        onFinished: @escaping @Sendable (EvaluationRecord, EvaluationState) async -> Void = { _, _ in }
    ) {
        self.hub = hub
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
    /// - Throws: a database error when the ledger cannot be read or written;
    ///   `CancellationError` when stopped.
    @discardableResult
    public func runNext() async throws -> Bool {
        let ledger = hub.ledger
        // Another worker's evaluation runs in parallel tasks (test shards): help it first.
        if try await runSharedTask() { return true }
        guard let evaluation = try await ledger.claimNextEvaluation(owner: owner, leaseSeconds: leaseSeconds) else { return false }
        let evaluationID = evaluation.id!
        guard let submission = try await ledger.fetchSubmission(id: evaluation.submissionID),
            let question = hub.challenge.question(named: evaluation.question)
        else {
            try await record(
                evaluation, EvaluationOutcome(state: .checkingError, log: "question '\(evaluation.question)' is not in challenge.yaml any more"),
                label: "evaluation \(evaluationID)")
            return true
        }
        let label = "\(submission.key) on \(question.name)"
        logger.info("evaluating \(label) (attempt \(evaluation.attempts), \(owner))")
        let owner = self.owner
        let leaseSeconds = self.leaseSeconds
        let evaluator = self.evaluator
        let lease = LeaseState()
        let lastFold = question.folds.count - 1
        // A batch scheduler's job outlives this process: its id is recorded under the lease,
        // and a later claim follows it again.
        let batchJob = BatchJobRecord(
            recordedJobID: evaluation.executorJobID,
            jobName: "forkboard-\(hub.identifier)-e\(evaluationID)-q\(Int64(evaluation.queuedAt.timeIntervalSince1970 * 1000))",
            record: { jobID in
                logger.info("\(label): submitted as \(jobID)")
                return try await ledger.recordExecutorJob(evaluationID: evaluationID, owner: owner, jobID: jobID)
            },
            waiting: { _ in
                await lease.set(.queued)
                if (try? await ledger.renewLease(evaluationID: evaluationID, owner: owner, state: .queued, leaseSeconds: leaseSeconds)) == false {
                    await lease.markLost()
                }
            })
        if let recorded = evaluation.executorJobID { logger.info("\(label): following \(recorded) again") }
        // A question whose test objects are in shards runs as tasks that every worker of the
        // hub may take, when its jobs run here.
        let shared: (any Executor)? =
            question.testShards != nil && evaluator.executor(for: evaluator.currentContext()) is LocalExecutor
            ? SharedTaskExecutor(ledger: ledger, evaluationID: evaluationID, owner: owner, leaseSeconds: leaseSeconds, logger: logger) : nil
        let result: EvaluationResult? = await withTaskGroup(of: EvaluationResult?.self) { group in
            group.addTask {
                try? await evaluator.evaluate(
                    team: submission.team, submission: submission.name, commitID: submission.commitID,
                    question: question, batchJob: batchJob, runner: shared
                ) { fold, step in
                    // As RAMP shows it: training until the last fold predicts, then testing
                    // (a participant polling never sees the state go back).
                    let state: EvaluationState = fold >= lastFold && step == .predict ? .testing : .training
                    await lease.set(state)
                    if (try? await ledger.renewLease(evaluationID: evaluationID, owner: owner, state: state, leaseSeconds: leaseSeconds)) == false {
                        await lease.markLost()
                    }
                }
            }
            group.addTask {
                var lastRenewal = Date()
                while !Task.isCancelled, await !lease.isLost {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    let held: Bool?
                    if Date().timeIntervalSince(lastRenewal) >= leaseSeconds / 3 {
                        held = try? await ledger.renewLease(
                            evaluationID: evaluationID, owner: owner, state: await lease.state, leaseSeconds: leaseSeconds)
                        if held != nil { lastRenewal = Date() }
                    } else {
                        held = try? await ledger.isLeaseHeld(evaluationID: evaluationID, owner: owner)
                    }
                    if held == false { await lease.markLost() }
                }
                return nil
            }
            var found: EvaluationResult?
            for await value in group {
                if let value { found = value }
                break
            }
            group.cancelAll()
            return found
        }
        if await lease.isLost {
            logger.notice("\(label): stopped and nothing recorded, the lease was lost (cancelled or expired)")
            await cancelBatchJobIfCancelled(evaluationID, label: label)
            return true
        }
        guard let result else {
            // Stopped by a shutdown: not the team's failure, and not an attempt.
            _ = try? await Self.uncancelled { try await ledger.releaseEvaluation(evaluationID, owner: owner) }
            logger.notice("\(label): returned to the queue, the worker is stopping")
            throw CancellationError()
        }
        try await record(evaluation, Self.outcome(of: result, evaluationID: evaluationID), label: label)
        return true
    }

    /// Cancels the batch job of an evaluation that an organiser cancelled. A job whose lease
    /// merely expired is left running: another worker follows it.
    private func cancelBatchJobIfCancelled(_ evaluationID: Int64, label: String) async {
        let ledger = hub.ledger
        guard let current = try? await BlockingWork.run({ try ledger.evaluation(id: evaluationID) }),
            current.state == .cancelled, let jobID = current.executorJobID
        else { return }
        do {
            try await Self.uncancelled { try await SlurmExecutor.cancel(jobID: jobID) }
            logger.info("\(label): cancelled \(jobID)")
        } catch {
            logger.error("\(label): cannot cancel \(jobID): \(error)")
        }
    }

    private func record(_ evaluation: EvaluationRecord, _ outcome: EvaluationOutcome, label: String) async throws {
        let ledger = hub.ledger
        let owner = self.owner
        // A result found is recorded even when the worker is stopping meanwhile.
        if try await Self.uncancelled({ try await ledger.finishEvaluation(evaluation.id!, owner: owner, outcome: outcome) }) {
            if outcome.isInfrastructureFailure {
                logger.notice("\(label): failed through the hub's fault (retried unless attempts are spent): \(outcome.log ?? "")")
            } else {
                logger.info("\(label): \(outcome.state.rawValue)")
            }
            await onFinished(evaluation, outcome.state)
        } else {
            logger.notice("\(label): result dropped, the lease was lost")
        }
    }

    /// Runs `body` in a task that the caller's cancellation does not reach: writes that must
    /// happen once decided (a result, a release).
    static func uncancelled<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await Task.detached { try await body() }.value
    }

    /// The ledger's records of an evaluation result.
    static func outcome(of result: EvaluationResult, evaluationID: Int64) -> EvaluationOutcome {
        let state: EvaluationState =
            switch result.status {
            case .scored: .scored
            case .checkingError: .checkingError
            case .trainingError: .trainingError
            case .testingError: .testingError
            case .scoringError: .scoringError
            }
        return EvaluationOutcome(
            state: state, log: result.log,
            foldRuns: result.folds.map { fold in
                FoldRunRecord(
                    evaluationID: evaluationID, fold: fold.fold, trainSeconds: fold.train.wallSeconds, testSeconds: fold.testWallSeconds,
                    trainCPUSeconds: fold.train.cpuSeconds, testCPUSeconds: fold.testCPUSeconds,
                    trainPeakMemoryBytes: fold.train.peakMemoryBytes, testPeakMemoryBytes: fold.testPeakMemoryBytes)
            },
            foldScores: result.foldScores.map {
                FoldScoreRecord(
                    evaluationID: evaluationID, fold: $0.fold, split: $0.score.split, scoreType: $0.score.scoreType, value: $0.score.value)
            },
            baggedScores: result.baggedScores.map {
                BaggedScoreRecord(evaluationID: evaluationID, split: $0.split, scoreType: $0.scoreType, value: $0.value)
            },
            isInfrastructureFailure: result.isHubFault)
    }
}

/// The state an evaluation last reported, and whether its lease was lost, shared between the
/// evaluation and the task that renews its lease.
actor LeaseState {
    private(set) var state: EvaluationState = .training
    private(set) var isLost = false
    func set(_ newState: EvaluationState) { state = newState }
    func markLost() { isLost = true }
}
