import Challenge
import Credit
import Foundation
import Git
import Host
import Ledger

/// Historical contributivity from the lineage: each submission's measured shares (whose code
/// tokens it holds, ``Credit/LineageCredit``) and declared credit (its `Credit:` trailers), then
/// contributivity flowing backwards along them (``Credit/HistoricalContributivity``), per
/// question. A function of the ledger alone: what it computes does not depend on when the
/// process started.
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
    /// - Returns: the ids of the submissions whose shares or historical contributivity changed
    ///   (their git notes are written again).
    /// - Throws: Git, lineage or database errors.
    @discardableResult
    public func recompute() throws -> Set<Int64> {
        let details = try hub.ledger.submissionDetails()
        let schedule = hub.challenge.schedule
        let submissions = details.compactMap { detail -> LineageSubmission? in
            // A `Credit:` trailer may name the team's own earlier submissions, and any earlier
            // submission when it was pushed while the commons was open.
            let open = detail.submission.phase.flatMap { schedule.phase(named: $0) }.map { $0.kind != .closed } ?? false
            return ObjectID(hex: detail.submission.commitID).map {
                LineageSubmission(team: detail.submission.team, name: detail.submission.name, commit: $0, isOpenAtPush: open)
            }
        }
        if let existing = lineage, Array(submissions.prefix(existing.submissions.count)) != existing.submissions { lineage = nil }
        if lineage == nil { lineage = try makeLineage(details: details) }
        guard let lineage else { return [] }
        for submission in submissions.dropFirst(lineage.submissions.count) { try lineage.append(submission) }
        let result = lineage.result
        let ids = Dictionary(uniqueKeysWithValues: details.map { ("\($0.submission.key)", $0.submission.id!) })
        var changed = try hub.ledger.replaceCreditShares(
            result.submissions.flatMap { shares -> [CreditShareRecord] in
                guard let id = ids[shares.key] else { return [] }
                return shares.measured.map { CreditShareRecord(submissionID: id, owner: $0.key, fraction: $0.value, source: .measured) }
                    + shares.declared.map { CreditShareRecord(submissionID: id, owner: $0.key, fraction: $0.value, source: .declared) }
            })
        let contributivities = try hub.ledger.contributivities()
        for question in hub.challenge.questions where !question.isPredictionsOnly {
            var byKey: [String: Double] = [:]
            var evaluationOf: [String: Int64] = [:]
            for detail in details {
                guard let evaluation = detail.evaluations.first(where: { $0.record.question == question.name }),
                    let value = contributivities[evaluation.record.id!]?.value
                else { continue }
                let key = "\(detail.submission.key)"
                byKey[key] = value
                evaluationOf[key] = evaluation.record.id!
            }
            guard !byKey.isEmpty else { continue }
            let historical = try result.historicalContributivities(contributivities: byKey)
            var values: [Int64: Double] = [:]
            for (key, id) in evaluationOf { values[id] = historical[key] ?? 0 }
            changed.formUnion(
                try hub.ledger.setHistoricalContributivity(
                    question: question.name, values, startingKit: historical[LineageCredit.startingKitKey] ?? 0))
        }
        return changed
    }

    /// The warnings about `Credit:` trailers that were ignored.
    public var warnings: [String] { lineage?.warnings.map(\.description) ?? [] }

    private func makeLineage(details: [SubmissionDetail]) throws -> LineageCredit? {
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        guard let startingKit = try repository.referenceTarget("refs/heads/main") else { return nil }
        return try LineageCredit(
            repository: repository, startingKit: startingKit, isCredited: { _ in true },
            ignoredFiles: try Self.uncreditedKitFiles(of: startingKit, in: repository, challenge: hub.challenge))
    }

    /// The starting kit's files that count for no one as the kit gives them: its local
    /// evaluation files (`.forkboard/`, the hub runs its own harness), the challenge's data
    /// files and its documents (files that are not source code by their extension, such as
    /// README.md). Every other file of a submission may be run by its code, so it counts, and
    /// so do these paths once a submission changes what they hold (``Credit/LineageCredit``
    /// leaves out binary and data-like files).
    /// - Throws: ``Git/GitError`` when the kit's tree cannot be read.
    public static func uncreditedKitFiles(
        of startingKit: ObjectID, in repository: Repository, challenge: ChallengeConfiguration
    ) throws -> Set<ObjectID> {
        let data = Set(challenge.questions.compactMap(\.startingKitData))
        let tree = try repository.commit(startingKit).treeID
        return Set(
            try repository.allEntries(inTree: tree).filter { path, entry in
                entry.kind == .blob
                    && (path.hasPrefix("\(LocalEvaluation.directoryName)/") || data.contains(path) || SourceTokenizer.Language(path: path) == nil)
            }.map(\.entry.id))
    }
}
