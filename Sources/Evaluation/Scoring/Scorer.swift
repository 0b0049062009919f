import Challenge
import Foundation
import ScoreTypes

/// Computes a question's score types on predictions, per fold and bagged.
enum Scorer {
    /// Every built-in score type of `question` on the same rows, in order.
    /// - Throws: ``ScoreTypeError`` when a score is undefined on these rows.
    static func scores(_ question: Question, truth: GroundTruth, predictions: Predictions) throws -> [(String, Double)] {
        try question.builtInScoreTypes.map { name in (name, try question.scoreType(named: name).score(truth: truth, predictions: predictions)) }
    }

    /// Scores on every test row, then on the public and on the private part when the data
    /// splits them; as (split, score type, value).
    static func testScores(data: QuestionData, predictions: Predictions) throws -> [Score] {
        guard !data.testIDs.isEmpty else { return [] }
        let question = data.question
        var result = try scores(question, truth: data.testTruth, predictions: predictions).map { Score(split: .test, scoreType: $0.0, value: $0.1) }
        for (split, rows) in testParts(data) {
            let part = predictions.selecting(rows: rows)
            // A part too small for a score (one class only for ROC AUC) just has no score.
            for name in question.builtInScoreTypes {
                if let value = try? question.scoreType(named: name).score(truth: data.testTruth(rows: rows), predictions: part) {
                    result.append(Score(split: split, scoreType: name, value: value))
                }
            }
        }
        return result
    }

    /// The public and the private part of the test rows, when the data splits them.
    static func testParts(_ data: QuestionData) -> [(split: ScoreSplit, rows: [Int])] {
        guard !data.publicTestRows.isEmpty else { return [] }
        return [(.publicTest, data.publicTestRows), (.privateTest, data.privateTestRows)].filter { !$0.rows.isEmpty }
    }

    /// Splits predictions into the first `count` rows and the rest.
    static func split(_ predictions: Predictions, at count: Int) -> (Predictions, Predictions) {
        (predictions.selecting(rows: Array(0..<count)), predictions.selecting(rows: Array(count..<predictions.rowCount)))
    }

    /// Bagged scores, as ramp-workflow bags: validation predictions of all folds combined into
    /// one out-of-fold vector (averaged where folds overlap); `averagedTest`, the test
    /// predictions averaged over the fold models.
    static func baggedScores(data: QuestionData, validation: [Predictions], averagedTest averaged: Predictions) throws -> [Score] {
        let combined = combineOutOfFold(rowCount: data.trainIDs.count, foldRows: data.folds.map(\.validationRows), foldPredictions: validation)
        let validationScores = try scores(data.question, truth: data.trainTruth(rows: combined.rows), predictions: combined.predictions)
        return validationScores.map { Score(split: .valid, scoreType: $0.0, value: $0.1) }
            + (try testScores(data: data, predictions: averaged))
    }
}
