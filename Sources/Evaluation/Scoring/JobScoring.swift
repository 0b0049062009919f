import Foundation
import ScoreTypes

/// Turns a job's report and predictions into an ``EvaluationResult``: the failing step's
/// account and log tail, or each fold's scores on its validation rows and on the test rows,
/// then the bagged scores. Runs where the truth is (the hub): the job never sees it.
public enum JobScoring {
    /// A fold whose predictions cannot be read.
    public struct FoldFailure: Error, CustomStringConvertible {
        public let fold: Int
        public let error: any Error
        public var description: String { "fold \(fold): \(error)" }
    }

    /// The predictions of each fold of a finished job: on the fold's validation rows, and on
    /// every test row.
    /// - Throws: ``FoldFailure`` with ``PredictionsReader``'s error.
    public static func foldPredictions(directory: JobDirectory, data: QuestionData) throws -> (validation: [Predictions], test: [Predictions]) {
        var validation: [Predictions] = []
        var test: [Predictions] = []
        for (index, fold) in data.folds.enumerated() {
            let validationIDs = fold.validationRows.map { data.trainIDs[$0] }
            do {
                let predictions = try PredictionsReader.read(
                    directory.fold(index).predictions, question: data.question, expectedIDs: validationIDs + data.testIDs)
                let (foldValidation, foldTest) = Scorer.split(predictions, at: validationIDs.count)
                validation.append(foldValidation)
                test.append(foldTest)
            } catch {
                throw FoldFailure(fold: index, error: error)
            }
        }
        return (validation, test)
    }

    /// Scores the job in `directory` that ended with `report`, on `data` (whose folds are the
    /// job's): the built-in score types (``ProgramScoring`` adds the programs').
    public static func score(_ report: JobReport, directory: JobDirectory, data: QuestionData) -> EvaluationResult {
        var log = ""
        var folds: [FoldMeasurement] = []
        for fold in report.folds {
            guard fold.train.ending == .succeeded, let predict = fold.predict, predict.ending == .succeeded else { break }
            folds.append(FoldMeasurement(fold: fold.fold, train: fold.train, predict: predict))
            log += String(format: "fold %d: train %.2f s, predict %.2f s\n", fold.fold, fold.train.wallSeconds, predict.wallSeconds)
        }
        if let failure = report.failure {
            let status: EvaluationResult.Status = failure.step == .train ? .trainingError : .testingError
            return EvaluationResult(status: status, log: log + "fold \(failure.fold): \(failure.step.rawValue) \(failure.result.summary)\n"
                                    + failure.result.outputTail, folds: folds)
        }
        guard folds.count == data.folds.count else {
            return .hubFault("the job ran \(folds.count) of \(data.folds.count) folds")
        }
        let predictions: (validation: [Predictions], test: [Predictions])
        do {
            predictions = try foldPredictions(directory: directory, data: data)
        } catch {
            // What the predict step wrote is not predictions of its objects: its failure.
            return EvaluationResult(status: .testingError, log: log + "\(error)", folds: folds)
        }
        var foldScores: [FoldScore] = []
        for (index, fold) in data.folds.enumerated() {
            do {
                let validationTruth = data.trainTruth(rows: fold.validationRows)
                for (name, value) in try Scorer.scores(data.question, truth: validationTruth, predictions: predictions.validation[index]) {
                    foldScores.append(FoldScore(fold: index, score: Score(split: .valid, scoreType: name, value: value)))
                }
                for score in try Scorer.testScores(data: data, predictions: predictions.test[index]) {
                    foldScores.append(FoldScore(fold: index, score: score))
                }
            } catch {
                return EvaluationResult(status: .scoringError, log: log + "fold \(index): \(error)", folds: folds)
            }
        }
        do {
            let bagged = try Scorer.baggedScores(data: data, validation: predictions.validation, test: predictions.test)
            return EvaluationResult(status: .scored, log: log, folds: folds, foldScores: foldScores, baggedScores: bagged)
        } catch {
            return EvaluationResult(status: .scoringError, log: log + "bagging: \(error)", folds: folds)
        }
    }
}
