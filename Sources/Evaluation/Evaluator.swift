import Challenge
import Foundation
import Git
import Ledger
import ScoreTypes

/// Evaluates one submission on one question: for each fold, `train` then `predict` in the
/// sandbox, then scores on the fold's validation rows and on the test rows, then bagged
/// scores, as DESIGN.md's workflow contract says.
public struct Evaluator: Sendable {
    public let context: EvaluationContext

    public init(context: EvaluationContext) {
        self.context = context
    }

    /// Called when the evaluation moves to a new state (training, testing); returns false
    /// when the evaluation must stop (its lease was lost or it was cancelled).
    public typealias Progress = @Sendable (EvaluationState) async -> Bool

    /// Runs the evaluation and returns its outcome; never throws: every failure becomes an
    /// error state with a readable log.
    /// - Parameters:
    ///   - evaluationID: the ledger id, stored in the returned records.
    public func evaluate(evaluationID: Int64, team: String, submission: String, commitID: String,
                         question: Question, progress: Progress) async -> EvaluationOutcome {
        let runDirectory = context.runDirectory(team: team, submission: submission, question: question.name)
        let treeDirectory = runDirectory.appendingPathComponent("tree")
        let data: QuestionData
        do {
            try? FileManager.default.removeItem(at: runDirectory)
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
            data = try QuestionData.load(hubHome: context.hubHome, question: question)
        } catch {
            return .infrastructureFailure("the hub could not prepare the evaluation: \(error)")
        }
        do {
            let repository = try Repository.open(at: context.ledgerRepository.path)
            guard let commitObject = ObjectID(hex: commitID) else {
                return EvaluationOutcome(state: .checkingError, log: "invalid commit id \(commitID)")
            }
            let commit = try repository.commit(commitObject)
            try repository.export(tree: commit.treeID, to: treeDirectory)
        } catch let error as TreeExportError {
            return EvaluationOutcome(state: .checkingError, log: "the submission's tree cannot be evaluated: \(error)")
        } catch {
            return .infrastructureFailure("the hub could not read the submission from the ledger: \(error)")
        }
        let sandbox = context.sandbox
        let stamp = FoldInputs.stamp(hubHome: context.hubHome, question: question)
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
                inputDirectory = try FoldInputs.prepare(data: data, fold: index, cacheDirectory: context.inputCacheDirectory, stamp: stamp)
            } catch {
                return .infrastructureFailure("the hub could not prepare fold \(index): \(error)")
            }
            let common = [
                Sandbox.Mount(hostPath: treeDirectory.path, sandboxPath: "/submission"),
                Sandbox.Mount(hostPath: context.harnessDirectory.path, sandboxPath: "/harness"),
                Sandbox.Mount(hostPath: inputDirectory.path, sandboxPath: "/input"),
            ]
            let train: SandboxResult
            do {
                train = try await sandbox.run(
                    command: question.trainCommand,
                    mounts: common + [Sandbox.Mount(hostPath: modelDirectory.path, sandboxPath: "/model", writable: true)],
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
                for (name, value) in try Scorer.scores(question.scoreTypes, truth: data.testTruth, predictions: test) {
                    foldScores.append(FoldScoreRecord(evaluationID: evaluationID, fold: index, split: .test, scoreType: name, value: value))
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
