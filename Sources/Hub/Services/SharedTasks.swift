import Evaluation
import Foundation
import Host
import Ledger
import Logging

/// Runs a job whose question shards its test objects as tasks that any worker of the hub may
/// take (``Ledger/claimNextTask(owner:leaseSeconds:of:now:)``): the worker holding the
/// evaluation publishes its tasks and runs them too, the others help when they have nothing
/// of their own; each task runs in the shared job directory, in the same sandbox, under a
/// lease of its own. The report is assembled from what the tasks wrote.
struct SharedTaskExecutor: Executor {
    let ledger: Ledger
    let evaluationID: Int64
    let owner: String
    let leaseSeconds: TimeInterval
    let logger: Logger

    /// Times a task may be given back (its worker could not start the sandbox) before the
    /// evaluation fails through the hub's fault.
    static let maximumTaskAttempts = 3

    func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport {
        let runner = try Self.runner(for: directory)
        let job = runner.job
        guard
            try await ledger.publishTasks(
                evaluationID: evaluationID, owner: owner,
                tasks: job.tasks.map { ($0.description, $0.dependency?.description) })
        else {
            throw CancellationError()
        }
        let ledger = self.ledger
        let evaluationID = self.evaluationID
        defer { Task.detached { try? await ledger.dropTasks(evaluationID: evaluationID) } }
        while true {
            try Task.checkCancellation()
            if let claimed = try await ledger.claimNextTask(owner: owner, leaseSeconds: leaseSeconds, of: evaluationID),
                let task = JobTask(name: claimed.task)
            {
                guard
                    let ended = try await Self.run(
                        task, of: claimed, runner: runner, ledger: ledger, owner: owner,
                        leaseSeconds: leaseSeconds, progress: progress)
                else {
                    throw CancellationError()
                }
                if ended.ending != .succeeded { break }
                continue
            }
            let tasks = try await ledger.tasks(evaluationID: evaluationID)
            if tasks.isEmpty { throw CancellationError() }
            if tasks.allSatisfy({ $0.state == .done }) { break }
            if runner.failedTask() != nil { break }
            if let stuck = tasks.first(where: { $0.state == .waiting && $0.attempts >= Self.maximumTaskAttempts }) {
                throw JobError("the task \(stuck.task) could not be run \(stuck.attempts) times")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let report = runner.assembledReport()
        do {
            try JSONEncoder().encode(report).write(to: directory.reportFile, options: .atomic)
        } catch {
            throw JobError("cannot write the job's report: \(error)")
        }
        return report
    }

    /// The runner of the job in `directory`.
    /// - Throws: ``JobError`` when its specification cannot be read.
    static func runner(for directory: JobDirectory) throws -> JobRunner {
        let job: EvaluationJob
        do {
            job = try directory.specification()
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
        return JobRunner(job: job, directory: directory, sandbox: Sandbox(runtime: job.runtime, limits: job.limits))
    }

    /// Runs a claimed task while renewing its lease (looked at every second); marks it done
    /// and returns how it ended, or returns nil, having stopped the run, when the lease was
    /// lost. A run that could not start gives the task back and throws.
    /// - Throws: ``JobError``, `CancellationError` (the task is given back).
    static func run(
        _ task: JobTask, of claimed: EvaluationTaskRecord, runner: JobRunner, ledger: Ledger, owner: String,
        leaseSeconds: TimeInterval, progress: @escaping JobProgress
    ) async throws -> SandboxResult? {
        let evaluationID = claimed.evaluationID
        let name = claimed.task
        let outcome: Result<SandboxResult, any Error>? = await withTaskGroup(of: Result<SandboxResult, any Error>?.self) { group in
            group.addTask {
                do {
                    return .success(try await runner.run(task, progress: progress))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                var lastRenewal = Date()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    if Date().timeIntervalSince(lastRenewal) >= leaseSeconds / 3 {
                        let held = try? await ledger.renewTaskLease(evaluationID: evaluationID, task: name, owner: owner, leaseSeconds: leaseSeconds)
                        if held == false { return nil }
                        if held != nil { lastRenewal = Date() }
                    }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let result):
            return try await EvaluationWorker.uncancelled {
                try await ledger.endTask(evaluationID: evaluationID, task: name, owner: owner, done: true) ? result : nil
            }
        case .failure(let error):
            _ = try? await EvaluationWorker.uncancelled {
                try await ledger.endTask(evaluationID: evaluationID, task: name, owner: owner, done: false)
            }
            throw error
        case nil:
            return nil
        }
    }
}

extension EvaluationWorker {
    /// Takes a waiting task of another worker's evaluation and runs it, when there is one;
    /// returns whether it did. A task that could not run is given back (and logged).
    /// - Throws: a database error; `CancellationError` when stopped.
    func runSharedTask() async throws -> Bool {
        let ledger = hub.ledger
        guard let claimed = try await ledger.claimNextTask(owner: owner, leaseSeconds: leaseSeconds) else { return false }
        let label = "task \(claimed.task) of evaluation \(claimed.evaluationID)"
        guard let task = JobTask(name: claimed.task),
            let evaluation = try await BlockingWork.run({ try ledger.evaluation(id: claimed.evaluationID) }),
            let submission = try await ledger.fetchSubmission(id: evaluation.submissionID)
        else {
            try await ledger.endTask(evaluationID: claimed.evaluationID, task: claimed.task, owner: owner, done: false)
            return true
        }
        let directory = JobDirectory(
            url: evaluator.currentContext().runDirectory(
                team: submission.team, submission: submission.name,
                question: evaluation.question))
        do {
            let runner = try SharedTaskExecutor.runner(for: directory)
            logger.info("helping with \(label) (\(submission.key))")
            if let ended = try await SharedTaskExecutor.run(
                task, of: claimed, runner: runner, ledger: ledger, owner: owner,
                leaseSeconds: leaseSeconds, progress: { _, _ in })
            {
                logger.info("\(label): \(ended.summary)")
            } else {
                logger.notice("\(label): stopped, its lease was lost")
            }
        } catch is CancellationError {
            _ = try? await Self.uncancelled {
                try await ledger.endTask(evaluationID: claimed.evaluationID, task: claimed.task, owner: owner, done: false)
            }
            throw CancellationError()
        } catch {
            _ = try? await Self.uncancelled {
                try await ledger.endTask(evaluationID: claimed.evaluationID, task: claimed.task, owner: owner, done: false)
            }
            logger.error("\(label): given back, it could not run: \(error)")
        }
        return true
    }
}
