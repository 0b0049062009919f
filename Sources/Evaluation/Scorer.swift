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

    /// Scores on every test row, then on the public and on the private part when the data
    /// splits them; as (split, score type, value).
    static func testScores(_ names: [String], data: QuestionData, predictions: Predictions) throws -> [(ScoreSplit, String, Double)] {
        guard !data.testIDs.isEmpty else { return [] }
        var result = try scores(names, truth: data.testTruth, predictions: predictions).map { (ScoreSplit.test, $0.0, $0.1) }
        for (split, rows) in [(ScoreSplit.publicTest, data.publicTestRows), (.privateTest, data.privateTestRows)]
        where !data.publicTestRows.isEmpty && !rows.isEmpty {
            let part = select(predictions, rows: rows)
            // A part too small for a score (one class only for ROC AUC) just has no score.
            for name in names {
                if let value = try? ScoreTypes.named(name).score(truth: data.testTruth(rows: rows), predictions: part) {
                    result.append((split, name, value))
                }
            }
        }
        return result
    }

    /// The given rows of predictions, in that order.
    static func select(_ predictions: Predictions, rows: [Int]) -> Predictions {
        switch predictions {
        case .probabilities(let matrix): .probabilities(matrix.selecting(rows: rows))
        case .values(let values): .values(rows.map { values[$0] })
        }
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
        for (split, name, value) in try testScores(data.question.scoreTypes, data: data, predictions: averaged) {
            records.append(BaggedScoreRecord(evaluationID: evaluationID, split: split, scoreType: name, value: value))
        }
        return records
    }
}
