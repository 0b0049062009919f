import Foundation
import ScoreTypes

/// One prediction task of a challenge, with its own data, folds, score types and workflow.
public struct Question: Sendable, Equatable {
    /// What is predicted.
    public enum Kind: String, Sendable, Equatable {
        /// Class probabilities, one column per label.
        case classification
        /// One value per row.
        case regression
    }

    /// Short name, used in paths and output (`[a-z0-9_-]+`).
    public let name: String
    public let kind: Kind
    /// Class labels in column order (classification only). The second label is the positive
    /// class of binary score types (ROC AUC, F1).
    public let labels: [String]
    /// Name of the id column of every CSV file.
    public let idColumn: String
    /// Name of the target column in the training and test files.
    public let targetColumn: String
    /// Score type names; the first is the official one that ranks the leaderboard.
    public let scoreTypes: [String]
    /// How the public training rows are split into cross-validation folds.
    public let folds: FoldScheme
    /// Paths (relative to the tree's root) a submission must contain to be evaluated on this question.
    public let requiredFiles: [String]
    /// Public training rows with the target, relative to the hub home.
    public let trainData: String
    /// Private test rows with the target, relative to the hub home; never enters a sandbox.
    public let testData: String
    /// Where the starting kit holds the public training data (copied there by `forkboard
    /// init`), relative to the kit; `forkboard evaluate` reads them there. For a question of
    /// one table, the training file's copy; with ``tables`` or ``fileDirectories``, a
    /// directory that holds each training file and file directory under its own base name.
    public let startingKitData: String?
    /// Further tables keyed by the id column, with any number of rows per object (see
    /// docs/data.md); empty for a question of one table.
    public let tables: [ObjectTable]
    /// Directories of per-object files, each named by its object's id (see docs/data.md).
    public let fileDirectories: [ObjectFileDirectory]
    /// Labels that only test objects may have (PLAsTiCC's class 99): predictions still need
    /// their columns; a training object with one is refused by `challenge check`.
    public let unseenLabels: [String]
    /// The class weights of `plasticc_log_loss`, one per label in label order (nil: all 1);
    /// declared as `{name: plasticc_log_loss, class_weights: {LABEL: WEIGHT, ...}}` in
    /// `score_types`.
    public let classWeights: [Double]?
    /// How the test objects are split into shards, each predicted by its own sandboxed run
    /// (`test_shards` in challenge.yaml); nil: each fold's one predict run predicts its
    /// validation objects and every test object together.
    public let testShards: TestShards?
    /// Command run in the sandbox to train, as an argument vector (the first is looked up in
    /// the sandbox's PATH, which starts with the runtime's `bin`).
    public let trainCommand: [String]
    /// Command run in the sandbox to predict.
    public let predictCommand: [String]
    /// For a predictions-only question (Kaggle style): the path, in the submission's tree, of
    /// a predictions file for the test rows, scored directly; nothing runs. Nil for a code
    /// question.
    public let predictionsFile: String?

    public init(
        name: String, kind: Kind, labels: [String], idColumn: String, targetColumn: String,
        scoreTypes: [String], folds: FoldScheme, requiredFiles: [String], trainData: String,
        testData: String, trainCommand: [String], predictCommand: [String], predictionsFile: String? = nil,
        startingKitData: String? = nil, scorePrograms: [ScoreProgram] = [], tables: [ObjectTable] = [],
        fileDirectories: [ObjectFileDirectory] = [], unseenLabels: [String] = [], classWeights: [Double]? = nil,
        testShards: TestShards? = nil
    ) {
        self.scorePrograms = scorePrograms
        self.testShards = testShards
        self.classWeights = classWeights
        self.tables = tables
        self.fileDirectories = fileDirectories
        self.unseenLabels = unseenLabels
        self.name = name
        self.kind = kind
        self.labels = labels
        self.idColumn = idColumn
        self.targetColumn = targetColumn
        self.scoreTypes = scoreTypes
        self.folds = folds
        self.requiredFiles = requiredFiles
        self.trainData = trainData
        self.testData = testData
        self.trainCommand = trainCommand
        self.predictCommand = predictCommand
        self.predictionsFile = predictionsFile
        self.startingKitData = startingKitData
    }

