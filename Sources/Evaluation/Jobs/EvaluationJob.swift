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
    public var limits: Limits
    public var runtime: Runtime

    public init(name: String, question: String, trainCommand: [String], predictCommand: [String], environment: [String: String],
                foldCount: Int, limits: Limits, runtime: Runtime) {
        self.name = name
        self.question = question
        self.trainCommand = trainCommand
        self.predictCommand = predictCommand
        self.environment = environment
        self.foldCount = foldCount
        self.limits = limits
        self.runtime = runtime
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
/// fold-<k>/progress   the step of the fold that started last (train, predict)
/// fold-<k>/report.json  the fold's JobReport, when a job array runs one task per fold
/// report.json         the JobReport, written when the job ends
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
    /// A batch executor's files: its script and the scheduler's output.
    public var batch: URL { url.appendingPathComponent("batch") }

    /// The directory of fold `index`.
    public func fold(_ index: Int) -> Fold { Fold(url: url.appendingPathComponent("fold-\(index)")) }

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

    /// One fold's steps; `predict` is nil when `train` did not succeed.
    public struct Fold: Codable, Sendable, Equatable {
        public var fold: Int
        public var train: SandboxResult
        public var predict: SandboxResult?
    }

    public var folds: [Fold]

    public init(folds: [Fold]) {
        self.folds = folds
    }

    /// The first step that did not succeed, or nil when every fold's steps did.
    public var failure: (fold: Int, step: Step, result: SandboxResult)? {
        for fold in folds {
            if fold.train.ending != .succeeded { return (fold.fold, .train, fold.train) }
            guard let predict = fold.predict else { return (fold.fold, .predict, fold.train) }
            if predict.ending != .succeeded { return (fold.fold, .predict, predict) }
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
