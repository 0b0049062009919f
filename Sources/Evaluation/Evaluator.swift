import Challenge
import Foundation
import Git
import Host

/// Evaluates one submission on one question, as DESIGN.md's workflow contract says: prepares
/// the job's directory from the ledger repository, has an ``Executor`` run it (each fold's
/// `train` then `predict` in the sandbox), then scores what it predicted, per fold and bagged.
/// Returns values; recording them is the hub's business.
public struct Evaluator: Sendable {
    /// The context of the next evaluation: asked at each one, so that a configuration applied
    /// meanwhile (limits, runtime, test split) is the one it runs with.
    public let currentContext: @Sendable () -> EvaluationContext
    /// The executor every evaluation uses; nil: the one the context's challenge.yaml names
    /// (`executor:`), chosen at each evaluation.
    public let fixedExecutor: (any Executor)?
    private let choice = ExecutorChoice()

    public init(context: @escaping @Sendable () -> EvaluationContext, executor: (any Executor)? = nil) {
        self.currentContext = context
        self.fixedExecutor = executor
    }

    public init(context: EvaluationContext, executor: (any Executor)? = nil) {
        self.init(context: { context }, executor: executor)
    }

    /// The executor of an evaluation in `context`.
    public func executor(for context: EvaluationContext) -> any Executor {
        fixedExecutor ?? choice.executor(for: context.challenge.executor)
    }