    /// The same question with other folds.
    public func withFolds(_ folds: FoldScheme) -> Question {
        Question(
            name: name, kind: kind, labels: labels, idColumn: idColumn, targetColumn: targetColumn, scoreTypes: scoreTypes,
            folds: folds, requiredFiles: requiredFiles, trainData: trainData, testData: testData, trainCommand: trainCommand,
            predictCommand: predictCommand, predictionsFile: predictionsFile, startingKitData: startingKitData,
            scorePrograms: scorePrograms, tables: tables, fileDirectories: fileDirectories, unseenLabels: unseenLabels,
            classWeights: classWeights, testShards: testShards)
    }

    /// True when the question's data are more than one table of objects: further tables or
    /// per-object files.
    public var hasSeveralFiles: Bool { !tables.isEmpty || !fileDirectories.isEmpty }

    /// True for a predictions-only question: ranked by its test score, having no cross-validation.
    public var isPredictionsOnly: Bool { predictionsFile != nil }

    /// The official score type: the first listed.
    public var officialScoreType: String { scoreTypes[0] }

    /// The organisers' score programs among ``scoreTypes``.
    public let scorePrograms: [ScoreProgram]

    /// The score program called `name`, or nil for a built-in score type.
    public func scoreProgram(named name: String) -> ScoreProgram? {
        scorePrograms.first { $0.name == name }
    }

    /// Whether a smaller value of `scoreType` is better: the program's declaration, or the
    /// built-in score type's; false for an unknown name.
    public func isLowerBetter(_ scoreType: String) -> Bool {
        scoreProgram(named: scoreType)?.isLowerBetter ?? (try? ScoreTypes.named(scoreType).isLowerBetter) ?? false
    }

    /// The built-in score type called `name`, with the question's parameters (the class
    /// weights of `plasticc_log_loss`).
    /// - Throws: `ScoreTypeError.unknownScoreType` for a name that is no built-in score type.
    public func scoreType(named name: String) throws -> any ScoreType {
        if name == "plasticc_log_loss", let classWeights { return PlasticcLogLoss(classWeights: classWeights) }
        return try ScoreTypes.named(name)
    }

    /// The built-in score types among ``scoreTypes``, in order: what the hub computes itself.
    public var builtInScoreTypes: [String] { scoreTypes.filter { scoreProgram(named: $0) == nil } }

    /// The score type contributivity blends by: the official one when it is built in, else the
    /// first built-in one; nil when every score type is a program (blending calls a score
    /// thousands of times: a program per call would take hours).
    public var blendingScoreType: String? { builtInScoreTypes.first }
}

/// How a question's test objects are split into shards: consecutive runs of objects in the
/// test objects file's order, each predicted by each fold's model in its own sandboxed run
/// (on any worker, or as a task of a Slurm job array).
public enum TestShards: Sendable, Equatable {
    /// This many shards of (almost) equal size.
    case count(Int)
    /// Shards of this many objects (the last one may hold fewer).
    case objectsPerShard(Int)

    /// The test objects (indices in the test objects file's order) of each shard, for
    /// `objects` test objects; never an empty shard.
    public func ranges(objects: Int) -> [Range<Int>] {
        guard objects > 0 else { return [] }
        switch self {
        case .count(let count):
            let shards = max(1, min(count, objects))
            return (0..<shards).map { ($0 * objects / shards)..<(($0 + 1) * objects / shards) }
        case .objectsPerShard(let size):
            return stride(from: 0, to: objects, by: max(1, size)).map { $0..<min($0 + max(1, size), objects) }
        }
    }
}

/// A table of a question's data keyed by the question's id column, with any number of rows
/// per object (light-curve observations, visits, ...), one file per split. A sandboxed step
/// finds its objects' rows in `/input/<name>.csv`.
public struct ObjectTable: Sendable, Equatable {
    /// `[a-z0-9_]{1,40}`, neither `train` nor `predict`; unique within the question.
    public let name: String
    /// The training objects' rows, relative to the hub home (public).
    public let train: String
    /// The test objects' rows, relative to the hub home (private).
    public let test: String

