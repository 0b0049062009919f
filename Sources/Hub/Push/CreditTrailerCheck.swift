import Challenge
import Credit
import Foundation
import Git
import Host
import Ledger

/// The `Credit:` trailers of a recorded submission that its credit will ignore (malformed,
/// naming no earlier submission, naming one it could not see, giving more than 100%), found
/// when it is pushed so that the participant is told, and the organisers' audit log keeps it:
/// the same rules as ``Credit/LineageCredit``'s, on the ledger's submissions before it.
public enum CreditTrailerCheck {
    /// One line per ignored trailer; empty when every trailer counts (or there is none).
    /// - Throws: Git or database errors.
    public static func problems(hub: Hub, submission: SubmissionRecord) throws -> [String] {
        guard let commit = ObjectID(hex: submission.commitID) else { return [] }
        let message = try Repository.open(at: hub.paths.ledgerRepository.path).commit(commit).message
        let (trailers, parseProblems) = CreditTrailer.parse(message: message)
        guard !trailers.isEmpty else { return parseProblems }
        let earlier = try hub.ledger.submissionKeys(before: submission)
        var indices: [String: Int] = [LineageCredit.startingKitKey: -1]
        for (index, key) in earlier.enumerated() { indices[key.key] = index }
        let open = submission.phase.flatMap { hub.challenge.schedule.phase(named: $0) }.map { $0.kind != .closed } ?? false
        let checked = CreditTrailerValidation.fractions(
            of: trailers, giver: earlier.count, giverKey: "\(submission.key)", indices: indices,
            isVisible: { _, receiver in open || earlier[receiver].team == submission.team })
        return parseProblems + checked.problems
    }
}
