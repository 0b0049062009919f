import Foundation
import Testing

/// Organisers' score programs: computed in the sandbox on every split a built-in score type
/// is, checked, and refused as a blending score.
@Suite("Score programs", .serialized)
struct ScoreProgramTests {
    /// Accuracy, computed by a program from the truth and the predictions files.
    static let accuracyProgram = """
        import json, os
        import pandas as pd
        labels = json.loads(os.environ["FORKBOARD_LABELS"])
        truth = pd.read_csv(os.environ["FORKBOARD_TRUTH"])
        predictions = pd.read_csv(os.environ["FORKBOARD_PREDICTIONS"])
        assert list(truth[os.environ["FORKBOARD_ID_COLUMN"]]) == list(predictions[os.environ["FORKBOARD_ID_COLUMN"]])
        predicted = predictions[labels].to_numpy().argmax(axis=1)
        print("scoring", len(truth), "rows")
        print(repr(float((predicted == truth[os.environ["FORKBOARD_TARGET_COLUMN"]].map(labels.index).to_numpy()).mean())))

        """

    @Test func aProgramScoresEverySplitAsTheBuiltInScoreDoesAndABrokenOneIsAScoringError() async throws {
        let hub = try await TestHub { text in
            text.replacingOccurrences(
                of: "score_types: [roc_auc, accuracy, log_loss]",
                with: "score_types: [roc_auc, accuracy, {name: program_accuracy, command: [python, scoring/accuracy.py], lower_is_better: false}]")
        }
        let scoring = hub.home.appendingPathComponent("scoring")
        try FileManager.default.createDirectory(at: scoring, withIntermediateDirectories: true)
        try Self.accuracyProgram.write(to: scoring.appendingPathComponent("accuracy.py"), atomically: true, encoding: .utf8)
        let (clone, _, scored) = try await hub.startAndSubmitTheStartingKit()
        #expect(scored["state"] as? String == "scored", "\(scored)")
        let evaluation = try #require((scored["evaluations"] as? [[String: Any]])?.first)
        let bagged = try #require(evaluation["scores"] as? [String: [String: Double]])
        var compared = 0
        for (split, scores) in bagged {
            #expect(scores["program_accuracy"] == scores["accuracy"], "bagged \(split): \(scores)")
            compared += 1
        }
        for fold in try #require(evaluation["folds"] as? [[String: Any]]) {
            for (split, scores) in try #require(fold["scores"] as? [String: [String: Double]]) {
                #expect(scores["program_accuracy"] == scores["accuracy"], "fold \(fold["fold"] ?? "?") \(split): \(scores)")
                compared += 1
            }
        }
        #expect(compared >= 3 * 4, "valid, test, public and private test, per fold and bagged: \(compared)")
        let check = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(check.status == 0, "\(check.output)")

        // A program that prints no number: the evaluation says which program and what it printed.
        try "print('not a number')\n".write(to: scoring.appendingPathComponent("accuracy.py"), atomically: true, encoding: .utf8)
        #expect(
            try await hub.submit(
                "second",
                files: ["classifier.py": try String(contentsOf: clone.appendingPathComponent("classifier.py"), encoding: .utf8) + "\nVARIANT = 2\n"],
                in: clone
            ).status == 0)
        let failed = try await hub.waitForFinalState(team: "alice", name: "second")
        #expect(failed["state"] as? String == "scoring_error", "\(failed)")
        let audit = try await hub.forkboard(["submissions", "--hub", hub.home.path, "--format", "json"])
        #expect(
            audit.output.contains("score program program_accuracy (python scoring/accuracy.py) printed no finite number last"),
            "\(audit.output.suffix(3000))")
        let broken = try await hub.forkboard(["challenge", "check", hub.home.path])
        #expect(broken.status != 0)
        #expect(broken.output.contains("scoring_error on a quick subset"), "\(broken.output)")
    }
}
