import Challenge
import Foundation

/// Where a job runs: the local sandbox today, a batch scheduler next. An executor reads only
/// the job's directory and writes only there; it never touches the hub's database.
public protocol Executor: Sendable {
    /// Runs the job in `directory` to its end and returns its report (also written to
    /// `report.json`).
    /// - Parameter progress: told when a fold's `train` or `predict` starts.
    /// - Throws: `CancellationError` when the calling task is cancelled (the job is stopped and
    ///   reports nothing); ``JobError`` when the job could not run through no fault of the
    ///   submission.
    func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport
}

/// Told which step of which fold a job starts.
public typealias JobProgress = @Sendable (_ fold: Int, _ step: JobReport.Step) async -> Void

/// Runs jobs on this machine, each step in the bubblewrap ``Sandbox`` with the job's limits
/// and runtime.
public struct LocalExecutor: Executor {
    public init() {}

    public func run(_ directory: JobDirectory, progress: @escaping JobProgress) async throws -> JobReport {
        try await run(directory, only: nil, progress: progress)
    }

    /// Runs every fold of the job in `directory`, or only fold `only` (see ``JobRunner/run(only:progress:)``).
    public func run(_ directory: JobDirectory, only: Int?, progress: @escaping JobProgress) async throws -> JobReport {
        let job: EvaluationJob
        do {
            job = try directory.specification()
        } catch {
            throw JobError("cannot read the job's \(directory.specificationFile.lastPathComponent): \(error)")
        }
        return try await JobRunner(job: job, directory: directory, sandbox: Sandbox(runtime: job.runtime, limits: job.limits))
            .run(only: only, progress: progress)
    }
}
