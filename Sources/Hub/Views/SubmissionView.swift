import Challenge
import Evaluation
import Foundation
import Git
import Host
import Ledger
import Synchronization

/// Everything shown about one submission (API and `forkboard submissions --format json`;
/// shape documented in docs/json.md).
public struct SubmissionView: Sendable, Codable, Equatable {
    public struct FoldView: Sendable, Codable, Equatable {
        public let fold: Int
        public let trainSeconds: Double?
        public let testSeconds: Double?
        /// CPU seconds of training and predicting, summed (nil when no control group measured them).
        public let cpuSeconds: Double?
        /// The larger peak memory of training and predicting, in bytes (nil when not measured).
        public let peakMemoryBytes: Int?
        /// Scores by split (`valid`, `test`) then score type.
        public let scores: [String: [String: Double]]

        enum CodingKeys: String, CodingKey {
            case fold, scores
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
            case cpuSeconds = "cpu_seconds"
            case peakMemoryBytes = "peak_memory_bytes"
        }
    }

    /// What an evaluation had before it was re-scored.
    public struct EarlierResult: Sendable, Codable, Equatable {
        /// When it was set aside (ISO 8601, UTC).
        public let archivedAt: String
        /// Its state then (`scored`, `training_error`, ...).
        public let state: String
        /// Its bagged scores then, by split then score type (the splits the reader may see).
        public let scores: [String: [String: Double]]

        enum CodingKeys: String, CodingKey {
            case state, scores
            case archivedAt = "archived_at"
        }

        /// The ledger's `record`, with only the scores of `visibleSplits`.
        init(_ record: ScoreHistoryRecord, visibleSplits: Set<ScoreSplit>) {
            let scores = (try? JSONDecoder().decode([String: [String: Double]].self, from: Data(record.scores.utf8))) ?? [:]
            self.init(
                archivedAt: Instant.format(record.archivedAt), state: record.state,
                scores: scores.filter { ScoreSplit(rawValue: $0.key).map(visibleSplits.contains) ?? false })
        }

        init(archivedAt: String, state: String, scores: [String: [String: Double]]) {
            self.archivedAt = archivedAt
            self.state = state
            self.scores = scores
        }
    }

    /// One sandboxed run of a running evaluation and where it is.
    public struct TaskProgress: Sendable, Codable, Equatable {
        /// `fold-0/train`, `fold-0/predict`, `fold-0/shard-3`.
        public let task: String
        public let state: String
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
        /// The worker that ran its latest attempt (`<role>-<host>-<pid>-<random>-<index>`).
        public let worker: String?
        /// The batch scheduler's job of its latest attempt (`slurm:<id>`): only for the
        /// submission's own team and the organisers, like the log.
        public let batchJob: String?
        /// Its results before each re-score, oldest first.
        public let history: [EarlierResult]
        /// While it runs: each sandboxed run of its job (a fold's `train` and `predict`, a test
        /// shard's prediction) with where it is (`queued`, `running`, `succeeded`, `failed`).
        public var progress: [TaskProgress]? = nil

        enum CodingKeys: String, CodingKey {
            case question, state, attempts, scores, folds, log, worker, history, progress
            case batchJob = "batch_job"
            case queuePosition = "queue_position"
            case trainSeconds = "train_seconds"
            case testSeconds = "test_seconds"
        }
    }

    public let team: String
    public let submission: String
    /// Its team and name.
    public var key: SubmissionKey { SubmissionKey(team: team, name: submission) }
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
    /// What of its credit goes to each submission (`team/name`, `organisers/starting-kit`),
    /// itself included: its measured shares, with its own share split by its declarations.
    public let credits: [String: Double]
    /// Its measured shares: the fraction of its code tokens that each submission (itself and the
    /// starting kit included) introduced; floors that no declaration lowers.
    public let measuredCredits: [String: Double]
    /// Its declared credit: the fraction of its own measured share that each of its valid
    /// `Credit:` trailers gives away.
    public let declaredCredits: [String: Double]
    public var evaluations: [EvaluationView]

    enum CodingKeys: String, CodingKey {
        case team, submission, commit, pusher, state, evaluations, phase, description, parents, credits
        case measuredCredits = "measured_credits"
        case declaredCredits = "declared_credits"
        case submittedAt = "submitted_at"
        case derivesFrom = "derives_from"
    }

    /// The view of `team/name`, or nil when there is no such submission: one submission's
    /// rows read on GRDB's threads, its commit's parents read on ``Evaluation/BlockingWork``'s.
    /// - Parameters:
    ///   - includeLogs: whether to include the logs (the viewer is in the team).
    ///   - visibleSplits: the score splits the viewer may see (``ScoreVisibility``).
    public static func make(hub: Hub, key: SubmissionKey, includeLogs: Bool, visibleSplits: Set<ScoreSplit>) async throws -> SubmissionView? {
        guard let detail = try await hub.ledger.submissionDetail(key) else { return nil }
        let ledgerRepository = hub.paths.ledgerRepository
        let commitID = detail.submission.commitID
        let parents: [String]
        if let known = Self.knownParents.withLock({ $0[commitID] }) {
            parents = known
        } else {
            parents = try await BlockingWork.run {
                (try? Self.parents(of: commitID, in: Repository.open(at: ledgerRepository.path))) ?? []
            }
            Self.knownParents.withLock { known in
                if known.count >= 100_000 { known.removeAll() }
                known[commitID] = parents
            }
        }
        var view = make(detail: detail, includeLogs: includeLogs, visibleSplits: visibleSplits, parents: parents)
        // The progress of a running evaluation, from its job's files.
        let context = hub.evaluationContext
        for index in view.evaluations.indices where ["training", "testing"].contains(view.evaluations[index].state) {
            let directory = JobDirectory(url: context.runDirectory(team: key.team, submission: key.name, question: view.evaluations[index].question))
            let progress = (try? await BlockingWork.run { directory.taskProgress() }) ?? []
            view.evaluations[index].progress = progress.map { TaskProgress(task: $0.task.description, state: $0.state.rawValue) }
        }
        return view
    }