    public init(name: String, train: String, test: String) {
        self.name = name
        self.train = train
        self.test = test
    }
}

/// A directory of per-object files (arrays, images, spectra), one per split, each file named
/// `<id><suffix>`. A sandboxed step finds its objects' files in `/input/<name>/`.
public struct ObjectFileDirectory: Sendable, Equatable {
    /// `[a-z0-9_]{1,40}`, neither `train` nor `predict`; unique within the question.
    public let name: String
    /// The training objects' files, relative to the hub home (public).
    public let train: String
    /// The test objects' files, relative to the hub home (private).
    public let test: String
    /// What follows the id in each file's name (`.npy`), possibly empty.
    public let suffix: String

    public init(name: String, train: String, test: String, suffix: String) {
        self.name = name
        self.train = train
        self.test = test
        self.suffix = suffix
    }
}

/// An organisers' score type as a program: run in the sandbox with the hub's limits, it reads
/// the truth (`FORKBOARD_TRUTH`: id and target columns) and the predictions
/// (`FORKBOARD_PREDICTIONS`: the format the submission wrote), both CSV, and prints one
/// finite number, its last line of output. Its files live in the hub's `scoring/` directory.
public struct ScoreProgram: Sendable, Equatable {
    public let name: String
    /// The command, run in `/challenge` where the hub's `scoring/` is mounted as `scoring/`.
    public let command: [String]
    public let isLowerBetter: Bool

    public init(name: String, command: [String], isLowerBetter: Bool) {
        self.name = name
        self.command = command
        self.isLowerBetter = isLowerBetter
    }
}

/// A cross-validation scheme with a fixed seed, so that every submission sees the same folds.
public struct FoldScheme: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        /// K disjoint validation parts of (almost) equal size, after a seeded shuffle.
        case kFold = "kfold"
        /// Like K-fold, but each class is spread evenly over the folds.
        case stratifiedKFold = "stratified_kfold"
        /// `count` independent random splits, each with `validationFraction` of the rows held out.
        case shuffleSplit = "shuffle_split"
        /// The folds listed in ``FoldScheme/file`` (for a RAMP kit: what its `get_cv` gave),
        /// the first `count` of them.
        case explicit
    }

    public let method: Method
    /// Number of folds (K), at least 2 for K-fold schemes.
    public let count: Int
    /// Seed of the shuffle.
    public let seed: UInt64
    /// Fraction of rows held out per split, in (0, 1); shuffle-split only.
    public let validationFraction: Double
    /// Explicit folds only: a JSON file beside the training rows' file, a list of
    /// `{"train": [row, ...], "valid": [row, ...]}` with 0-based indices into the training
    /// rows; training rows are given to the submission in the listed order.
    public let file: String?

    public init(method: Method, count: Int, seed: UInt64, validationFraction: Double = 0.2, file: String? = nil) {
        self.method = method
        self.count = count
        self.seed = seed
        self.validationFraction = validationFraction
        self.file = file
    }

    /// The same scheme with `count` folds (the first ones, for explicit folds).
    public func withCount(_ count: Int) -> FoldScheme {
        FoldScheme(method: method, count: count, seed: seed, validationFraction: validationFraction, file: file)
    }
}

extension Question {
    /// Each public training file and file directory of the question with where the starting
    /// kit holds its copy (relative to the kit): for a question of one table, its training
    /// file at ``startingKitData``; with tables or file directories, each under its own base
    /// name in the directory ``startingKitData``. Empty when the question names no place in
    /// the kit.
    public var startingKitCopies: [(hubPath: String, kitPath: String)] {
        guard let kitPath = startingKitData else { return [] }
        guard hasSeveralFiles else { return [(trainData, kitPath)] }
        func inKit(_ path: String) -> String {
            (kitPath as NSString).appendingPathComponent((path as NSString).lastPathComponent)
        }
        return [(trainData, inKit(trainData))] + tables.map { ($0.train, inKit($0.train)) }
            + fileDirectories.map { ($0.train, inKit($0.train)) }
    }
}
