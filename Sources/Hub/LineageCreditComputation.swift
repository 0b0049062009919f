import Challenge
import Credit
import Foundation
import Git
import Ledger

/// Historical contributivity from the lineage: each submission's credit shares (git blame of
/// its source files through the ledger, or its `Credit:` trailers), then contributivity
/// flowing backwards along them (``Credit/HistoricalContributivity``), per question.
///
/// Keeps one ``Credit/LineageCredit`` between recomputations and appends only the new
/// submissions to it (a few milliseconds each); not `Sendable`: use it from one task at a time
/// (``CreditScheduler`` keeps it on its actor).
public final class LineageCreditComputation {
    public let hub: Hub
    private var lineage: LineageCredit?

    public init(hub: Hub) {
        self.hub = hub
    }

    /// Brings the shares up to date with the ledger, stores them, then stores every question's
    /// historical contributivity from its current contributivities.
    /// - Throws: Git, lineage or database errors.
    public func recompute() throws {
        let details = try hub.ledger.submissionDetails()
        let submissions = details.compactMap { detail -> LineageSubmission? in
            ObjectID(hex: detail.submission.commitID).map { LineageSubmission(team: detail.submission.team, name: detail.submission.name, commit: $0) }
        }
        if let existing = lineage, Array(submissions.prefix(existing.submissions.count)) != existing.submissions { lineage = nil }
        if lineage == nil { lineage = try makeLineage(details: details) }
        guard let lineage else { return }
        for submission in submissions.dropFirst(lineage.submissions.count) { try lineage.append(submission) }
        let result = lineage.result
        let ids = Dictionary(uniqueKeysWithValues: details.map { ("\($0.submission.team)/\($0.submission.name)", $0.submission.id!) })
        try hub.ledger.replaceCreditShares(result.submissions.flatMap { shares -> [CreditShareRecord] in
            guard let id = ids[shares.key] else { return [] }
            return shares.fractions.map { CreditShareRecord(submissionID: id, owner: $0.key, fraction: $0.value, source: shares.origin == .trailers ? "trailer" : "lines") }
        })
        let contributivities = try hub.ledger.contributivities()
        for question in hub.challenge.questions where !question.isPredictionsOnly {
            var byKey: [String: Double] = [:]
            var evaluationOf: [String: Int64] = [:]
            for detail in details {
                guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name }),
                      let value = contributivities[evaluation.record.id!]?.value else { continue }
                let key = "\(detail.submission.team)/\(detail.submission.name)"
                byKey[key] = value
                evaluationOf[key] = evaluation.record.id!
            }
            guard !byKey.isEmpty else { continue }
            let historical = try result.historicalContributivities(contributivities: byKey)
            var values: [Int64: Double] = [:]
            for (key, id) in evaluationOf { values[id] = historical[key] ?? 0 }
            try hub.ledger.setHistoricalContributivity(question: question.name, values, startingKit: historical[LineageCredit.startingKitKey] ?? 0)
        }
    }

    /// The warnings about `Credit:` trailers that were ignored.
    public var warnings: [String] { lineage?.warnings.map(\.description) ?? [] }

    private func makeLineage(details: [SubmissionDetail]) throws -> LineageCredit? {
        let repository = try Repository.open(at: hub.ledgerRepository.path)
        guard let startingKit = try repository.referenceTarget("refs/heads/main") else { return nil }
        let schedule = hub.challenge.schedule
        // A `Credit:` trailer may name the team's own earlier submissions, and any earlier
        // submission when it was pushed while the commons was open.
        let teams = details.map(\.submission.team)
        let openAtPush = details.map { detail in
            detail.submission.phase.flatMap { schedule.phase(named: $0) }.map { $0.kind != .closed } ?? false
        }
        return try LineageCredit(
            repository: repository, startingKit: startingKit, isCredited: ReuseReport.isSourceFile,
            isVisible: { giver, receiver in
                guard giver < teams.count, receiver < teams.count else { return false }
                return teams[giver] == teams[receiver] || openAtPush[giver]
            })
    }
}
