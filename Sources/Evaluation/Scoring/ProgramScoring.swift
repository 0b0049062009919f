import Challenge
import Foundation
import ScoreTypes

/// Computes a question's score programs (``Challenge/ScoreProgram``) on a scored evaluation:
/// on every split each built-in score type is computed on (each fold's validation rows and
/// test rows with their public and private parts, then the bagged predictions), once each,
/// in the sandbox with the challenge's limits. The truth enters only this sandbox, which runs
/// the organisers' program, never a submission.
public struct ProgramScoring: Sendable {
    /// The sandbox the programs run in (the challenge's runtime and limits).
    public let sandbox: Sandbox
    /// The hub's `scoring/` directory, mounted read-only at `/challenge/scoring`.
    public let scoringDirectory: URL

    public init(sandbox: Sandbox, scoringDirectory: URL) {
        self.sandbox = sandbox
        self.scoringDirectory = scoringDirectory
    }

    /// `result` with the program scores added; a program that fails or prints no finite
    /// number makes it a `scoring_error` that names the program and shows its output. A
    /// result that is not scored, or a question without programs, is returned as it is.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func addScores(to result: EvaluationResult, directory: JobDirectory, data: QuestionData) async throws -> EvaluationResult {
        let programs = data.question.scorePrograms
        guard result.status == .scored, !programs.isEmpty else { return result }
        var scored = result
        do {
            let (validation, test) = try JobScoring.foldPredictions(directory: directory, data: data)
            var runs: [(fold: Int?, split: ScoreSplit, ids: [String], truth: GroundTruth, predictions: Predictions)] = []
            func addTest(fold: Int?, _ predictions: Predictions) {
                guard !data.testIDs.isEmpty else { return }
                runs.append((fold, .test, data.testIDs, data.testTruth, predictions))
                for (split, rows) in Scorer.testParts(data) {
                    runs.append((fold, split, rows.map { data.testIDs[$0] }, data.testTruth(rows: rows), predictions.selecting(rows: rows)))
                }
            }
            for (index, fold) in data.folds.enumerated() {
                runs.append(
                    (index, .valid, fold.validationRows.map { data.trainIDs[$0] }, data.trainTruth(rows: fold.validationRows), validation[index]))
                addTest(fold: index, test[index])
            }
            if !data.folds.isEmpty {
                let combined = combineOutOfFold(
                    rowCount: data.trainIDs.count, foldRows: data.folds.map(\.validationRows), foldPredictions: validation)
                runs.append((nil, .valid, combined.rows.map { data.trainIDs[$0] }, data.trainTruth(rows: combined.rows), combined.predictions))
                addTest(fold: nil, averageOverFolds(test))
            } else if let only = test.first {
                addTest(fold: nil, only)
            }
            for program in programs {
                for run in runs {
                    let value = try await self.run(
                        program, question: data.question, ids: run.ids, truth: run.truth, predictions: run.predictions,
                        in: directory.url.appendingPathComponent("scoring"))
                    let score = Score(split: run.split, scoreType: program.name, value: value)
                    if let fold = run.fold {
                        scored.foldScores.append(FoldScore(fold: fold, score: score))
                    } else {
                        scored.baggedScores.append(score)
                    }
                }
            }
        } catch let failure as ProgramFailure {
            return EvaluationResult(status: .scoringError, log: result.log + failure.description, folds: result.folds)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return EvaluationResult(status: .scoringError, log: result.log + "score programs: \(error)", folds: result.folds)
        }
        return scored
    }

    /// A score program that did not give a number.
    struct ProgramFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `program` on one set of rows and returns the number it printed.
    func run(
        _ program: ScoreProgram, question: Question, ids: [String], truth: GroundTruth, predictions: Predictions,
        in work: URL
    ) async throws -> Double {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let truthFile = work.appendingPathComponent("truth.csv")
        let predictionsFile = work.appendingPathComponent("predictions.csv")
        try Self.truthTable(question: question, ids: ids, truth: truth).write(to: truthFile)
        try Self.predictionsTable(question: question, ids: ids, predictions: predictions).write(to: predictionsFile)
        let result = try await sandbox.run(
            command: program.command,
            mounts: [
                Sandbox.Mount(hostPath: scoringDirectory.path, sandboxPath: "/challenge/scoring"),
                Sandbox.Mount(hostPath: truthFile.path, sandboxPath: "/input/truth.csv"),
                Sandbox.Mount(hostPath: predictionsFile.path, sandboxPath: "/input/predictions.csv"),
            ],
            workingDirectory: "/challenge",
            environment: ["FORKBOARD_TRUTH": "/input/truth.csv", "FORKBOARD_PREDICTIONS": "/input/predictions.csv"]
                .merging(EvaluationJob.environment(of: question)) { first, _ in first })
        let last = result.outputTail.split(whereSeparator: \.isNewline).last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard result.ending == .succeeded, let value = Double(last), value.isFinite else {
            throw ProgramFailure(
                description: "score program \(program.name) (\(program.command.joined(separator: " "))) "
                    + (result.ending == .succeeded ? "printed no finite number last (\"\(last.prefix(80))\")" : result.summary) + ":\n"
                    + result.outputTail)
        }
        return value
    }

    /// `id, target`: the label of each row (classification) or its value.
    static func truthTable(question: Question, ids: [String], truth: GroundTruth) -> CSVTable {
        let values: [String] =
            switch truth {
            case .classes(let classes, _): classes.map { question.labels[$0] }
            case .values(let values): values.map { String(format: "%.17g", $0) }
            }
        return CSVTable(header: [question.idColumn, question.targetColumn], rows: zip(ids, values).map { [$0, $1] })
    }

    /// The predictions as the submission wrote them: `id`, then one column per label, or `prediction`.
    static func predictionsTable(question: Question, ids: [String], predictions: Predictions) -> CSVTable {
        switch predictions {
        case .probabilities(let matrix):
            CSVTable(
                header: [question.idColumn] + question.labels,
                rows: ids.enumerated().map { row, id in
                    [id] + (0..<matrix.classCount).map { String(format: "%.17g", matrix[row, $0]) }
                })
        case .values(let values):
            CSVTable(
                header: [question.idColumn, PredictionsReader.regressionColumn], rows: zip(ids, values).map { [$0, String(format: "%.17g", $1)] })
        }
    }
}
