import Challenge
import Evaluation
import Foundation
import Git
import Host
import ScoreTypes

/// `forkboard evaluate`: runs exactly the hub's evaluation (same harness, folds, sandbox and
/// scoring) on a working tree or a commit, on the public training rows only: cross-validation,
/// no test rows. What ramp-workflow's `ramp-test` gives RAMP users.
public struct LocalEvaluation {
    /// The starting kit's folder with challenge.yaml and the harness for local evaluation.
    public static let directoryName = ".forkboard"

    /// Where the challenge comes from.
    public enum Source {
        /// A hub home: its challenge.yaml, harness, runtime and public training data.
        case hub(Hub)
        /// A starting kit (or a participant's clone): `<kit>/.forkboard/` and the kit's data,
        /// with the runtime found from `python`.
        case startingKit(URL, python: String)
    }

    public let source: Source
    public let quick: Bool

    public init(source: Source, quick: Bool) {
        self.source = source
        self.quick = quick
    }

    /// The result of one question.
    public struct Result {
        public let question: Question
        public let outcome: EvaluationResult
        /// How many objects each fold trained on and predicted, in fold order.
        public var foldObjects: [(train: Int, predict: Int)] = []
        /// A predict run of fold 0's model on a single object: what a run costs whatever its
        /// size (the sandbox and the interpreter starting, the model read); nil when not
        /// measured or when the evaluation failed.
        public var smallestRun: SandboxResult?
    }

    /// Whether to measure, after a scored question, a predict run on one object
    /// (``Result/smallestRun``), for ``CostProjection``.
    public var measuresSmallestRun = false

