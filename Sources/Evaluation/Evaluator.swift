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
        var data: QuestionData
        do {
            try? FileManager.default.removeItem(at: runDirectory)
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
            data = try QuestionData.load(
                trainFile: context.hubHome.appendingPathComponent(question.trainData),
                testFile: context.hubHome.appendingPathComponent(question.testData), question: question)
            data.splitTestRows(context.challenge.testSplit)
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
        if let predictionsFile = question.predictionsFile {
            return PredictionsOnlyScoring.score(
                file: treeDirectory.appendingPathComponent(predictionsFile), data: data, evaluationID: evaluationID)
        }
        let runner = FoldRunner(
            sandbox: context.sandbox, harnessDirectory: context.harnessDirectory,
            inputCacheDirectory: context.inputCacheDirectory,
            inputStamp: FoldInputs.stamp(hubHome: context.hubHome, question: question))
        return await runner.run(tree: treeDirectory, data: data, runDirectory: runDirectory, evaluationID: evaluationID, progress: progress)
    }
}
