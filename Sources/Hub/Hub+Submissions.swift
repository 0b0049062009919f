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

extension Hub {
    /// Selects (or, with `selected` false, unselects) `team/name` for the final leaderboard.
    /// Returns whether anything changed.
    /// - Throws: ``HubError/finalSelectionRefused(_:)`` when the challenge has no final
    ///   selection, when the frozen phase has begun, or when the team already selected its
    ///   `final_selection` submissions; ``HubError/unknownSubmission(_:)``; database errors.
    @discardableResult
    public func selectForFinal(_ key: SubmissionKey, selected: Bool = true, by actor: String, now: Date = Date()) async throws -> Bool {
        let limit = challenge.finalSelection
        guard limit > 0 else {
            throw HubError.finalSelectionRefused("this challenge has no final selection (final_selection in challenge.yaml): every submission counts")
        }
        let status = try await PhaseClock(hub: self).currentStatus(at: now)
        if status.phase?.kind == .frozen || (status.phase == nil && status.nextChange == nil) {
            throw HubError.finalSelectionRefused("the final selection closed when the frozen phase began")
        }
        guard let submission = try ledger.submission(key), let id = submission.id else {
            throw HubError.unknownSubmission("\(key)")
        }
        do {
            return selected
                ? try ledger.selectForFinal(submissionID: id, team: key.team, limit: limit, by: actor, now: now)
                : try ledger.unselectForFinal(submissionID: id, by: actor, now: now)
        } catch let error as FinalSelectionError {
            throw HubError.finalSelectionRefused(error.description)
        }
    }
}
