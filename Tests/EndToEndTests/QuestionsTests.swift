import Foundation
import Testing

/// A challenge with two questions: the breast-cancer code question and a predictions-only
/// (Kaggle-style) question scored from a committed predictions file.
@Suite("Several questions, one predictions-only", .serialized)
struct QuestionsTests {
    static let predictionsQuestion = """
          - name: diagnosis-predictions
            kind: classification
            labels: [benign, malignant]
            id_column: id
            target_column: diagnosis
            score_types: [log_loss, accuracy]
            data:
              train: data/public/train.csv
              test: data/private/test.csv
            workflow:
              predictions: predictions.csv
        phases:
        """

    /// Predictions for every test row: probability `confidence` on the true class.
    static func predictions(hub: TestHub, confidence: Double) throws -> String {
        let lines = try String(contentsOf: hub.home.appendingPathComponent("data/private/test.csv"), encoding: .utf8)
            .split(separator: "\n")
        let header = lines[0].split(separator: ",")
        let id = header.firstIndex(of: "id")!
        let diagnosis = header.firstIndex(of: "diagnosis")!
        var text = "id,benign,malignant\n"
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",")
            let benign = cells[diagnosis] == "benign" ? confidence : 1 - confidence
            text += "\(cells[id]),\(benign),\(1 - benign)\n"
        }
        return text
    }

    @Test func eachSubmissionIsEvaluatedOnTheQuestionsItsTreeAnswers() async throws {
        let hub = try await TestHub { $0.replacingOccurrences(of: "phases:\n", with: Self.predictionsQuestion + "\n") }
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)

        // Code and predictions: evaluated on both questions.
        try Self.predictions(hub: hub, confidence: 0.9).write(to: clone.appendingPathComponent("predictions.csv"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["add", "predictions.csv"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qm", "both"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-both"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "main", "submission-both"], in: clone).status == 0)
        // Predictions only: evaluated on the predictions question alone.
        try Self.predictions(hub: hub, confidence: 0.7).write(to: clone.appendingPathComponent("predictions.csv"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["rm", "-q", "classifier.py"], in: clone)
        _ = try await CommandRunner.git(["commit", "-qam", "predictions only"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-kaggle"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "main", "submission-kaggle"], in: clone).status == 0)
        // Broken predictions: a scoring error naming the row.
        try "id,benign,malignant\nnobody,0.5,0.5\n".write(to: clone.appendingPathComponent("predictions.csv"), atomically: true, encoding: .utf8)
        _ = try await CommandRunner.git(["commit", "-qam", "bad"], in: clone)
        _ = try await CommandRunner.git(["tag", "submission-bad"], in: clone)
        #expect(try await CommandRunner.git(["push", "origin", "main", "submission-bad"], in: clone).status == 0)

        let both = try await hub.waitForFinalState(team: "alice", name: "both")
        let bothEvaluations = try #require(both["evaluations"] as? [[String: Any]])
        #expect(bothEvaluations.compactMap { $0["question"] as? String }.sorted() == ["diagnosis", "diagnosis-predictions"])
        #expect(bothEvaluations.allSatisfy { $0["state"] as? String == "scored" })
        let kaggle = try await hub.waitForFinalState(team: "alice", name: "kaggle")
        let kaggleEvaluations = try #require(kaggle["evaluations"] as? [[String: Any]])
        #expect(kaggleEvaluations.compactMap { $0["question"] as? String } == ["diagnosis-predictions"])
        let scores = try #require(kaggleEvaluations.first?["scores"] as? [String: [String: Double]])
        #expect(abs(try #require(scores["test"]?["log_loss"]) - -log(0.7)) < 1e-9, "every row has probability 0.7 on its true class")
        #expect(scores["test"]?["accuracy"] == 1)
        let bad = try await hub.waitForFinalState(team: "alice", name: "bad")
        #expect(bad["state"] as? String == "scoring_error")
        let badLog = (bad["evaluations"] as? [[String: Any]])?.first?["log"] as? String ?? ""
        #expect(badLog.contains("predictions line 2: unknown id 'nobody'"))

        // The predictions question is ranked by its test log loss, lower first.
        let result = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--question", "diagnosis-predictions", "--format", "json"])
        let leaderboard = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(leaderboard["ranked_by"] as? String == "public")
        #expect(leaderboard["lower_is_better"] as? Bool == true)
        let rows = try #require(leaderboard["rows"] as? [[String: Any]])
        #expect(rows.map { $0["submission"] as? String } == ["both", "kaggle", "bad"])
        #expect(rows.map { $0["rank"] as? Int } == [1, 2, nil])
        // The code question lists only the submission evaluated on it.
        let code = try await hub.forkboard(["leaderboard", "--hub", hub.home.path, "--format", "csv"])
        #expect(code.output.split(separator: "\n").count == 2)
    }
}
