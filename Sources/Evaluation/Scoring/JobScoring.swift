import Challenge
import Foundation
import ScoreTypes

/// Turns a job's report and predictions into an ``EvaluationResult``: the failing step's
/// account and log tail, or each fold's scores on its validation objects and on the test
/// objects, then the bagged scores. Runs where the truth is (the hub): the job never sees it.
/// What is kept of the predictions is stored as it goes (``StoredPredictions``).
public enum JobScoring {
    /// A fold whose predictions cannot be read.
    public struct FoldFailure: Error, CustomStringConvertible {
        public let fold: Int
        public let error: any Error
        public var description: String { "fold \(fold): \(error)" }
    }

    /// A test shard whose predictions cannot be read.
    struct ShardFailure: Error, CustomStringConvertible {
        let shard: Int
        let error: any Error
        var description: String { "test shard \(shard): \(error)" }
    }

    /// The predictions of each fold of a finished job: on the fold's validation objects, and
    /// on every test object (joined from the fold's test shards, each read against its own
    /// objects, when the question shards them).
    /// - Throws: ``FoldFailure`` with ``PredictionsReader``'s error, naming the shard.
    public static func foldPredictions(directory: JobDirectory, data: QuestionData) throws -> (validation: [Predictions], test: [Predictions]) {
        var validation: [Predictions] = []
        var test: [Predictions] = []
        for index in data.folds.indices {
            let predictions = try foldPredictions(directory: directory, data: data, fold: index)
            validation.append(predictions.validation)
            test.append(predictions.test)
        }
        return (validation, test)
    }

    /// The predictions of fold `index`: on its validation objects, and on every test object.
    /// - Throws: ``FoldFailure``.
    static func foldPredictions(directory: JobDirectory, data: QuestionData, fold index: Int) throws -> (validation: Predictions, test: Predictions) {
        let validationIDs = data.folds[index].validationRows.map { data.trainIDs[$0] }
        do {
            guard let shards = data.testShards else {
                let predictions = try PredictionsReader.read(
                    directory.fold(index).predictions, question: data.question, expectedIDs: validationIDs + data.testIDs)
                return Scorer.split(predictions, at: validationIDs.count)
            }
            let validation = try PredictionsReader.read(
                directory.place(of: .predict(fold: index)).predictions, question: data.question,
                expectedIDs: validationIDs)
            var joined = ShardJoin(question: data.question, rowCount: data.testIDs.count)
            for (shard, range) in shards.enumerated() {
                do {
                    joined.add(
                        try PredictionsReader.read(
                            directory.place(of: .predictShard(fold: index, shard: shard)).predictions,
                            question: data.question, expectedIDs: Array(data.testIDs[range])), at: range)
                } catch {
                    throw ShardFailure(shard: shard, error: error)
                }
            }
            return (validation, joined.predictions)
        } catch {
            throw FoldFailure(fold: index, error: error)
        }
    }

    /// The test predictions of one fold, filled shard by shard.
    struct ShardJoin {
        private var values: [Double]
        private let width: Int
        private let kind: Question.Kind

        init(question: Question, rowCount: Int) {
            kind = question.kind
            width = question.kind == .classification ? question.labels.count : 1
            values = [Double](repeating: .nan, count: rowCount * width)
        }

        mutating func add(_ shard: Predictions, at range: Range<Int>) {
            values.replaceSubrange((range.lowerBound * width)..<(range.upperBound * width), with: JobScoring.values(of: shard))
        }

        var predictions: Predictions {
            kind == .classification
                ? .probabilities(ProbabilityMatrix(rowCount: values.count / width, classCount: width, values: values)) : .values(values)
        }
    }

    /// The numbers of `predictions`, row by row.
    static func values(of predictions: Predictions) -> [Double] {
        switch predictions {
        case .probabilities(let matrix): matrix.values
        case .values(let values): values
        }
    }

    /// Removes the predictions files the job's runs wrote, once what is kept is stored
    /// (``StoredPredictions``): at full size they are the bulk of a run's disk.
    public static func removePredictionsFiles(directory: JobDirectory, job: EvaluationJob) {
        for task in job.tasks where directory.place(of: task).step == .predict {
            try? FileManager.default.removeItem(at: directory.place(of: task).predictions)
        }
    }

