import Foundation
import Ledger

/// Scores a predictions-only (Kaggle-style) submission: a predictions file committed in the
/// tree, for every test row, checked like any predictions and scored on the test rows.
/// Nothing of the submission runs.
enum PredictionsOnlyScoring {
    static func score(file: URL, data: QuestionData, evaluationID: Int64) -> EvaluationOutcome {
        do {
            let predictions = try PredictionsReader.read(file, question: data.question, expectedIDs: data.testIDs)
            let records = try Scorer.testScores(data.question.scoreTypes, data: data, predictions: predictions).map { split, name, value in
                BaggedScoreRecord(evaluationID: evaluationID, split: split, scoreType: name, value: value)
            }
            return EvaluationOutcome(state: .scored, log: "scored \(data.testIDs.count) test rows from \(file.lastPathComponent)\n", baggedScores: records)
        } catch {
            return EvaluationOutcome(state: .scoringError, log: "\(error)")
        }
    }
}
