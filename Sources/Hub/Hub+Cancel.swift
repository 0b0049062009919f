import Challenge
import Evaluation
import Foundation
import Ledger

extension Hub {
    /// What ``cancel(submissionID:by:)`` did.
    public struct Cancellation: Sendable {
        /// Evaluations that will not run or finish.
        public var evaluations: Int
        /// Batch jobs cancelled on the cluster (`slurm:<id>`).
        public var batchJobs: [String]
        /// Batch jobs the scheduler refused to cancel, with its message.
        public var failures: [String]
    }

    /// Cancels the unfinished evaluations of a submission in the ledger, then their Slurm jobs
    /// with `scancel` (a worker that follows one also cancels it when it sees the
    /// cancellation; cancelling twice is harmless).
    /// - Throws: database errors.
    public func cancel(submissionID: Int64, by actor: String) async throws -> Cancellation {
        let jobs = try ledger.evaluations(submissionID: submissionID).filter { !$0.state.isFinal }.compactMap(\.executorJobID)
        let count = try ledger.cancel(submissionID: submissionID, by: actor)
        var cancelled: [String] = []
        var failures: [String] = []
        for job in jobs where SlurmExecutor.slurmJobID(job) != nil {
            do {
                try await SlurmExecutor.cancel(jobID: job)
                cancelled.append(job)
            } catch {
                failures.append("\(job): \(error)")
            }
        }
        return Cancellation(evaluations: count, batchJobs: cancelled, failures: failures)
    }
}
