import Foundation
import Ledger
import ScoreTypes

/// Computes a question's score types on predictions, per fold and bagged.
enum Scorer {
    /// Every score type of `names` on the same rows, in order.
    /// - Throws: ``ScoreTypeError`` when a score is undefined on these rows.
    static func scores(_ names: [String], truth: GroundTruth, predictions: Predictions) throws -> [(String, Double)] {
        try names.map { name in (name, try ScoreTypes.named(name).score(truth: truth, predictions: predictions)) }
    }

    /// Splits predictions into the first `count` rows and the rest.
    static func split(_ predictions: Predictions, at count: Int) -> (Predictions, Predictions) {
        switch predictions {
        case .probabilities(let matrix):
            return (.probabilities(matrix.selecting(rows: Array(0..<count))),
                    .probabilities(matrix.selecting(rows: Array(count..<matrix.rowCount))))
        case .values(let values):
            return (.values(Array(values[..<count])), .values(Array(values[count...])))
        }
    }

    /// Bagged scores, as ramp-workflow bags: validation predictions of all folds combined into
    /// one out-of-fold vector (averaged where folds overlap), test predictions averaged over
    /// the fold models.
    static func baggedScores(data: QuestionData, validation: [Predictions], test: [Predictions], evaluationID: Int64) throws -> [BaggedScoreRecord] {
        let combined = combineOutOfFold(rowCount: data.trainIDs.count, foldRows: data.folds.map(\.validationRows), foldPredictions: validation)
        let averaged = data.testIDs.isEmpty ? Predictions.values([]) : averageOverFolds(test)
        var records: [BaggedScoreRecord] = []
        for (name, value) in try scores(data.question.scoreTypes, truth: data.trainTruth(rows: combined.rows), predictions: combined.predictions) {
            records.append(BaggedScoreRecord(evaluationID: evaluationID, split: .valid, scoreType: name, value: value))
        }
        for (name, value) in data.testIDs.isEmpty ? [] : try scores(data.question.scoreTypes, truth: data.testTruth, predictions: averaged) {
            records.append(BaggedScoreRecord(evaluationID: evaluationID, split: .test, scoreType: name, value: value))
        }
        return records
    }
}
