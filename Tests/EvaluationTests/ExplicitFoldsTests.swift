import Challenge
import Evaluation
import Foundation
import Testing

/// Folds listed in a file (a RAMP kit's `get_cv`): read in their order, checked, and cut down
/// for a quick evaluation.
@Suite("Explicit folds")
struct ExplicitFoldsTests {
    static func question(count: Int) -> Question {
        Question(
            name: "q", kind: .classification, labels: ["a", "b"], idColumn: "id", targetColumn: "y",
            scoreTypes: ["accuracy"], folds: FoldScheme(method: .explicit, count: count, seed: 0, file: "folds.json"),
            requiredFiles: ["model.py"], trainData: "data/public/train.csv", testData: "data/private/test.csv",
            trainCommand: ["python", "train.py"], predictCommand: ["python", "predict.py"])
    }

    /// A directory with 60 training rows and `folds` as folds.json; returns the train file.
    static func write(folds: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("explicit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rows = (0..<60).map { "r\($0),\($0 % 7),\($0 % 2 == 0 ? "a" : "b")" }.joined(separator: "\n")
        try Data("id,x,y\n\(rows)\n".utf8).write(to: directory.appendingPathComponent("train.csv"))
        try Data(folds.utf8).write(to: directory.appendingPathComponent("folds.json"))
        return directory.appendingPathComponent("train.csv")
    }

    @Test func theListedFoldsAreReadInTheirOrderAndCutForAQuickRun() throws {
        let train = Array((10..<60).reversed())
        let folds =
            #"[{"train": \#(train), "valid": [9, 3, 0, 1, 2, 4, 5, 6, 7, 8]}, {"train": [0, 1, 2], "valid": [59]}, {"train": [5], "valid": [6]}]"#
        let file = try Self.write(folds: folds)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let data = try QuestionData.load(trainFile: file, testFile: nil, question: Self.question(count: 2))
        #expect(data.folds.count == 2, "the first `count` folds")
        #expect(data.folds[0].trainRows == train, "training rows in the listed order")
        #expect(data.folds[0].validationRows == Array(0..<10))
        let quick = data.quickSubset()
        let kept = Set(quick.trainIDs)
        for fold in quick.folds {
            #expect(fold.trainRows.allSatisfy { $0 < quick.trainIDs.count })
            #expect(!fold.validationRows.isEmpty)
        }
        #expect(
            quick.folds.first.map { $0.trainRows.map { quick.trainIDs[$0] } }
                == train.map { "r\($0)" }.filter(kept.contains), "the quick subset keeps the listed order")
    }

    @Test(arguments: [
        (#"{"train": [1]}"#, "is not a list of"),
        (#"[{"train": [1], "valid": [2]}]"#, "lists 1 folds, fewer than 2"),
        (#"[{"train": [1], "valid": [60]}, {"train": [1], "valid": [2]}]"#, "fold 0 names a row outside the 60 training rows"),
        (#"[{"train": [1, 2], "valid": [2]}, {"train": [1], "valid": [2]}]"#, "fold 0 has no validation row, or a row both"),
    ])
    func aBadFoldsFileIsNamed(folds: String, problem: String) throws {
        let file = try Self.write(folds: folds)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        #expect {
            try QuestionData.load(trainFile: file, testFile: nil, question: Self.question(count: 2))
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains("folds.json")
        }
    }
}
