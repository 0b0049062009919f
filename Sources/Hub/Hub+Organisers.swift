import Challenge
import Foundation
import Ledger

/// What organisers do to a running challenge, from the command line or their web pages: the
/// same checks, the same audit entries, whichever way they come.
extension Hub {
    /// Puts the hub in phase `name` until cleared (nil returns to the schedule), recorded with
    /// who and when; publishes the commons (open.git) when the phase in force becomes an open one.
    /// - Throws: ``HubError/unknownPhase(_:)`` for a phase challenge.yaml does not name; database
    ///   and git errors.
    public func overridePhase(_ name: String?, by actor: String) throws {
        if let name, challenge.schedule.phase(named: name) == nil { throw HubError.unknownPhase(name) }
        try ledger.overridePhase(name, by: actor)
        if try PhaseClock(hub: self).status().isCommonsOpen { try OpenCommons(hub: self).synchronize() }
    }

    /// Queues again the evaluations of submission `team/name` (of one question, or all), keeping
    /// their previous scores in the score history; says which were queued, which already waited
    /// and which run now (those two are left alone).
    /// - Throws: ``HubError/unknownSubmission(_:)``; what ``rescore(evaluationIDs:by:)`` throws.
    public func rescore(_ key: SubmissionKey, question: String? = nil, by actor: String) throws -> RescoreOutcome {
        guard let record = try ledger.submission(key) else { throw HubError.unknownSubmission("\(key)") }
        let ids = try ledger.evaluations(submissionID: record.id!).filter { question == nil || $0.question == question }.map { $0.id! }
        return try rescore(evaluationIDs: ids, by: actor)
    }

    /// Queues the evaluations `ids` again (those that have ended), keeping their previous scores
    /// in the score history; says what it did with each.
    /// - Throws: ``HubError/rescoreRefused(_:)`` while challenge.yaml has changes not applied
    ///   (every process must score with the same file); database errors.
    public func rescore(evaluationIDs ids: [Int64], by actor: String) throws -> RescoreOutcome {
        guard try configurationFileIsApplied() else {
            throw HubError.rescoreRefused(
                "challenge.yaml changed since it was applied: run 'forkboard challenge reload' first, so that every process scores with it")
        }
        return try ledger.rescore(evaluationIDs: ids, by: actor)
    }
}
