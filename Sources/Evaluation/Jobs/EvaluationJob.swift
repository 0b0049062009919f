import Challenge
import Foundation

/// A self-contained evaluation job: what to run (a question's `train` and `predict` commands
/// on a submission's tree, fold by fold), with which limits and runtime. Everything a job
/// reads is in its ``JobDirectory`` (the tree, the harness, each fold's input files), and
/// everything it produces is written there (models, predictions, logs, ``JobReport``), so an
/// executor may run it on another machine that shares the directory. The test labels and the
/// validation targets are never in it: the hub scores what the job predicted.
///
/// Written as `job.json` in the job directory.
public struct EvaluationJob: Codable, Sendable, Equatable {
    /// A name for logs and schedulers, for example `alice/logreg-v2 on diagnosis`.
    public var name: String
    /// The question evaluated.
    public var question: String
    /// Run in `/submission` with the fold's training objects at `FORKBOARD_TRAIN` (in the input
    /// directory `FORKBOARD_INPUT_DIRECTORY`) and a writable `FORKBOARD_MODEL_DIR`.
    public var trainCommand: [String]
    /// Run in `/submission` with the objects to predict at `FORKBOARD_INPUT` (in the input
    /// directory `FORKBOARD_INPUT_DIRECTORY`), the read-only model and `FORKBOARD_PREDICTIONS`
    /// to write.
    public var predictCommand: [String]
    /// Variables every step sees (labels, id and target columns, question name).
    public var environment: [String: String]
    /// Folds, each with its input files in `fold-<k>/input/`.
    public var foldCount: Int
    /// Test shards, each with its input files in `shards/shard-<s>/input/`, predicted by each
    /// fold's model in its own run; nil when each fold's predict run predicts every test
    /// object with its validation objects.
    public var testShardCount: Int?
    public var limits: Limits
    public var runtime: Runtime

    public init(
        name: String, question: String, trainCommand: [String], predictCommand: [String], environment: [String: String],
        foldCount: Int, testShardCount: Int? = nil, limits: Limits, runtime: Runtime
    ) {
        self.name = name
        self.question = question
        self.trainCommand = trainCommand
        self.predictCommand = predictCommand
        self.environment = environment
        self.foldCount = foldCount
        self.testShardCount = testShardCount
        self.limits = limits
        self.runtime = runtime
    }

    /// Every task of the job, in an order that runs each after what it needs: per fold, train,
    /// predict, then each test shard.
    public var tasks: [JobTask] {
        (0..<foldCount).flatMap { fold in
            [JobTask.train(fold: fold), .predict(fold: fold)] + (0..<(testShardCount ?? 0)).map { JobTask.predictShard(fold: fold, shard: $0) }
        }
    }

    /// The variables of every step of `question`'s runs.
    public static func environment(of question: Question) -> [String: String] {
        let labels = String(decoding: (try? JSONEncoder().encode(question.labels)) ?? Data("[]".utf8), as: UTF8.self)
        return [
            "FORKBOARD_LABELS": labels,
            "FORKBOARD_ID_COLUMN": question.idColumn,
            "FORKBOARD_TARGET_COLUMN": question.targetColumn,
            "FORKBOARD_QUESTION": question.name,
        ]
    }
}

