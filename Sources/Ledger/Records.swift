import Challenge
import Foundation
import GRDB

/// A team: one or more participants sharing one git repository.
public struct TeamRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "teams"
    /// Team name, also its repository's name (`[a-z0-9][a-z0-9_-]{0,39}`).
    public var name: String
    public var createdAt: Date
}

/// A participant's login, the team it belongs to, and the SHA-256 of its access token.
public struct MemberRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "members"
    public var login: String
    public var team: String
    /// Hexadecimal SHA-256 of the token; the token itself is never stored.
    public var tokenSHA256: String
    public var createdAt: Date

    /// The reserved team of the organisers' logins.
    public static let organisersTeam = "organisers"

    /// True for an organiser's login (``Ledger/addOrganiser(_:by:at:)``), which sees every
    /// team's code, logs and scores and may use the organisers' pages.
    public var isOrganiser: Bool { team == Self.organisersTeam }

    /// Whether this login may see team `team`'s own work (logs, batch jobs, and code in closed
    /// phases): its members' and the organisers'.
    public func seesOwnWork(of team: String) -> Bool { isOrganiser || self.team == team }
}

/// An accepted submission: a commit a team tagged `submission-<name>` and pushed.
public struct SubmissionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "submissions"
    public var id: Int64?
    public var team: String
    public var name: String
    /// The submitted commit (40 hexadecimal digits), kept in the ledger under
    /// `refs/submissions/<team>/<name>`.
    public var commitID: String
    /// Login of the participant whose authenticated push brought it; `unknown` when the
    /// reconciler recorded a push whose post-receive hook did not run.
    public var pusher: String
    /// When the hub recorded it, UTC.
    public var submittedAt: Date
    /// The phase it was pushed in.
    public var phase: String?
    /// What the team said of it (`git push -o description=...`).
    public var description: String?
    /// Its commit's tree (40 hexadecimal digits): the files it holds. Nil only for submissions
    /// recorded before the hub kept it, until the reconciler fills it in.
    public var treeID: String?
    /// What its files do, comments and spacing aside (64 hexadecimal digits; see the Hub's
    /// `CodeFingerprint`): a team's submission with the fingerprint of an earlier one is
    /// refused. Nil only for submissions recorded before the hub kept it, until the
    /// reconciler fills it in.
    public var codeFingerprint: String? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The evaluation of one submission on one question; also the job a worker claims.
public struct EvaluationRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "evaluations"
    public var id: Int64?
    public var submissionID: Int64
    public var question: String
    public var state: EvaluationState
    /// How many times a worker claimed it.
    public var attempts: Int
    /// Which worker holds it while it runs, and until when (a lease).
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var queuedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The tail of the run's log for error states (or a short note when scored).
    public var log: String?
    /// Seconds of `train` and of `predict`, summed over folds, measured by the hub.
    public var trainSeconds: Double?
    public var testSeconds: Double?
    /// True when it ended in an error through the hub's fault (it does not count in quotas).
    public var hubFault: Bool = false
    /// The worker that claimed its latest attempt (kept after it finished).
    public var worker: String?
    /// Attempts that failed through the hub's fault (data, disk, sandbox set-up).
    public var hubFailures: Int = 0
    /// Attempts whose worker stopped renewing its lease (it died or hung).
    public var interruptions: Int = 0
    /// Where it ranks on its question's leaderboard: the official bagged score on the ranking
    /// split, negated when higher is better, so that lower always ranks first; nil when not
    /// scored. Kept by ``Ledger`` from the question's ``RankingSpecification``.
    public var rankingKey: Double?
    /// The batch scheduler's job that runs (or ran) its latest attempt, for example
    /// `slurm:4242`; nil when it runs on the hub's machine. A hub restarted while the job runs
    /// follows it again instead of submitting another.
    public var executorJobID: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One score of one fold of an evaluation, on the fold's validation rows or on the test rows.
public struct FoldScoreRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fold_scores"
    public var evaluationID: Int64
    /// Fold index, from 0.
    public var fold: Int
    public var split: ScoreSplit
    public var scoreType: String
    public var value: Double

    public init(evaluationID: Int64, fold: Int, split: ScoreSplit, scoreType: String, value: Double) {
        self.evaluationID = evaluationID
        self.fold = fold
        self.split = split
        self.scoreType = scoreType
        self.value = value
    }
}

/// A score of the bagged predictions of an evaluation (out-of-fold validation, or test
/// averaged over fold models).
public struct BaggedScoreRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "bagged_scores"
    public var evaluationID: Int64
    public var split: ScoreSplit
    public var scoreType: String
    public var value: Double

    public init(evaluationID: Int64, split: ScoreSplit, scoreType: String, value: Double) {
        self.evaluationID = evaluationID
        self.split = split
        self.scoreType = scoreType
        self.value = value
    }
}

/// The measured cost of one fold: wall and CPU seconds and peak memory of `train` and of
/// `predict`, measured by the hub.
public struct FoldRunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fold_runs"
    public var evaluationID: Int64
    public var fold: Int
    public var trainSeconds: Double
    public var testSeconds: Double
    /// CPU seconds of `train` and of `predict` (all their processes), when measured.
    public var trainCPUSeconds: Double?
    public var testCPUSeconds: Double?
    /// Peak memory of `train` and of `predict`, in bytes, when measured.
    public var trainPeakMemoryBytes: Int?
    public var testPeakMemoryBytes: Int?

    public init(
        evaluationID: Int64, fold: Int, trainSeconds: Double, testSeconds: Double,
        trainCPUSeconds: Double? = nil, testCPUSeconds: Double? = nil,
        trainPeakMemoryBytes: Int? = nil, testPeakMemoryBytes: Int? = nil
    ) {
        self.evaluationID = evaluationID
        self.fold = fold
        self.trainSeconds = trainSeconds
        self.testSeconds = testSeconds
        self.trainCPUSeconds = trainCPUSeconds
        self.testCPUSeconds = testCPUSeconds
        self.trainPeakMemoryBytes = trainPeakMemoryBytes
        self.testPeakMemoryBytes = testPeakMemoryBytes
    }
}

extension ScoreSplit: DatabaseValueConvertible {}

extension BaggedScoreRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let evaluationID = Column("evaluationID")
    }
}

extension EvaluationRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let id = Column("id")
        static let leaseExpiresAt = Column("leaseExpiresAt")
        static let leaseOwner = Column("leaseOwner")
        static let state = Column("state")
        static let submissionID = Column("submissionID")
    }
}

extension FoldRunRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let evaluationID = Column("evaluationID")
    }
}

extension FoldScoreRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let evaluationID = Column("evaluationID")
    }
}

extension MemberRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let login = Column("login")
        static let team = Column("team")
    }
}

extension SubmissionRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let commitID = Column("commitID")
        static let id = Column("id")
        static let name = Column("name")
        static let submittedAt = Column("submittedAt")
        static let team = Column("team")
    }
}

extension TeamRecord {
    /// The columns that the ledger's queries filter and order by.
    public enum Columns {
        static let name = Column("name")
    }
}