    /// Evaluates `tree` (a directory) on `questionName` (default: every question whose required
    /// files the tree holds).
    /// - Throws: ``ChallengeError`` for a bad configuration, ``HubError`` when nothing applies,
    ///   ``QuestionData/DataError`` for bad data; evaluation failures are results, not errors.
    public func run(tree: URL, questionName: String?) async throws -> [Result] {
        let challenge: ChallengeConfiguration
        let runtime: Runtime
        let harness: URL
        let dataRoot: URL
        switch source {
        case .hub(let hub):
            challenge = hub.challenge
            runtime = hub.challenge.runtime!
            harness = hub.paths.harness
            dataRoot = hub.home
        case .startingKit(let kit, let python):
            let local = kit.appendingPathComponent(Self.directoryName)
            guard FileManager.default.fileExists(atPath: local.appendingPathComponent("challenge.yaml").path) else {
                throw HubError.notAStartingKit(kit.path)
            }
            challenge = try ChallengeConfiguration.load(from: local.appendingPathComponent("challenge.yaml"))
            let probed = try await RuntimeProbe.probe(python: python)
            runtime =
                RuntimeProbe.Result(
                    binDirectory: probed.binDirectory,
                    readOnlyPaths: probed.readOnlyPaths + (challenge.runtime?.readOnlyPaths ?? [])
                ).runtime
            harness = local.appendingPathComponent("harness")
            dataRoot = kit
        }
        let fileManager = FileManager.default
        var questions = challenge.questions.filter { question in
            !question.isPredictionsOnly && question.requiredFiles.allSatisfy { fileManager.fileExists(atPath: tree.appendingPathComponent($0).path) }
        }
        if let questionName {
            guard let named = challenge.question(named: questionName) else { throw HubError.unknownQuestion(questionName) }
            questions = [named]
        }
        guard !questions.isEmpty else { throw HubError.nothingToEvaluate(tree.path) }
        let work = fileManager.temporaryDirectory.appendingPathComponent("forkboard-evaluate-\(UUID().uuidString.prefix(8))")
        defer { try? fileManager.removeItem(at: work) }
        var results: [Result] = []
        for var question in questions {
            let files: QuestionFiles =
                if case .hub = source {
                    QuestionFiles(train: QuestionFiles.hub(home: dataRoot, question: question).train, test: nil)
                } else {
                    .startingKit(dataRoot, question: question)
                }
            if quick { question = question.withFolds(question.folds.withCount(2)) }
            var data = try QuestionData.load(files: files, question: question)
            if quick { data = data.quickSubset() }
            let directory = JobDirectory(url: work.appendingPathComponent(question.name))
            let job = EvaluationJob(
                name: "local evaluation on \(question.name)", question: question.name, trainCommand: question.trainCommand,
                predictCommand: question.predictCommand, environment: EvaluationJob.environment(of: question),
                foldCount: data.folds.count, limits: challenge.limits, runtime: runtime)
            let preparation = JobPreparation(
                harnessDirectory: harness, inputCacheDirectory: work.appendingPathComponent("inputs"),
                inputStamp: quick ? "quick" : "full")
            // The working tree is mounted where it is (read-only), not copied.
            try preparation.prepare(job, data: data, in: directory) { target in
                try fileManager.createSymbolicLink(at: target, withDestinationURL: tree.resolvingSymlinksInPath())
            }
            let outcome: EvaluationResult
            do {
                let report = try await LocalExecutor().run(directory) { _, _ in }
                let scored = JobScoring.score(report, directory: directory, data: data)
                // Score programs are the organisers': run with a hub, not in a participant's clone.
                if case .hub(let hub) = source {
                    outcome = try await ProgramScoring(
                        sandbox: Sandbox(runtime: runtime, limits: challenge.limits),
                        scoringDirectory: hub.evaluationContext.scoringDirectory
                    )
                    .addScores(to: scored, directory: directory, data: data)
                } else {
                    outcome = scored
                }
            } catch let error as JobError {
                outcome = .hubFault(error.description)
            }
            var result = Result(question: question, outcome: outcome)
            result.foldObjects = data.folds.map { ($0.trainRows.count, $0.validationRows.count) }
            if measuresSmallestRun, outcome.status == .scored, let first = data.folds.first?.validationRows.first {
                let smallest = work.appendingPathComponent("\(question.name)-smallest")
                try InputCutter.cut(data, into: [.prediction(smallest.appendingPathComponent("input"), objects: [first], testObjects: nil)])
                let output = smallest.appendingPathComponent("output")
                try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
                result.smallestRun = try? await Sandbox(runtime: runtime, limits: challenge.limits).run(
                    command: question.predictCommand,
                    mounts: [
                        Sandbox.Mount(hostPath: directory.tree.path, sandboxPath: "/submission"),
                        Sandbox.Mount(hostPath: directory.harness.path, sandboxPath: "/harness"),
                        Sandbox.Mount(hostPath: smallest.appendingPathComponent("input").path, sandboxPath: "/input"),
                        Sandbox.Mount(hostPath: directory.fold(0).model.path, sandboxPath: "/model"),
                        Sandbox.Mount(hostPath: output.path, sandboxPath: "/output", writable: true),
                    ],
                    workingDirectory: "/submission",
                    environment: EvaluationJob.environment(of: question).merging([
                        "FORKBOARD_INPUT": "/input/predict.csv", "FORKBOARD_INPUT_DIRECTORY": "/input", "FORKBOARD_MODEL_DIR": "/model",
                        "FORKBOARD_PREDICTIONS": "/output/predictions.csv",
                    ]) { $1 })
            }
            results.append(result)
        }
        return results
    }

    /// Exports `revision` of the repository at `path` into a temporary directory.
    /// - Throws: ``GitError`` or ``TreeExportError``.
    public static func export(revision: String, repository path: URL) throws -> URL {
        let repository = try Repository.open(at: path.path)
        let commit = try repository.commit(try repository.resolveCommit(revision))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-tree-\(UUID().uuidString.prefix(8))")
        try repository.export(tree: commit.treeID, to: directory)
        return directory
    }

    /// The per-fold table of one result: fold, train and predict seconds, each validation score,
    /// then the bagged scores.
    public static func table(_ result: Result) -> String {
        let types = result.question.scoreTypes
        var rows: [[String]] = []
        let scores = Dictionary(grouping: result.outcome.foldScores.filter { $0.score.split == .valid }, by: \.fold)
        for run in result.outcome.folds {
            let values = types.map { type in
                scores[run.fold]?.first { $0.score.scoreType == type }.map { String(format: "%.4f", $0.score.value) } ?? ""
            }
            rows.append(["\(run.fold)", String(format: "%.2f", run.train.wallSeconds), String(format: "%.2f", run.testWallSeconds)] + values)
        }
        let bagged = types.map { type in
            result.outcome.baggedScores.first { $0.scoreType == type && $0.split == .valid }.map { String(format: "%.4f", $0.value) } ?? ""
        }
        rows.append(["bagged", "", ""] + bagged)
        return LeaderboardFormatter.table(header: ["fold", "train_s", "predict_s"] + types.map { "valid_\($0)" }, rows: rows)
    }
}