    /// The views of every submission, oldest first (the whole ledger: for organisers and
    /// exports).
    public static func makeAll(hub: Hub, includeLogs: Bool, visibleSplits: Set<ScoreSplit>) throws -> [SubmissionView] {
        try views(of: hub.ledger.submissionDetails(), hub: hub, includeLogs: includeLogs, visibleSplits: visibleSplits)
    }

    /// The views of the submissions of one commit.
    public static func makeAll(hub: Hub, commitID: String, includeLogs: Bool, visibleSplits: Set<ScoreSplit>) throws -> [SubmissionView] {
        try views(of: hub.ledger.submissionDetails(commitID: commitID), hub: hub, includeLogs: includeLogs, visibleSplits: visibleSplits)
    }

    private static func views(of details: [SubmissionDetail], hub: Hub, includeLogs: Bool, visibleSplits: Set<ScoreSplit>) throws -> [SubmissionView]
    {
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        return details.map { detail in
            make(
                detail: detail, includeLogs: includeLogs, visibleSplits: visibleSplits,
                parents: (try? parents(of: detail.submission.commitID, in: repository)) ?? [])
        }
    }

    /// Commits' parents already read (a commit never changes), by commit id.
    private static let knownParents = Mutex<[String: [String]]>([:])

    private static func parents(of commitID: String, in repository: Repository) throws -> [String] {
        guard let id = ObjectID(hex: commitID) else { return [] }
        return try repository.commit(id).parentIDs.map(\.hex)
    }

    static func make(detail: SubmissionDetail, includeLogs: Bool, visibleSplits: Set<ScoreSplit>, parents: [String]) -> SubmissionView {
        func grouped<Records: Sequence>(
            _ records: Records, split: (Records.Element) -> ScoreSplit, type: (Records.Element) -> String,
            value: (Records.Element) -> Double
        ) -> [String: [String: Double]] {
            var scores: [String: [String: Double]] = [:]
            for record in records where visibleSplits.contains(split(record)) {
                scores[split(record).rawValue, default: [:]][type(record)] = value(record)
            }
            return scores
        }
        let key = "\(detail.submission.key)"
        let measured = Dictionary(detail.creditShares.filter { $0.source == .measured }.map { ($0.owner, $0.fraction) }) { $0 + $1 }
        let declared = Dictionary(detail.creditShares.filter { $0.source == .declared }.map { ($0.owner, $0.fraction) }) { $0 + $1 }
        // What goes to each submission directly: the measured shares, its own share less what
        // its trailers give away, and that given away.
        var effective = measured
        let own = measured[key] ?? 0
        if !measured.isEmpty { effective[key] = own * max(0, 1 - declared.values.reduce(0, +)) }
        for (receiver, fraction) in declared { effective[receiver, default: 0] += own * fraction }
        let evaluations = detail.evaluations.map { evaluation -> EvaluationView in
            let bagged = grouped(evaluation.baggedScores, split: \.split, type: \.scoreType, value: \.value)
            let runs = Dictionary(uniqueKeysWithValues: evaluation.foldRuns.map { ($0.fold, $0) })
            let scoresByFold = Dictionary(grouping: evaluation.foldScores, by: \.fold)
            let folds = Set(runs.keys).union(scoresByFold.keys).sorted().map { fold -> FoldView in
                let run = runs[fold]
                let cpu = [run?.trainCPUSeconds, run?.testCPUSeconds].compactMap { $0 }
                let memory = [run?.trainPeakMemoryBytes, run?.testPeakMemoryBytes].compactMap { $0 }
                return FoldView(
                    fold: fold, trainSeconds: run?.trainSeconds, testSeconds: run?.testSeconds,
                    cpuSeconds: cpu.isEmpty ? nil : cpu.reduce(0, +), peakMemoryBytes: memory.max(),
                    scores: grouped(scoresByFold[fold] ?? [], split: \.split, type: \.scoreType, value: \.value))
            }
            return EvaluationView(
                question: evaluation.record.question, state: evaluation.record.state.rawValue,
                queuePosition: evaluation.queuePosition,
                attempts: evaluation.record.attempts, trainSeconds: evaluation.record.trainSeconds,
                testSeconds: evaluation.record.testSeconds, scores: bagged, folds: folds,
                log: includeLogs ? evaluation.record.log : nil, worker: evaluation.record.worker,
                batchJob: includeLogs ? evaluation.record.executorJobID : nil,
                history: evaluation.history.map { EarlierResult($0, visibleSplits: visibleSplits) })
        }
        return SubmissionView(
            team: detail.submission.team, submission: detail.submission.name, commit: detail.submission.commitID,
            pusher: detail.submission.pusher, submittedAt: Instant.format(detail.submission.submittedAt),
            state: detail.state.rawValue, phase: detail.submission.phase, description: detail.submission.description,
            parents: parents, derivesFrom: detail.derivesFrom,
            credits: effective, measuredCredits: measured, declaredCredits: declared, evaluations: evaluations)
    }
}
