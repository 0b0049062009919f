import Foundation

/// An executor whose jobs run outside the hub's processes and outlive them: a batch
/// scheduler's. The hub records the id ``submit(_:)`` returns with the evaluation, so that a
/// hub restarted while the job runs follows it again (``follow(jobID:directory:waiting:progress:)``)
/// instead of submitting another.
public protocol BatchExecutor: Executor {
    /// Submits the prepared job in `directory` under `name` (unique to the evaluation and its
    /// queueing: a re-score is another name) and returns the scheduler's id for it (for
    /// example `slurm:4242`).
    /// - Throws: ``JobError`` when the scheduler refuses it or cannot be reached.
    func submit(_ directory: JobDirectory, name: String) async throws -> String

    /// Follows a submitted job until it ends, and returns its report: the job's own, or one
    /// that says which step the scheduler stopped for a limit of the submission (memory, time).
    /// - Parameters:
    ///   - waiting: told, with the scheduler's reason, while the job waits to start.
    ///   - progress: told when a fold's step starts.
    /// - Throws: ``JobError`` when the job ended through no fault of the submission (a node
    ///   failed, the job was preempted or vanished): the evaluation is retried.
    ///   `CancellationError` when the calling task is cancelled: the job keeps running.
    func follow(
        jobID: String, directory: JobDirectory, waiting: @escaping @Sendable (String) async -> Void,
        progress: @escaping JobProgress
    ) async throws -> JobReport

    /// The id of a job submitted under `name` whose id may not have been recorded (the hub
    /// stopped between submitting and recording), when that job is still waiting, running or
    /// completed; nil otherwise.
    func unrecordedJob(named name: String) async -> String?

    /// Cancels the job (it may already have ended).
    /// - Throws: ``JobError`` when the scheduler refuses.
    func cancel(jobID: String) async throws
}

extension BatchExecutor {
    /// Submits, then follows: the job as any executor runs it.
    public func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport {
        let jobID = try await submit(directory, name: "forkboard-" + UUID().uuidString.prefix(13).lowercased())
        do {
            return try await follow(jobID: jobID, directory: directory, waiting: { _ in }, progress: progress)
        } catch is CancellationError {
            try? await cancel(jobID: jobID)
            throw CancellationError()
        }
    }
}
