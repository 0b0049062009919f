import Foundation

/// Scores a predictions-only (Kaggle-style) submission: a predictions file committed in the
/// tree, for every test row, checked like any predictions and scored on the test rows.
/// Nothing of the submission runs.
enum PredictionsOnlyScoring {
    static func score(file: URL, data: QuestionData) -> EvaluationResult {
        do {
            let predictions = try PredictionsReader.read(file, question: data.question, expectedIDs: data.testIDs)
            let scores = try Scorer.testScores(data: data, predictions: predictions)
            return EvaluationResult(
                status: .scored, log: "scored \(data.testIDs.count) test rows from \(file.lastPathComponent)\n", baggedScores: scores)
        } catch {
            return EvaluationResult(status: .scoringError, log: "\(error)")
        }
    }
}
