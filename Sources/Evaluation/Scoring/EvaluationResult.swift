import Challenge

/// What an evaluation found, before anything is recorded: its status, a log for the team, what
/// each fold's runs used, and the scores. The hub records it; nothing here knows the ledger.
public struct EvaluationResult: Sendable, Equatable {
    /// How the evaluation ended, in RAMP's vocabulary.
    public enum Status: String, Sendable, Equatable {
        case scored
        case checkingError = "checking_error"
        case trainingError = "training_error"
        case testingError = "testing_error"
        case scoringError = "scoring_error"
    }

    public var status: Status
    /// What the team is shown: per-fold times, or the failing step's account and output tail.
    public var log: String
    /// What each fold's `train` and `predict` used, for the folds that ran to their end.
    public var folds: [FoldMeasurement]
    /// Scores of each fold's predictions, on its validation rows and on the test rows.
    public var foldScores: [FoldScore]
    /// Scores of the bagged predictions (see ``Scorer``).
    public var baggedScores: [Score]
    /// True when the hub failed, not the submission: the evaluation is tried again and does
    /// not count against the team.
    public var isHubFault: Bool

    public init(
        status: Status, log: String, folds: [FoldMeasurement] = [], foldScores: [FoldScore] = [],
        baggedScores: [Score] = [], isHubFault: Bool = false
    ) {
        self.status = status
        self.log = log
        self.folds = folds
        self.foldScores = foldScores
        self.baggedScores = baggedScores
        self.isHubFault = isHubFault
    }

    /// A failure of the hub (data, disk, sandbox start-up), not of the submission's code.
    public static func hubFault(_ log: String) -> EvaluationResult {
        EvaluationResult(status: .checkingError, log: log, isHubFault: true)
    }
}

/// A score on some rows.
public struct Score: Sendable, Equatable, Codable {
    public let split: ScoreSplit
    public let scoreType: String
    public let value: Double

    public init(split: ScoreSplit, scoreType: String, value: Double) {
        self.split = split
        self.scoreType = scoreType
        self.value = value
    }
}

/// A score of one fold's predictions.
public struct FoldScore: Sendable, Equatable {
    /// Fold index, from 0.
    public let fold: Int
    public let score: Score

    public init(fold: Int, score: Score) {
        self.fold = fold
        self.score = score
    }
}

/// What one fold's runs used, measured by the hub.
public struct FoldMeasurement: Sendable, Equatable {
    public let fold: Int
    public let train: SandboxResult
    /// The fold's own predict run (its validation objects, and the test objects when they are
    /// not sharded).
    public let predict: SandboxResult
    /// Each test shard's predict run, for a question that shards its test objects.
    public let shards: [SandboxResult]

    public init(fold: Int, train: SandboxResult, predict: SandboxResult, shards: [SandboxResult] = []) {
        self.fold = fold
        self.train = train
        self.predict = predict
        self.shards = shards
    }

    /// Wall seconds of every predict run of the fold, test shards included.
    public var testWallSeconds: Double { predict.wallSeconds + shards.reduce(0) { $0 + $1.wallSeconds } }

    /// CPU seconds of every predict run of the fold (nil when one was not measured).
    public var testCPUSeconds: Double? {
        ([predict] + shards).reduce(Double?.some(0)) { total, run in total.flatMap { sum in run.cpuSeconds.map { sum + $0 } } }
    }

    /// The largest peak memory of the fold's predict runs (nil when none was measured).
    public var testPeakMemoryBytes: Int? { ([predict] + shards).compactMap(\.peakMemoryBytes).max() }
}
