import Challenge
import Evaluation
import Foundation
import ScoreTypes
import Testing

@Suite("Predictions are checked before scoring")
struct PredictionsReaderTests {
    let question = Question(
        name: "diagnosis", kind: .classification, labels: ["benign", "malignant"], idColumn: "id", targetColumn: "diagnosis",
        scoreTypes: ["roc_auc"], folds: FoldScheme(method: .stratifiedKFold, count: 2, seed: 1), requiredFiles: [],
        trainData: "train.csv", testData: "test.csv", trainCommand: ["true"], predictCommand: ["true"])

    func read(_ text: String, expected: [String] = ["a", "b", "c"]) throws -> Predictions {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("predictions-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try PredictionsReader.read(url, question: question, expectedIDs: expected)
    }

    func problem(_ text: String) -> String {
        do {
            _ = try read(text)
            return "accepted"
        } catch let error as PredictionsReader.PredictionsError {
            return error.problem
        } catch {
            return "\(error)"
        }
    }

    @Test func readsInExpectedOrderWithColumnsInAnyOrder() throws {
        let predictions = try read("malignant,id,benign\n0.9,c,0.1\n0.2,a,0.8\n0.5,b,0.5\n")
        #expect(predictions == .probabilities(ProbabilityMatrix(rows: [[0.8, 0.2], [0.5, 0.5], [0.1, 0.9]], classCount: 2)))
    }

    @Test func rowsThatDoNotSumToOneAreKeptAsGiven() throws {
        let predictions = try read("id,benign,malignant\na,2,2\nb,0,0\nc,0.3,0.3\n")
        #expect(predictions == .probabilities(ProbabilityMatrix(rows: [[2, 2], [0, 0], [0.3, 0.3]], classCount: 2)))
    }

    @Test(arguments: [
        ("id,benign,malignant\na,0.5,0.5\nb,nan,0.5\nc,0.5,0.5\n", "predictions line 3 (id 'b'): 'nan' in column benign is not a finite number"),
        ("id,benign,malignant\na,0.5,inf\nb,0.5,0.5\nc,0.5,0.5\n", "predictions line 2 (id 'a'): 'inf' in column malignant is not a finite number"),
        ("id,benign,malignant\na,0.5,0.5\nb,0.5,0.5\nc,1.5,-0.5\n", "predictions line 4 (id 'c'): negative probability -0.5 in column malignant"),
        ("id,benign,malignant\na,0.5,0.5\nb,0.5,0.5\n", "predictions: 1 expected ids missing, the first is 'c' (2 rows written, 3 expected)"),
        ("id,benign,malignant\na,0.5,0.5\na,0.5,0.5\nc,0.5,0.5\n", "predictions line 3: id 'a' appears twice"),
        ("id,benign,malignant\na,0.5,0.5\nb,0.5,0.5\nz,0.5,0.5\n", "predictions line 4: unknown id 'z'"),
        (
            "id,benign\na,0.5\nb,0.5\nc,0.5\n",
            "predictions file: no column for the label(s) malignant (every label needs one, a probability of 0 where the model has none); columns must be id,benign,malignant (found id,benign)"
        ),
        ("id,benign,malignant,extra\na,0.5,0.5,1\n", "predictions file: columns must be id,benign,malignant (found id,benign,malignant,extra)"),
        ("row,benign,malignant\na,0.5,0.5\n", "predictions file: no 'id' column (header: row,benign,malignant)"),
        ("id,benign,malignant\na,0.5\n", "predictions file: line 2: 2 fields where the header has 3"),
        ("", "predictions file: line 1: the file is empty (no header)"),
    ])
    func badPredictionsNameTheFirstBadRow(text: String, expected: String) {
        #expect(problem(text) == expected)
    }

    @Test func symbolicLinksAndOversizedFilesAreRefusedUnread() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("predictions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/etc/passwd")
        let linked = #expect(throws: PredictionsReader.PredictionsError.self) {
            try PredictionsReader.read(link, question: question, expectedIDs: ["a"])
        }
        #expect(linked?.problem.contains("not a regular file") == true)
        #expect(linked?.problem.contains("root") == false, "nothing of the link's target is read")
        let huge = directory.appendingPathComponent("huge.csv")
        try ("id,benign,malignant\n" + String(repeating: "a,0.5,0.5\n", count: 20_000)).write(to: huge, atomically: true, encoding: .utf8)
        let large = #expect(throws: PredictionsReader.PredictionsError.self) {
            try PredictionsReader.read(huge, question: question, expectedIDs: ["a", "b", "c"])
        }
        #expect(large?.problem.contains("more than the 68608 that 3 rows can need") == true, "\(large?.problem ?? "")")
    }

    @Test func missingFileIsReported() {
        #expect(throws: PredictionsReader.PredictionsError.self) {
            try PredictionsReader.read(URL(fileURLWithPath: "/nonexistent/predictions.csv"), question: question, expectedIDs: ["a"])
        }
    }
}
