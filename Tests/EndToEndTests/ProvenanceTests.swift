import Foundation
import Testing

/// Provenance of a submission, exact re-scoring, export, and applying submissions to new rows.
@Suite("Provenance, re-scoring, export and prediction", .serialized)
struct ProvenanceTests {
    static let seededForest = Classifiers.randomForest(estimators: 30, seed: 7)

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
    }

    @Test func provenanceRescoreExportAndPredict() async throws {
        let hub = try await TestHub()
        let token = try await hub.addTeam("alice")
        try await hub.start()
        let clone = try await hub.clone("alice", login: "alice", token: token)
        #expect(try await hub.submit("forest", files: ["classifier.py": Self.seededForest], in: clone).status == 0)
        let first = try await hub.waitForFinalState(team: "alice", name: "forest")
        #expect(first["state"] as? String == "scored")
        let firstScores = try #require((first["evaluations"] as? [[String: Any]])?.first?["scores"] as? [String: [String: Double]])

        // Provenance: who, what, and what it was evaluated with; the git note in the ledger.
        var report: [String: Any] = [:]
        for _ in 0..<240 {
            report = try json(try await hub.forkboard(["audit", "submission", "alice/forest", "--hub", hub.home.path, "--format", "json"]))
            // (The credit service may write the note before the environment is recorded.)
            let evaluation = (report["evaluations"] as? [[String: Any]])?.first
            if report["note"] is String, evaluation?["environment"] is [String: Any] { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(report["pusher"] as? String == "alice")
        #expect(report["phase"] as? String == "competitive")
        #expect((report["tree"] as? String)?.count == 40)
        let evaluation = try #require((report["evaluations"] as? [[String: Any]])?.first)
        let environment = try #require(evaluation["environment"] as? [String: Any])
        let dataFiles = try #require(environment["data_files"] as? [String: String])
        #expect(Set(dataFiles.keys) == ["data/public/train.csv", "data/private/test.csv"])
        let trainHash = try await CommandRunner.run("/usr/bin/sha256sum", [hub.home.appendingPathComponent("data/public/train.csv").path])
        #expect(trainHash.output.hasPrefix(dataFiles["data/public/train.csv"] ?? "missing"))
        #expect((environment["interpreter"] as? String)?.hasPrefix("Python 3") == true)
        #expect((environment["packages"] as? [String])?.contains { $0.lowercased().hasPrefix("scikit-learn==") } == true)
        #expect((environment["limits"] as? [String: Int])?["wall_seconds"] == 300)
        #expect((environment["harness"] as? [String: String])?.keys.sorted() == ["predict.py", "train.py"])
        let commit = try #require(report["commit"] as? String)
        let note = try await CommandRunner.git(
            [
                "--git-dir", hub.home.appendingPathComponent("repos/ledger.git").path,
                "notes", "--ref", "forkboard", "show", commit,
            ], in: hub.root)
        #expect(note.status == 0)
        #expect(note.output.contains("\"submission\" : \"forest\""))
        #expect(note.output.contains("\"roc_auc\""))

        // Re-scoring an unchanged, seeded submission reproduces its scores exactly; the
        // earlier result stays in its history and the re-score is audited.
        let rescore = try await hub.forkboard(["rescore", "alice/forest", "--hub", hub.home.path])
        #expect(rescore.output.contains("Queued 1 evaluation(s) again"))
        var second: [String: Any] = [:]
        for _ in 0..<240 {
            report = try json(try await hub.forkboard(["audit", "submission", "alice/forest", "--hub", hub.home.path, "--format", "json"]))
            let evaluation = (report["evaluations"] as? [[String: Any]])?.first
            if evaluation?["state"] as? String == "scored", (evaluation?["history"] as? [Any])?.count == 1 { second = evaluation ?? [:]; break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(second["scores"] as? [String: [String: Double]] == firstScores, "the same scores, to the last bit")
        #expect(((second["history"] as? [[String: Any]])?.first?["scores"] as? [String: [String: Double]]) == firstScores)
        #expect(try await hub.forkboard(["audit", "log", "--hub", hub.home.path]).output.contains("rescore"))

        // Export for the collaboration's own analysis.
        let export = hub.root.appendingPathComponent("export")
        #expect(try await hub.forkboard(["export", export.path, "--hub", hub.home.path]).status == 0)
        for file in [
            "ledger.bundle", "README.md", "submissions.json", "submissions.csv", "fold_scores.csv", "bagged_scores.csv",
            "contributivity.csv", "credits.csv", "lineage.csv", "predictions/alice/forest/diagnosis/fold-0.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: export.appendingPathComponent(file).path), "\(file)")
        }
        let bundle = try await CommandRunner.git(["bundle", "list-heads", export.appendingPathComponent("ledger.bundle").path], in: hub.root)
        #expect(bundle.output.contains("refs/submissions/alice/forest"))
        #expect(bundle.output.contains("refs/notes/forkboard"))
        let bagged = try String(contentsOf: export.appendingPathComponent("bagged_scores.csv"), encoding: .utf8)
        let exported = try #require(bagged.split(separator: "\n").first { $0.hasPrefix("alice/forest,diagnosis,valid,roc_auc,") })
        // JSONSerialization may round the last digit: compare as numbers.
        #expect(abs(Double(exported.split(separator: ",").last!)! - firstScores["valid"]!["roc_auc"]!) < 1e-12)

        // Apply the submission to new rows: fold models, retrained, and the ensemble.
        let rows = hub.home.appendingPathComponent("data/private/test.csv")
        for mode in [[], ["--retrain"], ["--ensemble"]] {
            let output = hub.root.appendingPathComponent("predicted\(mode.first ?? "").csv")
            let predicted = try await hub.forkboard(
                ["predict", "alice/forest", "--input", rows.path, "--output", output.path, "--hub", hub.home.path] + mode)
            #expect(predicted.status == 0, "\(mode): \(predicted.output)")
            let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "id,benign,malignant")
            #expect(lines.count == 115, "one row per test row")
            let truth = try String(contentsOf: rows, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").last! }
            let correct = zip(lines.dropFirst(), truth).filter { line, label in
                let values = line.split(separator: ",").dropFirst().compactMap { Double($0) }
                return (values[0] >= values[1] ? "benign" : "malignant") == label
            }.count
            #expect(Double(correct) / 114 > 0.9, "\(mode): \(correct) of 114 right")
        }
    }
}