    /// Runs the evaluation and returns its result; every failure of the submission or of the
    /// hub becomes a result with a readable log. Blocking work (data, tree export, scoring)
    /// runs on ``BlockingWork``'s threads.
    /// - Parameter progress: told when a fold's step starts.
    /// - Throws: `CancellationError` only, when the calling task is cancelled: the evaluation
    ///   was stopped (a shutdown, a cancellation, a lost lease) and found nothing.
    /// - Parameter batchJob: with a ``BatchExecutor``, the job of an earlier attempt to follow
    ///   again (its directory is kept) and where to record a newly submitted one.
    /// - Parameter runner: the executor of this evaluation instead of the configured one, when
    ///   given (what runs a sharded job's tasks on several workers: it is told how to run a
    ///   job, not where).
    public func evaluate(
        team: String, submission: String, commitID: String, question: Question, batchJob: BatchJobRecord? = nil,
        runner: (any Executor)? = nil, progress: @escaping JobProgress = { _, _ in }
    ) async throws -> EvaluationResult {
        let context = currentContext()
        let directory = JobDirectory(url: context.runDirectory(team: team, submission: submission, question: question.name))
        let executor = runner ?? executor(for: context)
        var followedJob: String?
        if let batch = executor as? any BatchExecutor, let batchJob {
            followedJob = batchJob.recordedJobID
            if followedJob == nil, let found = await batch.unrecordedJob(named: batchJob.jobName) {
                try await record(found, batchJob, batch: batch)
                followedJob = found
            }
            if !FileManager.default.fileExists(atPath: directory.specificationFile.path) { followedJob = nil }
        }
        let preparationStart = Date()
        let prepared: Preparation = try await BlockingWork.run { [followedJob] in
            followedJob == nil
                ? Self.prepare(context: context, directory: directory, team: team, submission: submission, commitID: commitID, question: question)
                : Self.loadData(context: context, question: question)
        }
        let data: QuestionData
        switch prepared {
        case .finished(let result): return result
        case .ready(let loaded): data = loaded
        }
        let report: JobReport
        let runStart = Date()
        do {
            if let batch = executor as? any BatchExecutor, let batchJob {
                let jobID: String
                if let followedJob {
                    jobID = followedJob
                } else {
                    jobID = try await batch.submit(directory, name: batchJob.jobName)
                    try await record(jobID, batchJob, batch: batch)
                }
                report = try await batch.follow(jobID: jobID, directory: directory, waiting: batchJob.waiting, progress: progress)
            } else {
                report = try await executor.run(directory, progress: progress)
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .hubFault("\(error)")
        }
        try Task.checkCancellation()
        let scoringStart = Date()
        var result = try await BlockingWork.run { JobScoring.score(report, directory: directory, data: data) }
        // Where the hub's own time went, beside the runs' (the log's first lines).
        if result.status == .scored {
            result.log += String(
                format: "the hub: job prepared in %.1f s, its runs took %.1f s, predictions checked, joined and scored in %.1f s\n",
                runStart.timeIntervalSince(preparationStart), scoringStart.timeIntervalSince(runStart),
                Date().timeIntervalSince(scoringStart))
        }
        let scored = try await ProgramScoring(sandbox: context.sandbox, scoringDirectory: context.scoringDirectory)
            .addScores(to: result, directory: directory, data: data)
        // What is kept is stored: the runs' predictions files go (at full size, most of the disk).
        if scored.status == .scored, let job = try? directory.specification() {
            JobScoring.removePredictionsFiles(directory: directory, job: job)
        }
        return scored
    }

    /// Records a submitted batch job; cancels it when the evaluation's lease was lost meanwhile.
    private func record(_ jobID: String, _ batchJob: BatchJobRecord, batch: any BatchExecutor) async throws {
        if try await batchJob.record(jobID) == false {
            try? await batch.cancel(jobID: jobID)
            throw CancellationError()
        }
    }

    private enum Preparation: Sendable {
        case ready(QuestionData)
        case finished(EvaluationResult)
    }

    private static func loadData(context: EvaluationContext, question: Question) -> Preparation {
        do {
            var data = try QuestionData.load(files: .hub(home: context.hubHome, question: question), question: question)
            data.splitTestRows(context.challenge.testSplit)
            return .ready(data)
        } catch {
            return .finished(.hubFault("the hub could not prepare the evaluation: \(error)"))
        }
    }

    private static func prepare(
        context: EvaluationContext, directory: JobDirectory, team: String, submission: String,
        commitID: String, question: Question
    ) -> Preparation {
        let data: QuestionData
        switch loadData(context: context, question: question) {
        case .finished(let result): return .finished(result)
        case .ready(let loaded): data = loaded
        }
        guard let commit = ObjectID(hex: commitID) else {
            return .finished(EvaluationResult(status: .checkingError, log: "invalid commit id \(commitID)"))
        }
        let tree = JobPreparation.exporting(commit: commit, from: context.ledgerRepository, maximumBytes: context.challenge.pushLimits.treeBytes)
        if let predictionsFile = question.predictionsFile {
            do {
                try? FileManager.default.removeItem(at: directory.url)
                try tree(directory.tree)
            } catch let error as TreeExportError {
                return .finished(EvaluationResult(status: .checkingError, log: "the submission's tree cannot be evaluated: \(error)"))
            } catch {
                return .finished(.hubFault("the hub could not read the submission from the ledger: \(error)"))
            }
            return .finished(PredictionsOnlyScoring.score(file: directory.tree.appendingPathComponent(predictionsFile), data: data))
        }
        let job = EvaluationJob(
            name: "\(team)/\(submission) on \(question.name)", question: question.name,
            trainCommand: question.trainCommand, predictCommand: question.predictCommand,
            environment: EvaluationJob.environment(of: question), foldCount: data.folds.count, testShardCount: data.testShards?.count,
            limits: context.challenge.limits, runtime: context.challenge.runtime!)
        do {
            if case .slurm = context.challenge.executor {
                // The hub's own directory in the shared directory: other cluster users must not read the code.
                let hubDirectory = context.runsDirectory.deletingLastPathComponent()
                try FileManager.default.createDirectory(at: hubDirectory, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: hubDirectory.path)
            }
            try context.jobPreparation(question: question).prepare(job, data: data, in: directory, tree: tree)
        } catch let error as TreeExportError {
            return .finished(EvaluationResult(status: .checkingError, log: "the submission's tree cannot be evaluated: \(error)"))
        } catch {
            return .finished(.hubFault("the hub could not prepare the evaluation's files: \(error)"))
        }
        return .ready(data)
    }
}

/// What the hub knows of an evaluation's batch job (see ``BatchExecutor``).
public struct BatchJobRecord: Sendable {
    /// The job of an earlier attempt, recorded in the ledger; nil when none is.
    public var recordedJobID: String?
    /// The name its job is submitted under: unique to the hub, the evaluation and its queueing.
    public var jobName: String
    /// Records a job id with the evaluation; returns false when the evaluation is no longer
    /// this worker's (the job is then cancelled).
    public var record: @Sendable (String) async throws -> Bool
    /// Told, with the scheduler's reason, while the job waits to start.
    public var waiting: @Sendable (String) async -> Void

    public init(
        recordedJobID: String?, jobName: String, record: @escaping @Sendable (String) async throws -> Bool,
        waiting: @escaping @Sendable (String) async -> Void
    ) {
        self.recordedJobID = recordedJobID
        self.jobName = jobName
        self.record = record
        self.waiting = waiting
    }
}