/// The layout of a job's directory:
/// ```
/// job.json            the EvaluationJob
/// tree/               the submission's files (mounted read-only at /submission)
/// harness/            the challenge's harness (read-only at /harness)
/// fold-<k>/input/     train/ and predict/: each step's input directory, mounted at /input
///                     (train.csv or predict.csv, the tables and per-object files of its
///                     objects: docs/data.md); each step sees only its own
/// fold-<k>/model/     written by train, read by predict
/// fold-<k>/output/    predictions.csv, written by predict
/// fold-<k>/train.log, predict.log   the tail of each step's output
/// fold-<k>/train.json, predict.json  how each step ended (a SandboxResult)
/// fold-<k>/shard-<s>/ output/predictions.csv, predict.log, predict.json: test shard <s>
///                     predicted by the fold's model (sharded questions)
/// shards/shard-<s>/input/  test shard <s>'s input directory, shared by the folds
/// fold-<k>/progress   the step of the fold that started last (train, predict)
/// fold-<k>/report.json  the fold's JobReport, when a job array runs one task per fold
/// report.json         the JobReport, written when the job ends
/// fold-<k>/validation.predictions, test.predictions  what is kept after scoring (the
///                     submission's predictions files are then removed)
/// batch/              a batch scheduler's files (the script, its output)
/// ```
public struct JobDirectory: Sendable, Equatable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    public var specificationFile: URL { url.appendingPathComponent("job.json") }
    public var tree: URL { url.appendingPathComponent("tree") }
    public var harness: URL { url.appendingPathComponent("harness") }
    public var reportFile: URL { url.appendingPathComponent("report.json") }
    /// The bagged test predictions (the fold models' mean), kept after scoring
    /// (``StoredPredictions``, 32-bit).
    public var storedTestPredictions: URL { url.appendingPathComponent("test.predictions") }
    /// A batch executor's files: its script and the scheduler's output.
    public var batch: URL { url.appendingPathComponent("batch") }

    /// The directory of fold `index`.
    public func fold(_ index: Int) -> Fold { Fold(url: url.appendingPathComponent("fold-\(index)")) }

    /// The input directory of test shard `index`, shared by the folds.
    public func shardInput(_ index: Int) -> URL { url.appendingPathComponent("shards/shard-\(index)/input") }

    /// Where `task` writes its predictions, its log and how it ended.
    public func place(of task: JobTask) -> TaskPlace {
        switch task {
        case .train(let fold): TaskPlace(directory: self.fold(fold).url, step: .train)
        case .predict(let fold): TaskPlace(directory: self.fold(fold).url, step: .predict)
        case .predictShard(let fold, let shard): TaskPlace(directory: self.fold(fold).url.appendingPathComponent("shard-\(shard)"), step: .predict)
        }
    }

    /// A task's files: `output/predictions.csv`, `<step>.log`, `<step>.json`.
    public struct TaskPlace: Sendable {
        public let directory: URL
        public let step: JobReport.Step
        public var output: URL { directory.appendingPathComponent("output") }
        public var predictions: URL { output.appendingPathComponent("predictions.csv") }
        public var log: URL { directory.appendingPathComponent("\(step.rawValue).log") }
        public var result: URL { directory.appendingPathComponent("\(step.rawValue).json") }
        /// Present while the task runs.
        public var running: URL { directory.appendingPathComponent("\(step.rawValue).running") }
    }

    /// Where a job's task is.
    public enum TaskState: String, Sendable, Codable {
        case queued, running, succeeded, failed
    }

    /// Each task of the job with where it is, from the job's files (what any machine running
    /// it wrote), in the job's order; empty before the job is prepared.
    public func taskProgress() -> [(task: JobTask, state: TaskState)] {
        guard let job = try? specification() else { return [] }
        return job.tasks.map { task in
            let place = place(of: task)
            if let data = try? Data(contentsOf: place.result), let result = try? JSONDecoder().decode(SandboxResult.self, from: data) {
                return (task, result.ending == .succeeded ? .succeeded : .failed)
            }
            return (task, FileManager.default.fileExists(atPath: place.running.path) ? .running : .queued)
        }
    }

    /// One fold's files.
    public struct Fold: Sendable, Equatable {
        public let url: URL
        public var input: URL { url.appendingPathComponent("input") }
        /// The train step's input directory (`train.csv`, tables, files).
        public var trainInput: URL { input.appendingPathComponent("train") }
        /// The predict step's input directory (`predict.csv`, tables, files).
        public var predictInput: URL { input.appendingPathComponent("predict") }
        public var model: URL { url.appendingPathComponent("model") }
        public var output: URL { url.appendingPathComponent("output") }
        public var predictions: URL { output.appendingPathComponent("predictions.csv") }
        public func log(_ step: JobReport.Step) -> URL { url.appendingPathComponent("\(step.rawValue).log") }
        public var progress: URL { url.appendingPathComponent("progress") }
        /// The fold's validation predictions, kept after scoring for contributivity
        /// (``StoredPredictions``, 64-bit), apart from the test predictions.
        public var storedValidationPredictions: URL { url.appendingPathComponent("validation.predictions") }
        public var report: URL { url.appendingPathComponent("report.json") }

        /// Writes that `step` started (best effort: progress is only shown).
        func recordProgress(_ step: JobReport.Step) {
            try? Data(step.rawValue.utf8).write(to: progress, options: .atomic)
        }

        /// The step that started last, or nil before the fold started.
        public func lastStartedStep() -> JobReport.Step? {
            guard let data = try? Data(contentsOf: progress) else { return nil }
            return JobReport.Step(rawValue: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Reads `job.json`.
    /// - Throws: a Foundation error when it is missing or not a job.
    public func specification() throws -> EvaluationJob {
        try JSONDecoder().decode(EvaluationJob.self, from: Data(contentsOf: specificationFile))
    }

    /// Reads `report.json`, or nil when the job has not ended.
    /// - Throws: a Foundation error when it exists but cannot be read.
    public func report() throws -> JobReport? {
        guard FileManager.default.fileExists(atPath: reportFile.path) else { return nil }
        return try JSONDecoder().decode(JobReport.self, from: Data(contentsOf: reportFile))
    }

    /// Writes `value` as JSON at `file`, atomically.
    func write<Value: Encodable>(_ value: Value, to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: file, options: .atomic)
    }
}

/// What a job did: each fold's steps with how they ended and what they used, in order, up to
/// the first step that did not succeed.
public struct JobReport: Codable, Sendable, Equatable {
    /// A step of a fold.
    public enum Step: String, Codable, Sendable { case train, predict }

    /// One fold's steps; `predict` is nil when `train` did not succeed; `shards` holds each
    /// test shard's predict run, up to the first that did not succeed (sharded questions).
    public struct Fold: Codable, Sendable, Equatable {
        public var fold: Int
        public var train: SandboxResult
        public var predict: SandboxResult?
        public var shards: [SandboxResult]?

        public init(fold: Int, train: SandboxResult, predict: SandboxResult?, shards: [SandboxResult]? = nil) {
            self.fold = fold
            self.train = train
            self.predict = predict
            self.shards = shards
        }
    }

    public var folds: [Fold]

    public init(folds: [Fold]) {
        self.folds = folds
    }

    /// A step that did not succeed: its fold, its step, its test shard (nil for the fold's own
    /// runs) and how it ended.
    public struct Failure: Sendable {
        public let fold: Int
        public let step: Step
        public let shard: Int?
        public let result: SandboxResult

        /// `fold 0: predict` or `fold 0, test shard 3: predict`.
        public var place: String { "fold \(fold)\(shard.map { ", test shard \($0)" } ?? ""): \(step.rawValue)" }
    }

    /// The first step that did not succeed, or nil when every fold's steps did (for a sharded
    /// job, `shardCount` shards each).
    public func failure(shardCount: Int? = nil) -> Failure? {
        for fold in folds {
            if fold.train.ending != .succeeded { return Failure(fold: fold.fold, step: .train, shard: nil, result: fold.train) }
            guard let predict = fold.predict else { return Failure(fold: fold.fold, step: .predict, shard: nil, result: fold.train) }
            if predict.ending != .succeeded { return Failure(fold: fold.fold, step: .predict, shard: nil, result: predict) }
            for (index, shard) in (fold.shards ?? []).enumerated() where shard.ending != .succeeded {
                return Failure(fold: fold.fold, step: .predict, shard: index, result: shard)
            }
            if let shardCount, (fold.shards?.count ?? 0) < shardCount {
                return Failure(fold: fold.fold, step: .predict, shard: fold.shards?.count ?? 0, result: predict)
            }
        }
        return nil
    }
}

/// The job could not run through no fault of the submission (the hub's or the executor's).
public struct JobError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
