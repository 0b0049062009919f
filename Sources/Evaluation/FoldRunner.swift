import Challenge
import Foundation
import Ledger
import ScoreTypes

/// Runs a question's folds on a submission's tree: for each fold, `train` then `predict` in
/// the sandbox, then per-fold scores on the validation rows (and on the test rows when the
/// data has any), then bagged scores. Used by the hub's evaluations and by
/// `forkboard evaluate` (public training rows only).
public struct FoldRunner: Sendable {
    public let sandbox: Sandbox
    /// Mounted read-only at `/harness`.
    public let harnessDirectory: URL
    /// Where the fold input files are written once per question and fold.
    public let inputCacheDirectory: URL
    /// Changes when the data files change, so that stale input files are rewritten.
    public let inputStamp: String

    public init(sandbox: Sandbox, harnessDirectory: URL, inputCacheDirectory: URL, inputStamp: String) {
        self.sandbox = sandbox
        self.harnessDirectory = harnessDirectory
        self.inputCacheDirectory = inputCacheDirectory
        self.inputStamp = inputStamp
    }

    /// Runs every fold on `tree` (mounted read-only at `/submission`), writing logs, models and
    /// predictions under `runDirectory`. Never throws: failures become error states.
    public func run(tree: URL, data: QuestionData, runDirectory: URL, evaluationID: Int64,
                    progress: Evaluator.Progress) async -> EvaluationOutcome {
        let question = data.question
        let labelsJSON = String(decoding: (try? JSONEncoder().encode(question.labels)) ?? Data("[]".utf8), as: UTF8.self)
        let commonEnvironment = [
            "FORKBOARD_LABELS": labelsJSON,
            "FORKBOARD_ID_COLUMN": question.idColumn,
            "FORKBOARD_TARGET_COLUMN": question.targetColumn,
            "FORKBOARD_QUESTION": question.name,
        ]
        var foldRuns: [FoldRunRecord] = []
        var foldScores: [FoldScoreRecord] = []
        var validationPredictions: [Predictions] = []
        var testPredictions: [Predictions] = []
        var log = ""
        for (index, fold) in data.folds.enumerated() {
            guard await progress(.training) else { return EvaluationOutcome(state: .cancelled, log: "stopped") }
            let foldDirectory = runDirectory.appendingPathComponent("fold-\(index)")
            let modelDirectory = foldDirectory.appendingPathComponent("model")
            let outputDirectory = foldDirectory.appendingPathComponent("output")
            let inputDirectory: URL
            do {
                try FileManager.default.createDirectory(at: modelDirectory, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
                inputDirectory = try FoldInputs.prepare(data: data, fold: index, cacheDirectory: inputCacheDirectory, stamp: inputStamp)
            } catch {
                return .infrastructureFailure("the hub could not prepare fold \(index): \(error)")
            }
            // Each step sees only its own input file: training never sees the rows (validation
            // and test features) it will be asked to predict.
            let common = [
                Sandbox.Mount(hostPath: tree.path, sandboxPath: "/submission"),
                Sandbox.Mount(hostPath: harnessDirectory.path, sandboxPath: "/harness"),
            ]
            let trainInput = Sandbox.Mount(hostPath: inputDirectory.appendingPathComponent("train.csv").path, sandboxPath: "/input/train.csv")
            let predictInput = Sandbox.Mount(hostPath: inputDirectory.appendingPathComponent("predict.csv").path, sandboxPath: "/input/predict.csv")
            let train: SandboxResult
            do {
                train = try await sandbox.run(
                    command: question.trainCommand,
                    mounts: common + [trainInput, Sandbox.Mount(hostPath: modelDirectory.path, sandboxPath: "/model", writable: true)],
                    workingDirectory: "/submission",
                    environment: commonEnvironment.merging(["FORKBOARD_TRAIN": "/input/train.csv", "FORKBOARD_MODEL_DIR": "/model"]) { $1 })
            } catch {
                return .infrastructureFailure("the hub could not start the sandbox: \(error)")
            }
            try? Data(train.outputTail.utf8).write(to: foldDirectory.appendingPathComponent("train.log"))
            guard train.ending == .succeeded else {
                return EvaluationOutcome(state: .trainingError, log: log + "fold \(index): train \(train.summary)\n" + train.outputTail)
            }
            guard await progress(.testing) else { return EvaluationOutcome(state: .cancelled, log: "stopped") }
            let predict: SandboxResult
            do {
                predict = try await sandbox.run(
                    command: question.predictCommand,
                    mounts: common + [
                        predictInput,
                        Sandbox.Mount(hostPath: modelDirectory.path, sandboxPath: "/model"),
                        Sandbox.Mount(hostPath: outputDirectory.path, sandboxPath: "/output", writable: true),
                    ],
                    workingDirectory: "/submission",
                    environment: commonEnvironment.merging([
                        "FORKBOARD_INPUT": "/input/predict.csv",
                        "FORKBOARD_MODEL_DIR": "/model",
                        "FORKBOARD_PREDICTIONS": "/output/predictions.csv",
                    ]) { $1 })
            } catch {
                return .infrastructureFailure("the hub could not start the sandbox: \(error)")
            }
            try? Data(predict.outputTail.utf8).write(to: foldDirectory.appendingPathComponent("predict.log"))
            guard predict.ending == .succeeded else {
                return EvaluationOutcome(state: .testingError, log: log + "fold \(index): predict \(predict.summary)\n" + predict.outputTail)
            }
            foldRuns.append(FoldRunRecord(
                evaluationID: evaluationID, fold: index, trainSeconds: train.wallSeconds, testSeconds: predict.wallSeconds,
                trainCPUSeconds: train.cpuSeconds, testCPUSeconds: predict.cpuSeconds,
                trainPeakMemoryBytes: train.peakMemoryBytes, testPeakMemoryBytes: predict.peakMemoryBytes))
            log += String(format: "fold %d: train %.2f s, predict %.2f s\n", index, train.wallSeconds, predict.wallSeconds)
            do {
                let validationIDs = fold.validationRows.map { data.trainIDs[$0] }
                let predictions = try PredictionsReader.read(
                    outputDirectory.appendingPathComponent("predictions.csv"), question: question,
                    expectedIDs: validationIDs + data.testIDs)
                let (validation, test) = Scorer.split(predictions, at: validationIDs.count)
                validationPredictions.append(validation)
                testPredictions.append(test)
                let validationTruth = data.trainTruth(rows: fold.validationRows)
                for (name, value) in try Scorer.scores(question.scoreTypes, truth: validationTruth, predictions: validation) {
                    foldScores.append(FoldScoreRecord(evaluationID: evaluationID, fold: index, split: .valid, scoreType: name, value: value))
                }
                for (split, name, value) in try Scorer.testScores(question.scoreTypes, data: data, predictions: test) {
                    foldScores.append(FoldScoreRecord(evaluationID: evaluationID, fold: index, split: split, scoreType: name, value: value))
                }
            } catch {
                return EvaluationOutcome(state: .scoringError, log: log + "fold \(index): \(error)", foldRuns: foldRuns)
            }
        }
        do {
            let bagged = try Scorer.baggedScores(data: data, validation: validationPredictions, test: testPredictions, evaluationID: evaluationID)
            return EvaluationOutcome(state: .scored, log: log, foldRuns: foldRuns, foldScores: foldScores, baggedScores: bagged)
        } catch {
            return EvaluationOutcome(state: .scoringError, log: log + "bagging: \(error)", foldRuns: foldRuns)
        }
    }
}
