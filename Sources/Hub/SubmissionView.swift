import Challenge
import Foundation
import Git
import Ledger

/// Everything shown about one submission (API and `forkboard submissions --format json`;
/// shape documented in docs/json.md).
public struct SubmissionView: Sendable, Codable, Equatable {
    public struct FoldView: Sendable, Codable, Equatable {
        public let fold: Int
        public let trainSeconds: Double?
        public let testSeconds: Double?
        /// Scores by split (`valid`, `test`) then score type.
        public let scores: [String: [String: Double]]

        enum CodingKeys: String, CodingKey {
            case fold, scores
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
        }
    }

    public struct EvaluationView: Sendable, Codable, Equatable {
        public let question: String
        public let state: String
        /// 1-based position in the queue while queued.
        public let queuePosition: Int?
        public let attempts: Int
        public let trainSeconds: Double?
        public let testSeconds: Double?
        /// Bagged scores by split then score type.
        public let scores: [String: [String: Double]]
        public let folds: [FoldView]
        /// The tail of the evaluation's log: only for the submission's own team.
        public let log: String?

        enum CodingKeys: String, CodingKey {
            case question, state, attempts, scores, folds, log
            case queuePosition = "queue_position"
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
        }
    }

    public let team: String
    public let submission: String
    public let commit: String
    public let pusher: String
    public let submittedAt: String
    public let state: String
    /// The phase it was pushed in.
    public let phase: String?
    /// What the team said of it (`git push -o description=...`).
    public let description: String?
    /// The commit's parents (two or more for a merge).
    public let parents: [String]
    /// The earlier submissions, of any team, in its history (`team/name`), oldest first: its
    /// lineage. A cherry-pick has none of the submissions it copied from.
    public let derivesFrom: [String]
    /// Its credit shares by owning submission (`team/name`, `organisers/starting-kit`), itself
    /// included: from git blame of its source files, or from `Credit:` trailers.
    public let credits: [String: Double]
    public let evaluations: [EvaluationView]

    enum CodingKeys: String, CodingKey {
        case team, submission, commit, pusher, state, evaluations, phase, description, parents, credits
        case submittedAt = "submitted_at"
        case derivesFrom = "derives_from"
    }

    /// The view of `team/name`, or nil when there is no such submission.
    /// - Parameters:
    ///   - includeLogs: whether to include the logs (the viewer is in the team).
    ///   - visibleSplits: the score splits the viewer may see (``ScoreVisibility``).
    public static func make(hub: Hub, team: String, name: String, includeLogs: Bool, visibleSplits: Set<String>) throws -> SubmissionView? {
        try makeAll(hub: hub, includeLogs: includeLogs, visibleSplits: visibleSplits) { $0.team == team && $0.name == name }.first
    }

    /// The views of every submission that `filter` keeps, oldest first.
    public static func makeAll(hub: Hub, includeLogs: Bool, visibleSplits: Set<String>,
                               filter: (SubmissionRecord) -> Bool = { _ in true }) throws -> [SubmissionView] {
        let details = try hub.ledger.submissionDetails()
        let names = Dictionary(uniqueKeysWithValues: details.map { ($0.submission.id!, "\($0.submission.team)/\($0.submission.name)") })
        let edges = Dictionary(grouping: try hub.ledger.lineageEdges(), by: \.submission)
        let repository = try Repository.open(at: hub.ledgerRepository.path)
        let shares = try hub.ledger.creditShares()
        return try details.filter { filter($0.submission) }.map { detail in
            let parents = (try? ObjectID(hex: detail.submission.commitID).map { try repository.commit($0).parentIDs.map(\.hex) }) ?? nil
            let ancestors = (edges[detail.submission.id!] ?? []).map(\.ancestor).sorted().compactMap { names[$0] }
            let credits = Dictionary((shares[detail.submission.id!] ?? []).map { ($0.owner, $0.fraction) }) { $0 + $1 }
            return try make(detail: detail, ledger: hub.ledger, includeLogs: includeLogs, visibleSplits: visibleSplits,
                            parents: parents ?? [], derivesFrom: ancestors, credits: credits)
        }
    }

    static func make(detail: SubmissionDetail, ledger: Ledger, includeLogs: Bool, visibleSplits: Set<String>,
                     parents: [String], derivesFrom: [String], credits: [String: Double]) throws -> SubmissionView {
        func grouped<Records: Sequence>(_ records: Records, split: (Records.Element) -> ScoreSplit, type: (Records.Element) -> String,
                                        value: (Records.Element) -> Double) -> [String: [String: Double]] {
            var scores: [String: [String: Double]] = [:]
            for record in records where visibleSplits.contains(split(record).rawValue) {
                scores[split(record).rawValue, default: [:]][type(record)] = value(record)
            }
            return scores
        }
        let evaluations = try detail.evaluations.map { evaluation -> EvaluationView in
            let bagged = grouped(evaluation.baggedScores, split: \.split, type: \.scoreType, value: \.value)
            let runs = Dictionary(uniqueKeysWithValues: evaluation.foldRuns.map { ($0.fold, $0) })
            let scoresByFold = Dictionary(grouping: evaluation.foldScores, by: \.fold)
            let folds = Set(runs.keys).union(scoresByFold.keys).sorted().map { fold -> FoldView in
                FoldView(fold: fold, trainSeconds: runs[fold]?.trainSeconds, testSeconds: runs[fold]?.testSeconds,
                         scores: grouped(scoresByFold[fold] ?? [], split: \.split, type: \.scoreType, value: \.value))
            }
            return EvaluationView(
                question: evaluation.record.question, state: evaluation.record.state.rawValue,
                queuePosition: try ledger.queuePosition(evaluationID: evaluation.record.id!),
                attempts: evaluation.record.attempts, trainSeconds: evaluation.record.trainSeconds,
                testSeconds: evaluation.record.testSeconds, scores: bagged, folds: folds,
                log: includeLogs ? evaluation.record.log : nil)
        }
        return SubmissionView(
            team: detail.submission.team, submission: detail.submission.name, commit: detail.submission.commitID,
            pusher: detail.submission.pusher, submittedAt: Instant.format(detail.submission.submittedAt),
            state: detail.state.rawValue, phase: detail.submission.phase, description: detail.submission.description,
            parents: parents, derivesFrom: derivesFrom, credits: credits, evaluations: evaluations)
    }
}