    /// Scores the job in `directory` that ended with `report`, on `data` (whose folds are the
    /// job's): the built-in score types (``ProgramScoring`` adds the programs'). Fold by fold,
    /// so that one fold's test predictions are held at a time: each fold's scores, its
    /// validation predictions kept (`fold-<k>/validation.predictions`), its test predictions
    /// added to the bag; then the bagged test predictions kept (`test.predictions`) and the
    /// bagged scores.
    public static func score(_ report: JobReport, directory: JobDirectory, data: QuestionData) -> EvaluationResult {
        var log = ""
        var folds: [FoldMeasurement] = []
        let shardCount = data.testShards?.count
        for fold in report.folds {
            guard fold.train.ending == .succeeded, let predict = fold.predict, predict.ending == .succeeded else { break }
            let shards = fold.shards ?? []
            guard shards.count == (shardCount ?? 0), shards.allSatisfy({ $0.ending == .succeeded }) else { break }
            folds.append(FoldMeasurement(fold: fold.fold, train: fold.train, predict: predict, shards: shards))
            log +=
                String(format: "fold %d: train %.2f s, predict %.2f s", fold.fold, fold.train.wallSeconds, predict.wallSeconds)
                + (shards.isEmpty ? "\n" : String(format: ", %d test shards %.2f s\n", shards.count, shards.reduce(0) { $0 + $1.wallSeconds }))
        }
        if let failure = report.failure(shardCount: shardCount) {
            let status: EvaluationResult.Status = failure.step == .train ? .trainingError : .testingError
            return EvaluationResult(
                status: status,
                log: log + "\(failure.place) \(failure.result.summary)\n"
                    + failure.result.outputTail, folds: folds)
        }
        guard folds.count == data.folds.count else {
            return .hubFault("the job ran \(folds.count) of \(data.folds.count) folds")
        }
        var foldScores: [FoldScore] = []
        var validation: [Predictions] = []
        var testSum: [Double] = []
        for (index, fold) in data.folds.enumerated() {
            let predictions: (validation: Predictions, test: Predictions)
            do {
                predictions = try foldPredictions(directory: directory, data: data, fold: index)
            } catch {
                // What the predict step wrote is not predictions of its objects: its failure.
                return EvaluationResult(status: .testingError, log: log + "\(error)", folds: folds)
            }
            do {
                for (name, value) in try Scorer.scores(
                    data.question, truth: data.trainTruth(rows: fold.validationRows),
                    predictions: predictions.validation)
                {
                    foldScores.append(FoldScore(fold: index, score: Score(split: .valid, scoreType: name, value: value)))
                }
                for score in try Scorer.testScores(data: data, predictions: predictions.test) {
                    foldScores.append(FoldScore(fold: index, score: score))
                }
            } catch {
                return EvaluationResult(status: .scoringError, log: log + "fold \(index): \(error)", folds: folds)
            }
            do {
                try StoredPredictions.write(predictions.validation, to: directory.fold(index).storedValidationPredictions, precision: .float64)
            } catch {
                return .hubFault("the hub could not keep fold \(index)'s predictions: \(error)")
            }
            validation.append(predictions.validation)
            let values = Self.values(of: predictions.test)
            if testSum.isEmpty { testSum = values } else { for position in values.indices { testSum[position] += values[position] } }
        }
        let foldCount = Double(data.folds.count)
        let averaged = testSum.map { $0 / foldCount }
        testSum = []
        let averagedTest: Predictions =
            data.question.kind == .classification
            ? .probabilities(ProbabilityMatrix(rowCount: data.testIDs.count, classCount: data.question.labels.count, values: averaged))
            : .values(averaged)
        if !data.testIDs.isEmpty {
            do {
                try StoredPredictions.write(averagedTest, to: directory.storedTestPredictions, precision: .float32)
            } catch {
                return .hubFault("the hub could not keep the test predictions: \(error)")
            }
        }
        do {
            let bagged = try Scorer.baggedScores(data: data, validation: validation, averagedTest: averagedTest)
            return EvaluationResult(status: .scored, log: log, folds: folds, foldScores: foldScores, baggedScores: bagged)
        } catch {
            return EvaluationResult(status: .scoringError, log: log + "bagging: \(error)", folds: folds)
        }
    }
}
