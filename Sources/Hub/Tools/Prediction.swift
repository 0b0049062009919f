import Challenge
import Credit
import Evaluation
import Foundation
import Git
import Host
import Ledger
import ScoreTypes

/// `forkboard predict`: applies a scored submission to new rows, in the same sandbox as its
/// evaluation: with its stored fold models averaged as bagging does; or trained once on the
/// full public training rows (`retrain`); or the blended ensemble of every submission
/// (`ensemble`), each fold's members combined as contributivity combines them, then folds
/// averaged.
public struct Prediction {
    public enum Mode: Sendable { case foldModels, retrain, ensemble }

    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// Predicts the objects of `input` and writes `output` (id, then one column per label, or
    /// `prediction`). For a question of one table, `input` is a CSV file with the id column and
    /// the training file's columns (a target column is ignored); for a question of several
    /// files, a directory that holds the new objects' files under the test files' base names
    /// (the objects file, each table, each file directory: docs/data.md).
    /// - Throws: ``HubError`` for an unknown submission or question or a failed run;
    ///   ``Evaluation/QuestionData/DataError`` for input that cannot be cut;
    ///   ``PredictionsReader/PredictionsError`` when the code's predictions are invalid.
    public func predict(_ key: SubmissionKey, questionName: String?, input: URL, output: URL, mode: Mode) async throws {
        guard let submission = try hub.ledger.submission(key) else { throw HubError.unknownSubmission("\(key)") }
        let evaluations = try hub.ledger.evaluations(submissionID: submission.id!).filter { $0.state == .scored }
        guard let evaluation = evaluations.first(where: { questionName == nil || $0.question == questionName }),
            let question = hub.challenge.question(named: evaluation.question), !question.isPredictionsOnly
        else {
            throw HubError.unknownQuestion(questionName ?? "(no scored code question for \(key))")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("forkboard-predict-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = try QuestionData.forPrediction(of: Self.newObjects(input, question: question, hubHome: hub.home), question: question)
        let ids = data.testIDs
        let inputs = work.appendingPathComponent("input")
        try InputCutter.cut(
            data,
            into: [.prediction(inputs.appendingPathComponent("predict"), objects: [], testObjects: 0..<data.testIDs.count)]
                + (mode == .retrain ? [.training(inputs.appendingPathComponent("train"), objects: Array(data.trainIDs.indices))] : []))

        let predictions: Predictions
        switch mode {
        case .foldModels:
            predictions = averageOverFolds(
                try await foldPredictions(key, question: question, inputs: inputs, ids: ids, work: work))
        case .retrain:
            let tree = try treeDirectory(key, question: question, work: work)
            let model = work.appendingPathComponent("model")
            try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
            try await run(question.trainCommand, question: question, tree: tree, inputs: inputs, model: model, output: nil, step: "train")
            predictions = try await predictWith(
                model: model, tree: tree, question: question, inputs: inputs, ids: ids, work: work.appendingPathComponent("retrained"))
        case .ensemble:
            guard let (members, result) = try Contributivity(hub: hub).blend(question) else { throw HubError.unknownQuestion(question.name) }
            var folds: [Predictions] = []
            for (fold, ensemble) in result.ensembles.enumerated() {
                var memberPredictions: [Predictions] = []
                var byMember: [Int: Predictions] = [:]
                for index in ensemble {
                    if byMember[index] == nil {
                        let member = members[index]
                        let tree = try treeDirectory(SubmissionKey(team: member.team, name: member.name), question: question, work: work)
                        let model = hub.evaluationContext.runDirectory(team: member.team, submission: member.name, question: question.name)
                            .appendingPathComponent("fold-\(fold)/model")
                        byMember[index] = try await predictWith(
                            model: model, tree: tree, question: question, inputs: inputs, ids: ids,
                            work: work.appendingPathComponent("ensemble-\(fold)-\(index)"))
                    }
                    memberPredictions.append(byMember[index]!)
                }
                folds.append(Blender.combine(memberPredictions))
            }
            predictions = averageOverFolds(folds)
        }
        try Self.write(predictions, ids: ids, question: question, to: output)
    }

    private func foldPredictions(_ key: SubmissionKey, question: Question, inputs: URL, ids: [String], work: URL) async throws -> [Predictions] {
        let tree = try treeDirectory(key, question: question, work: work)
        let run = hub.evaluationContext.runDirectory(team: key.team, submission: key.name, question: question.name)
        var result: [Predictions] = []
        var fold = 0
        while FileManager.default.fileExists(atPath: run.appendingPathComponent("fold-\(fold)/model").path) {
            result.append(
                try await predictWith(
                    model: run.appendingPathComponent("fold-\(fold)/model"), tree: tree, question: question,
                    inputs: inputs, ids: ids, work: work.appendingPathComponent("fold-\(fold)")))
            fold += 1
        }
        guard !result.isEmpty else { throw HubError.preparationFailed("no stored fold models for \(key) on \(question.name)") }
        return result
    }

    private func predictWith(model: URL, tree: URL, question: Question, inputs: URL, ids: [String], work: URL) async throws -> Predictions {
        let output = work.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try await run(question.predictCommand, question: question, tree: tree, inputs: inputs, model: model, output: output, step: "predict")
        return try PredictionsReader.read(output.appendingPathComponent("predictions.csv"), question: question, expectedIDs: ids)
    }

    /// The submission's tree: the evaluation's copy, else exported from the ledger.
    private func treeDirectory(_ key: SubmissionKey, question: Question, work: URL) throws -> URL {
        let stored = hub.evaluationContext.runDirectory(team: key.team, submission: key.name, question: question.name).appendingPathComponent("tree")
        if FileManager.default.fileExists(atPath: stored.path) { return stored }
        guard let submission = try hub.ledger.submission(key), let commit = ObjectID(hex: submission.commitID)
        else {
            throw HubError.unknownSubmission("\(key)")
        }
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        let target = work.appendingPathComponent("tree-\(key.team)-\(key.name)")
        try repository.export(tree: try repository.commit(commit).treeID, to: target)
        return target
    }

    /// The files of `question` with `input` as its test objects (see ``predict(team:name:questionName:input:output:mode:)``).
    static func newObjects(_ input: URL, question: Question, hubHome: URL) -> QuestionFiles {
        let hub = QuestionFiles.hub(home: hubHome, question: question)
        guard question.hasSeveralFiles else { return QuestionFiles(train: hub.train, test: QuestionFiles.Split(objects: input)) }
        func named(_ path: String) -> URL { input.appendingPathComponent((path as NSString).lastPathComponent) }
        return QuestionFiles(
            train: hub.train,
            test: QuestionFiles.Split(
                objects: named(question.testData),
                tables: question.tables.map { QuestionFiles.Table(name: $0.name, url: named($0.test)) },
                fileDirectories: question.fileDirectories.map { QuestionFiles.FileDirectory(name: $0.name, url: named($0.test), suffix: $0.suffix) }))
    }

    private func run(_ command: [String], question: Question, tree: URL, inputs: URL, model: URL, output: URL?, step: String) async throws {
        var mounts = [
            Sandbox.Mount(hostPath: tree.path, sandboxPath: "/submission"),
            Sandbox.Mount(hostPath: hub.evaluationContext.harnessDirectory.path, sandboxPath: "/harness"),
            Sandbox.Mount(hostPath: inputs.appendingPathComponent(output == nil ? "train" : "predict").path, sandboxPath: "/input"),
            Sandbox.Mount(hostPath: model.path, sandboxPath: "/model", writable: output == nil),
        ]
        if let output { mounts.append(Sandbox.Mount(hostPath: output.path, sandboxPath: "/output", writable: true)) }
        let labels = String(decoding: try JSONEncoder().encode(question.labels), as: UTF8.self)
        let result = try await hub.evaluationContext.sandbox.run(
            command: command, mounts: mounts, workingDirectory: "/submission",
            environment: [
                "FORKBOARD_LABELS": labels, "FORKBOARD_ID_COLUMN": question.idColumn, "FORKBOARD_TARGET_COLUMN": question.targetColumn,
                "FORKBOARD_QUESTION": question.name, "FORKBOARD_TRAIN": "/input/train.csv", "FORKBOARD_INPUT": "/input/predict.csv",
                "FORKBOARD_INPUT_DIRECTORY": "/input",
                "FORKBOARD_MODEL_DIR": "/model", "FORKBOARD_PREDICTIONS": "/output/predictions.csv",
            ])
        guard result.ending == .succeeded else { throw HubError.preparationFailed("\(step) \(result.summary)\n\(result.outputTail)") }
    }

    static func write(_ predictions: Predictions, ids: [String], question: Question, to url: URL) throws {
        var rows: [[String]] = []
        switch predictions {
        case .probabilities(let matrix):
            for (row, id) in ids.enumerated() { rows.append([id] + matrix.row(row).map { String($0) }) }
            try CSVTable(header: [question.idColumn] + question.labels, rows: rows).write(to: url)
        case .values(let values):
            for (row, id) in ids.enumerated() { rows.append([id, String(values[row])]) }
            try CSVTable(header: [question.idColumn, PredictionsReader.regressionColumn], rows: rows).write(to: url)
        }
    }
}
